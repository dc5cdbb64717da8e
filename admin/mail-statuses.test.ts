import './adminjs-env.js';
import AdminJS, { ApiController } from 'adminjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { userActor } from '../server/access/actor.js';
import { db } from '../server/db/data-source.js';
import { Notification, type NotificationStatus } from '../server/db/entities/notification.js';
import { makeUser } from '../test/support/people.js';
import { useTestDatabase } from '../test/support/db.js';
import { componentLoader } from './components.js';
import { panelAdmin } from './current-admin.js';
import { panelResources } from './setup.js';

useTestDatabase();

type ListBody = { records: { id: number; params: { status: string }; recordActions: { name: string }[] }[] };
let admin: AdminJS;
let api: ApiController;

beforeAll(async () => {
  const statuses: NotificationStatus[] = ['skipped', 'failed', 'sent'];
  await db().getRepository(Notification).insert(statuses.map((status) => ({
    kind: 'welcome', toEmail: `${status}@example.org`, data: { firstName: 'Ada' }, dedupeKey: `mail-statuses:${status}`, status,
  })));
  admin = new AdminJS({ rootPath: '/admin', componentLoader, resources: panelResources() });
  const superuser = await makeUser('superuser');
  api = new ApiController({ admin }, panelAdmin(superuser, userActor(superuser)));
});

async function listMail(status: string): Promise<ListBody> {
  return await api.resourceAction(
    { params: { resourceId: 'Mail', action: 'list' }, query: { 'filters.status': status }, method: 'get' } as never,
    {} as never,
  ) as unknown as ListBody;
}

describe('the Mail page', () => {
  it('offers "skipped" in its status filter and lists only skipped mail under it, with no retry', async () => {
    const status = admin.findResource('Mail').decorate().getProperties({ where: 'filter' }).find((p) => p.name() === 'status');
    expect(status?.availableValues()?.map((v) => v.value)).toContain('skipped');
    const skipped = await listMail('skipped');
    expect(skipped.records.map((r) => r.params.status)).toEqual(['skipped']);
    expect(skipped.records[0].recordActions.map((a) => a.name)).not.toContain('retry');
    // A failed delivery keeps its retry.
    expect((await listMail('failed')).records[0].recordActions.map((a) => a.name)).toContain('retry');
  });
});

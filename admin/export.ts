import { stringify } from 'csv-stringify';
import { Router } from 'express';
import { Filter, flat, type ActionContext, type default as AdminJS } from 'adminjs';
import { can, type Permission } from '../server/access/policy.js';
import { clock } from '../server/shared/clock.js';
import { NotFound } from '../server/shared/errors.js';
import { ClinicResource } from './clinic-resource.js';
import { actorOfAdmin } from './current-admin.js';

/**
 * CSV export of a filtered audit or login-attempt list:
 * GET /admin/api/export/AuditLog?filters.actorId=5&filters.at~~from=2026-01-01
 * takes the same filters as the list, streams in pages of 1,000 rows.
 */
const EXPORTABLE: Record<string, { permission: Permission; columns: string[] }> = {
  AuditLog: {
    permission: 'audit.read',
    columns: ['id', 'at', 'actorId', 'actorRole', 'action', 'resource', 'recordId', 'patientId', 'outcome', 'changes', 'ip', 'userAgent', 'requestId'],
  },
  LoginAttempts: { permission: 'loginAttempt.read', columns: ['id', 'at', 'email', 'ip', 'userAgent', 'channel', 'success', 'reason'] },
};
const MAX_ROWS = 100_000;
const BATCH = 1_000;

/**
 * A typed e-mail or user agent ("=HYPERLINK(…)") would run as a formula when
 * an admin opens the export in a spreadsheet: such a cell starts with a quote.
 */
function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function exportRouter(admin: AdminJS): Router {
  const router = Router();
  router.get('/:resource', async (req, res, next) => {
    try {
      const resourceId = String(req.params.resource);
      const spec = EXPORTABLE[resourceId];
      const currentAdmin = (req.session as unknown as { adminUser?: ActionContext['currentAdmin'] }).adminUser;
      // Unknown and forbidden look the same.
      if (!spec || !can(actorOfAdmin(currentAdmin), spec.permission)) throw new NotFound(`Export ${resourceId}`);
      const resource = admin.findResource(resourceId) as ClinicResource;
      const { filters = {} } = flat.unflatten(req.query as Record<string, unknown>) as { filters?: Record<string, unknown> };
      const filter = new Filter(filters, resource);
      const context = { currentAdmin } as ActionContext;

      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${resourceId}-${clock.now().toISOString().slice(0, 10)}.csv"`);
      const csv = stringify({
        header: true, columns: spec.columns,
        cast: { date: (d) => d.toISOString(), boolean: (b) => (b ? 'true' : 'false'), string: inertCell },
      });
      csv.pipe(res);
      for (let offset = 0; offset < MAX_ROWS; offset += BATCH) {
        const records = await resource.find(filter, { limit: BATCH, offset }, context);
        for (const r of records) {
          if (!csv.write(r.params)) await new Promise((ok) => csv.once('drain', ok));
        }
        if (records.length < BATCH) break;
      }
      csv.end();
    } catch (err) {
      next(err);
    }
  });
  return router;
}

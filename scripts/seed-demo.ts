/**
 * `npm run seed:demo`: puts the demo clinic into the configured database
 * (DATABASE_URL, or the embedded SQLite file). The only way demo accounts get
 * into a production database, and only on purpose. Refuses to seed twice.
 */
import { config } from '../server/config.js';
import { closeDatabase, openDatabase } from '../server/db/data-source.js';
import { DEMO_LOGIN_EMAILS, DEMO_PASSWORD, demoAlreadySeeded, seedDemo } from '../server/seed/demo.js';

async function main(): Promise<void> {
  const database = config().database;
  const where = database.kind === 'mariadb' ? 'the MariaDB database in DATABASE_URL' : `SQLite at ${database.path}`;
  const ds = await openDatabase();
  try {
    if (await demoAlreadySeeded(ds)) {
      console.log(`Demo data is already in ${where} (found a demo login); nothing to do.`);
      return;
    }
    const s = await seedDemo(ds);
    console.log(
      `Seeded ${where} in ${(s.ms / 1000).toFixed(2)} s: ${s.users} users (${s.patients} patients), ${s.diagnostics} diagnostics, ` +
      `${s.appointments} appointments (${s.slots} slot cells), ${s.journalEntries} journal entries, ${s.prescriptions} prescriptions; ` +
      `their trail: ${s.auditEvents} audit events, ${s.notifications} mails (sent), ${s.loginAttempts} login attempts.`,
    );
    console.log(`Logins (password "${DEMO_PASSWORD}"): ${DEMO_LOGIN_EMAILS.join(', ')}`);
  } finally {
    await closeDatabase();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

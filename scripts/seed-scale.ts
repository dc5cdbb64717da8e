/**
 * `npm run seed:scale -- --patients 50000 --appointments 1000000`: fills the
 * configured database (DATABASE_URL, or the embedded SQLite file) for
 * benchmarks. Generated accounts share the demo password. Adds to what is
 * there; run it on a scratch database. Besides the appointments and records
 * it writes their audit trail, sent mail and login attempts (`--no-activity`
 * leaves those out).
 */
import { parseArgs } from 'node:util';
import { config } from '../server/config.js';
import { closeDatabase, openDatabase } from '../server/db/data-source.js';
import { seedScale } from '../server/seed/scale.js';

const usage = 'usage: npm run seed:scale -- --patients N --appointments M [--rows-per-statement 2000] [--seed 1] [--no-activity]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '50000' },
      appointments: { type: 'string', default: '1000000' },
      'rows-per-statement': { type: 'string' },
      seed: { type: 'string' },
      activity: { type: 'boolean', default: true },
      help: { type: 'boolean', default: false },
    },
    allowNegative: true,
  });
  if (values.help) return void console.log(usage);
  const number = (name: string, v: string | undefined, min: number) => {
    const n = v === undefined ? undefined : Number(v);
    if (n !== undefined && (!Number.isInteger(n) || n < min)) throw new Error(`--${name} must be a whole number ≥ ${min}\n${usage}`);
    return n;
  };
  const patients = number('patients', values.patients, 1)!;
  const appointments = number('appointments', values.appointments, 0)!;
  const database = config().database;
  console.log(`Seeding ${patients.toLocaleString('en')} patients and ${appointments.toLocaleString('en')} appointments into ${database.kind === 'mariadb' ? 'MariaDB' : `SQLite at ${database.path}`} …`);
  const ds = await openDatabase();
  try {
    const s = await seedScale(ds, {
      patients, appointments,
      rowsPerStatement: number('rows-per-statement', values['rows-per-statement'], 1),
      seed: number('seed', values.seed, 0),
      activity: values.activity,
      onProgress: (m) => console.log(`  ${m}`),
    });
    const total = Object.values(s.rows).reduce((a, b) => a + b, 0);
    console.log(`Done in ${(s.ms / 1000).toFixed(1)} s (${(s.ms / 60_000).toFixed(1)} min): ${total.toLocaleString('en')} rows, ${s.rowsPerSecond.toLocaleString('en')} rows/s`);
    for (const [table, n] of Object.entries(s.rows)) console.log(`  ${table.padEnd(18)} ${n.toLocaleString('en').padStart(12)}`);
  } finally {
    await closeDatabase();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

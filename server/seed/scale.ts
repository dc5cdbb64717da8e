import { hash } from '@node-rs/argon2';
import type { DataSource, QueryRunner } from 'typeorm';
import { config } from '../config.js';
import { diagnosticNameKey } from '../db/entities/diagnostic.js';
import { clock } from '../shared/clock.js';
import { clinicParts, clinicTimeToUtc } from '../shared/clinic-time.js';
import { activityTrail, type TrailPerson } from './activity.js';
import { Dice, insertRows, nextId, sqlDate, type Row } from './bulk.js';
import { addDays, isoWeekday } from './calendar.js';
import { CANCEL_REASONS, DEMO_DIAGNOSTICS, DIAGNOSTIC_FINDINGS, REQUEST_NOTES, VISIT_FINDINGS } from './demo-content.js';
import { DEMO_PASSWORD } from './demo.js';
import { emailPart, LOCALES } from './names.js';

/**
 * Fills a database for benchmarks: N patients and M appointments with staff,
 * slot rows, journal entries and prescriptions, in multi-row INSERTs of a few
 * thousand rows. Most appointments lie in the past (completed or cancelled);
 * the scheduled future ones are laid out day by day on the grid, one patient
 * at most once a day, so their slot rows never collide (SPEC rule 2) and the
 * booking services see a consistent calendar. With `activity`, the audit
 * trail, the mail log and login attempts grow with them.
 */
export interface ScaleOptions {
  patients: number;
  appointments: number;
  seed?: number;
  rowsPerStatement?: number;
  /** Share of appointments that are scheduled (or cancelled) in the future. */
  futureShare?: number;
  /** Share of appointments that are undated requests. */
  requestShare?: number;
  /** Share of completed appointments that produced a journal entry. */
  journalShare?: number;
  /**
   * Also write the trail a clinic of this size has: an audit event for each
   * request, booking, cancellation and record, the mail that went out for
   * them (already sent, so no worker sends it again), and a few login
   * attempts per person. Default true: the panel lists these too.
   */
  activity?: boolean;
  onProgress?: (message: string) => void;
}

export interface ScaleSummary {
  rows: Record<string, number>;
  ms: number;
  rowsPerSecond: number;
}

const MIN = 60_000;
const DAY = 86_400_000;
const VISIT_MINUTES = 30;

/** Buffers rows per table and writes them in multi-row statements, committing every few statements. */
class BulkWriter {
  readonly counts: Record<string, number> = {};
  private readonly buffers = new Map<string, Row[]>();
  private statements = 0;

  constructor(
    private readonly runner: QueryRunner,
    private readonly perStatement: number,
  ) {}

  async add(table: string, row: Row): Promise<void> {
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = []));
    buffer.push(row);
    // Everything goes out together, parents first (tables in the order first
    // seen), so a slot row never arrives before its appointment.
    if (buffer.length >= this.perStatement) await this.flush();
  }

  async flush(): Promise<void> {
    for (const name of this.buffers.keys()) {
      const rows = this.buffers.get(name) ?? [];
      if (rows.length === 0) continue;
      this.buffers.set(name, []);
      await insertRows(this.runner, name, rows, this.perStatement);
      this.counts[name] = (this.counts[name] ?? 0) + rows.length;
      // A commit every ~20 statements: few fsyncs, yet no giant undo log.
      if (++this.statements % 20 === 0) {
        await this.runner.commitTransaction();
        await this.runner.startTransaction();
      }
    }
  }

  total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
}

export async function seedScale(ds: DataSource, options: ScaleOptions): Promise<ScaleSummary> {
  const started = performance.now();
  const log = options.onProgress ?? (() => undefined);
  const dice = new Dice(options.seed ?? 4242);
  const now = clock.now();
  const mariadb = ds.options.type === 'mariadb';
  const perStatement = options.rowsPerStatement ?? (mariadb ? 2000 : 1000);
  const { hours, timeZone } = config().clinic;
  const passwordHash = await hash(DEMO_PASSWORD); // once, for every generated account
  const activity = options.activity ?? true;

  const runner = ds.createQueryRunner();
  await runner.connect();
  // The generator's ids and references are consistent by construction; skipping
  // the per-row foreign-key lookups roughly halves MariaDB's insert time.
  if (mariadb) await runner.query('SET SESSION foreign_key_checks = 0');
  await runner.startTransaction();
  const out = new BulkWriter(runner, perStatement);
  try {
    const ids = {
      user: await nextId(runner, 'users'),
      appointment: await nextId(runner, 'appointments'),
      journalEntry: await nextId(runner, 'journal_entries'),
      prescription: await nextId(runner, 'prescriptions'),
      diagnostic: await nextId(runner, 'diagnostics'),
    };
    const tag = `s${ids.user}`; // keeps emails unique across several runs
    const created = sqlDate(new Date(now.getTime() - 1000 * DAY));
    const people = new Map<number, TrailPerson>();
    const person = (id: number, role: 'doctor' | 'pharmacist' | 'operator' | 'patient', n: number): Row => {
      const locale = LOCALES[n % LOCALES.length];
      const female = dice.chance(0.5);
      const firstName = dice.pick(female ? locale.female : locale.male);
      const lastName = dice.pick(locale.last);
      const place = dice.pick(locale.cities);
      const email = `${emailPart(firstName)}.${emailPart(lastName)}.${tag}.${role}${n}@scale.qhealth.test`;
      if (activity) people.set(id, { email, firstName, lastName, role });
      return {
        id, email, passwordHash, role, firstName, lastName,
        phone: `+${locale.phone.code}${dice.pick(locale.phone.prefix)}${dice.digits(locale.phone.digits)}`,
        dateOfBirth: new Date(now.getTime() - dice.int(19 * 365, 90 * 365) * DAY).toISOString().slice(0, 10),
        gender: female ? 'female' : 'male', heightCm: dice.int(150, 198), weightKg: dice.int(480, 1100) / 10,
        addressStreet: dice.pick(locale.streets), addressHouse: String(dice.int(1, 120)), addressCity: place.city,
        addressRegion: place.region, addressCountry: locale.country, isActive: 1, isBlocked: 0, blockedAt: null,
        blockedById: null, blockedReason: null, lastLoginAt: null, sessionEpoch: 0, createdAt: created, updatedAt: created,
      };
    };

    // Staff sized to the calendar: enough doctors that the future visits fit.
    let nextUser = ids.user;
    const doctorCount = Math.max(6, Math.ceil(options.appointments / 15_000));
    const doctors: number[] = [];
    const pharmacists: number[] = [];
    const operators: number[] = [];
    for (let i = 0; i < doctorCount; i++) {
      const id = nextUser++;
      doctors.push(id);
      await out.add('users', person(id, 'doctor', i));
      await out.add('doctor_profiles', { userId: id, specialty: dice.pick(['General practice', 'Cardiology', 'Radiology', 'Orthopaedics', 'Dermatology', 'Neurology']), acceptingBookings: 1, visitMinutes: VISIT_MINUTES });
    }
    for (let i = 0; i < 4; i++) {
      pharmacists.push(nextUser);
      await out.add('users', person(nextUser++, 'pharmacist', i));
      operators.push(nextUser);
      await out.add('users', person(nextUser++, 'operator', i));
    }
    const firstPatient = nextUser;
    for (let i = 0; i < options.patients; i++) await out.add('users', person(nextUser++, 'patient', i));
    await out.flush();
    log(`${options.patients} patients and ${doctorCount + 8} staff written`);

    const diagnostics = await activeDiagnostics(runner, ids.diagnostic, now);
    const randomPatient = () => firstPatient + Math.floor(dice.next() * options.patients);

    // Opening hour of each open clinic day, in UTC. Daylight-saving changes
    // happen at night, so a day's grid is that instant plus whole minutes.
    const today = clinicParts(now, timeZone).date;
    const openAt = (date: string) => clinicTimeToUtc(date, hours.openMinute, timeZone).getTime();
    const openDays = (from: number, to: number) => {
      const days: { date: string; open: number }[] = [];
      for (let d = from; d <= to; d++) {
        const date = addDays(today, d);
        const wd = isoWeekday(date);
        if (wd >= hours.firstDay && wd <= hours.lastDay) days.push({ date, open: openAt(date) });
      }
      return days;
    };
    const dayCells = (hours.closeMinute - hours.openMinute) / 15;

    let nextAppointment = ids.appointment;
    let nextEntry = ids.journalEntry;
    let nextPrescription = ids.prescription;
    const requested = Math.round(options.appointments * (options.requestShare ?? 0.02));
    let future = Math.round(options.appointments * (options.futureShare ?? 0.08));

    const appointment = (a: {
      patientId: number; kind: 'diagnostic' | 'visit'; diagnosticId: number | null; doctorId: number | null;
      startsAt: Date | null; endsAt: Date | null; status: string;
    }): Row => {
      const bookedAt = a.startsAt ? new Date(Math.min(a.startsAt.getTime() - dice.int(1, 30) * DAY, now.getTime() - MIN)) : null;
      const createdAt = bookedAt ? new Date(bookedAt.getTime() - dice.int(0, 5) * DAY) : new Date(now.getTime() - dice.int(1, 20_000) * MIN);
      const cancelled = a.status === 'cancelled';
      const cancelledAt = cancelled ? new Date(Math.min(bookedAt!.getTime() + DAY, now.getTime() - MIN)) : null;
      return {
        id: nextAppointment++, patientId: a.patientId, kind: a.kind, diagnosticId: a.diagnosticId, doctorId: a.doctorId,
        startsAt: a.startsAt && sqlDate(a.startsAt), endsAt: a.endsAt && sqlDate(a.endsAt), status: a.status,
        patientNote: a.kind === 'diagnostic' ? dice.pick(REQUEST_NOTES) : null,
        bookedById: bookedAt ? dice.pick(operators) : null, bookedAt: bookedAt && sqlDate(bookedAt),
        cancelledById: cancelled ? dice.pick(operators) : null, cancelledAt: cancelledAt && sqlDate(cancelledAt),
        cancelReason: cancelled ? dice.pick(CANCEL_REASONS) : null,
        createdAt: sqlDate(createdAt), updatedAt: sqlDate(cancelledAt ?? a.endsAt ?? createdAt),
      };
    };
    const diagnosticNames = new Map(diagnostics.map((d) => [d.id, d.name]));
    const trail = activity ? activityTrail((table, row) => out.add(table, row), dice, people, diagnosticNames) : null;
    const progress = () => {
      const s = (performance.now() - started) / 1000;
      log(`${out.total().toLocaleString('en')} rows in ${s.toFixed(0)} s (${Math.round(out.total() / s).toLocaleString('en')} rows/s)`);
    };

    // The future, day by day and resource by resource, filled to the share
    // needed; each patient at most once a day, so nobody is double-booked.
    const futureDays = openDays(1, 175);
    const resources = [
      ...doctors.map((id) => ({ key: `doctor:${id}`, kind: 'visit' as const, id, minutes: VISIT_MINUTES, cells: VISIT_MINUTES / 15 })),
      ...diagnostics.map((d) => ({ key: `diagnostic:${d.id}`, kind: 'diagnostic' as const, id: d.id, minutes: d.minutes, cells: Math.ceil(d.minutes / 15) })),
    ];
    const capacity = futureDays.length * resources.reduce((n, r) => n + Math.floor(dayCells / r.cells), 0);
    const fill = Math.min(1, future / Math.max(1, capacity));
    let patientCursor = 0;
    for (const day of futureDays) {
      if (future <= 0) break;
      const busy = new Set<number>();
      for (const r of resources) {
        for (let cell = 0; cell + r.cells <= dayCells && future > 0; cell += r.cells) {
          if (!dice.chance(fill) || busy.size >= options.patients) continue;
          let patientId: number;
          do patientId = firstPatient + (patientCursor++ % options.patients); while (busy.has(patientId));
          busy.add(patientId);
          const startsAt = new Date(day.open + cell * 15 * MIN);
          const endsAt = new Date(startsAt.getTime() + r.minutes * MIN);
          const status = dice.chance(0.92) ? 'scheduled' : 'cancelled';
          const row = appointment({
            patientId, kind: r.kind, diagnosticId: r.kind === 'diagnostic' ? r.id : null, doctorId: r.kind === 'visit' ? r.id : null, startsAt, endsAt, status,
          });
          await out.add('appointments', row);
          await trail?.appointment(row, now);
          future--;
          if (status !== 'scheduled') continue;
          for (let c = 0; c < r.cells; c++) {
            const cellStart = sqlDate(new Date(startsAt.getTime() + c * 15 * MIN));
            await out.add('appointment_slots', { resourceKey: r.key, cellStart, appointmentId: row.id });
            await out.add('appointment_slots', { resourceKey: `patient:${patientId}`, cellStart, appointmentId: row.id });
          }
        }
      }
    }
    progress();

    // The past (and any future that did not fit): completed or cancelled, with records.
    const pastDays = openDays(-3 * 365, -1);
    const past = options.appointments - requested - (nextAppointment - ids.appointment);
    const journalShare = options.journalShare ?? 0.3;
    for (let i = 0; i < past; i++) {
      // Day by day, oldest first: the time-ordered indexes then grow at their
      // end instead of taking random page splits, which keeps MariaDB's
      // insert rate steady once they outgrow the buffer pool.
      const day = pastDays[Math.floor((i * pastDays.length) / past)];
      const visit = dice.chance(0.4);
      const diagnostic = visit ? null : dice.pick(diagnostics);
      const minutes = visit ? VISIT_MINUTES : diagnostic!.minutes;
      const startsAt = new Date(day.open + 15 * MIN * dice.int(0, dayCells - Math.ceil(minutes / 15)));
      const endsAt = new Date(startsAt.getTime() + minutes * MIN);
      const patientId = randomPatient();
      const doctorId = visit ? dice.pick(doctors) : null;
      const status = dice.chance(0.9) ? 'completed' : 'cancelled';
      const row = appointment({ patientId, kind: visit ? 'visit' : 'diagnostic', diagnosticId: diagnostic?.id ?? null, doctorId, startsAt, endsAt, status });
      await out.add('appointments', row);
      await trail?.appointment(row, now);
      if (status === 'completed' && dice.chance(journalShare)) {
        const entryId = nextEntry++;
        const authorId = doctorId ?? dice.pick(doctors);
        const finding = visit ? dice.pick(VISIT_FINDINGS) : { diagnosis: `${diagnostic!.name}: ${dice.pick(DIAGNOSTIC_FINDINGS)}`, description: `${diagnostic!.name} performed as planned.`, plan: null, prescription: undefined };
        const at = new Date(endsAt.getTime() + dice.int(5, 120) * MIN);
        const entry = {
          id: entryId, patientId, authorId, recordedById: authorId, diagnosis: finding.diagnosis,
          description: finding.description, plan: finding.plan, correctsId: null, createdAt: sqlDate(at),
        };
        await out.add('journal_entries', entry);
        await trail?.record('journalEntry', entry);
        if (finding.prescription && dice.chance(0.5)) {
          const pharmacistId = dice.pick(pharmacists);
          const [medication, dosage, instructions] = finding.prescription;
          const prescribedAt = new Date(at.getTime() + dice.int(1, 24) * 60 * MIN);
          const prescription = {
            id: nextPrescription++, patientId, authorId: pharmacistId, recordedById: pharmacistId, medication, dosage, instructions,
            journalEntryId: entryId, createdAt: sqlDate(prescribedAt),
          };
          await out.add('prescriptions', prescription);
          await trail?.record('prescription', prescription);
        }
      }
      if ((i + 1) % 200_000 === 0) progress();
    }
    for (let i = 0; i < requested; i++) {
      const row = appointment({ patientId: randomPatient(), kind: 'diagnostic', diagnosticId: dice.pick(diagnostics).id, doctorId: null, startsAt: null, endsAt: null, status: 'requested' });
      await out.add('appointments', row);
      await trail?.appointment(row, now);
    }
    await trail?.logins(now, 3 * 365 * DAY);
    await out.flush();
    await runner.commitTransaction();
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    if (mariadb) await runner.query('SET SESSION foreign_key_checks = 1').catch(() => undefined);
    await runner.release();
  }
  const ms = performance.now() - started;
  return { rows: out.counts, ms: Math.round(ms), rowsPerSecond: Math.round(out.total() / (ms / 1000)) };
}

/** The catalogue to book from: the active diagnostics, or the demo's twelve when there are none. */
async function activeDiagnostics(runner: QueryRunner, firstId: number, now: Date): Promise<{ id: number; name: string; minutes: number }[]> {
  const found = (await runner.query('SELECT id, name, durationMinutes FROM diagnostics WHERE isActive = 1')) as { id: number; name: string; durationMinutes: number }[];
  if (found.length > 0) return found.map((d) => ({ id: Number(d.id), name: d.name, minutes: Number(d.durationMinutes) }));
  const at = sqlDate(now);
  const rows = DEMO_DIAGNOSTICS.map((d, i) => ({
    id: firstId + i, name: d.name, nameKey: diagnosticNameKey(d.name), description: d.description, durationMinutes: d.minutes, isActive: 1, createdAt: at, updatedAt: at,
  }));
  await insertRows(runner, 'diagnostics', rows);
  return rows.map((r) => ({ id: r.id, name: r.name, minutes: r.durationMinutes }));
}

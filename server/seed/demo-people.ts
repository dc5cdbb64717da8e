import type { Role } from '../access/roles.js';
import { Dice, sqlDate, type Row } from './bulk.js';
import { emailPart, HOME_LOCALE, LOCALES, type Locale } from './names.js';

/** The staff and the two patients everybody logs in as (password `qhealth-demo`). */
interface NamedPerson {
  email: string;
  role: Role;
  firstName: string;
  lastName: string;
  locale: string;
  gender: 'female' | 'male';
  specialty?: string;
  acceptingBookings?: boolean;
}

export const NAMED_PEOPLE: NamedPerson[] = [
  { email: 'superuser@qhealth.test', role: 'superuser', firstName: 'Astrid', lastName: 'Lindqvist', locale: 'Sweden', gender: 'female' },
  { email: 'admin@qhealth.test', role: 'admin', firstName: 'Johan', lastName: 'Åberg', locale: 'Sweden', gender: 'male' },
  { email: 'admin2@qhealth.test', role: 'admin', firstName: 'Siobhán', lastName: "O'Brien", locale: 'Ireland', gender: 'female' },
  { email: 'doctor@qhealth.test', role: 'doctor', firstName: 'Karin', lastName: 'Söderström', locale: 'Sweden', gender: 'female', specialty: 'General practice' },
  { email: 'doctor2@qhealth.test', role: 'doctor', firstName: 'Jean-Luc', lastName: 'Lefèvre', locale: 'France', gender: 'male', specialty: 'Cardiology' },
  { email: 'doctor3@qhealth.test', role: 'doctor', firstName: 'Chidinma', lastName: 'Okonkwo', locale: 'Nigeria', gender: 'female', specialty: 'Radiology' },
  { email: 'doctor4@qhealth.test', role: 'doctor', firstName: 'Jürgen', lastName: 'Müller-Lüdenscheidt', locale: 'Germany', gender: 'male', specialty: 'Orthopaedics' },
  { email: 'doctor5@qhealth.test', role: 'doctor', firstName: 'Thu Trang', lastName: 'Nguyễn', locale: 'Vietnam', gender: 'female', specialty: 'Dermatology' },
  // Stopped taking bookings: the panel lists his remaining visits for operators to rebook (SPEC rule 6).
  { email: 'doctor6@qhealth.test', role: 'doctor', firstName: 'Íñigo', lastName: 'Ibáñez', locale: 'Spain', gender: 'male', specialty: 'Neurology', acceptingBookings: false },
  { email: 'operator@qhealth.test', role: 'operator', firstName: 'Maja', lastName: 'Nyström', locale: 'Sweden', gender: 'female' },
  { email: 'operator2@qhealth.test', role: 'operator', firstName: 'Paweł', lastName: 'Wiśniewski', locale: 'Poland', gender: 'male' },
  { email: 'operator3@qhealth.test', role: 'operator', firstName: 'Aoife', lastName: 'Ní Bhriain', locale: 'Ireland', gender: 'female' },
  { email: 'pharmacist@qhealth.test', role: 'pharmacist', firstName: 'Ingrid', lastName: 'Ekström', locale: 'Sweden', gender: 'female' },
  { email: 'pharmacist2@qhealth.test', role: 'pharmacist', firstName: 'Tunde', lastName: 'Adebayo-Williams', locale: 'Nigeria', gender: 'male' },
  { email: 'patient@qhealth.test', role: 'patient', firstName: 'Elsa', lastName: 'Bergström', locale: 'Sweden', gender: 'female' },
  { email: 'patient2@qhealth.test', role: 'patient', firstName: 'Seán', lastName: "O'Sullivan", locale: 'Ireland', gender: 'male' },
];

export const DEMO_LOGIN_EMAILS = [
  'superuser@qhealth.test', 'admin@qhealth.test', 'doctor@qhealth.test', 'operator@qhealth.test',
  'pharmacist@qhealth.test', 'patient@qhealth.test', 'patient2@qhealth.test',
] as const;

const DAY_MS = 86_400_000;

export interface DemoPerson {
  row: Row;
  id: number;
  role: Role;
  email: string;
  firstName: string;
  lastName: string;
  specialty?: string;
  acceptingBookings?: boolean;
  /** Generated patients only: may be booked (active, not blocked). */
  bookable: boolean;
}

/** A birth date between 18 and 90 years before `now` (SPEC §2: patients are adults). */
function birthDate(dice: Dice, now: Date, minAge = 18): string {
  const years = dice.int(minAge, 90);
  const d = new Date(now.getTime() - years * 365.25 * DAY_MS - dice.int(1, 360) * DAY_MS);
  return d.toISOString().slice(0, 10);
}

function phone(dice: Dice, locale: Locale): string {
  return `+${locale.phone.code}${dice.pick(locale.phone.prefix)}${dice.digits(locale.phone.digits)}`;
}

function personRow(
  dice: Dice, now: Date, id: number, p: { email: string; role: Role; firstName: string; lastName: string; gender: 'female' | 'male' },
  locale: Locale, passwordHash: string | null, createdAt: Date,
): Row {
  // Most live near the clinic whatever their name; some are visitors from home.
  const home = dice.chance(0.7) ? HOME_LOCALE : locale;
  const place = dice.pick(home.cities);
  const patient = p.role === 'patient';
  return {
    id, email: p.email, passwordHash, role: p.role, firstName: p.firstName, lastName: p.lastName,
    phone: phone(dice, locale),
    dateOfBirth: birthDate(dice, now, patient ? 18 : 25),
    gender: p.gender,
    heightCm: patient ? (p.gender === 'female' ? dice.int(152, 182) : dice.int(162, 198)) : null,
    weightKg: patient ? dice.int(480, 1100) / 10 : null,
    addressStreet: dice.pick(home.streets), addressHouse: String(dice.int(1, 140)) + (dice.chance(0.15) ? ' B' : ''),
    addressCity: place.city, addressRegion: place.region, addressCountry: home.country,
    isActive: 1, isBlocked: 0, blockedAt: null, blockedById: null, blockedReason: null,
    lastLoginAt: dice.chance(0.6) ? sqlDate(new Date(now.getTime() - dice.int(1, 60 * 24 * 20) * 60_000)) : null,
    sessionEpoch: 0,
    createdAt: sqlDate(createdAt), updatedAt: sqlDate(createdAt),
  };
}

/** Everyone in the demo clinic: the named staff and patients, then `patients` generated ones. */
export function demoPeople(dice: Dice, now: Date, firstId: number, passwordHash: string, patients: number): DemoPerson[] {
  const people: DemoPerson[] = [];
  let id = firstId;
  for (const p of NAMED_PEOPLE) {
    const locale = LOCALES.find((l) => l.country === p.locale)!;
    const created = new Date(now.getTime() - dice.int(200, 900) * DAY_MS);
    const row = personRow(dice, now, id, p, locale, passwordHash, created);
    people.push({ row, id, role: p.role, email: p.email, firstName: p.firstName, lastName: p.lastName, specialty: p.specialty, acceptingBookings: p.acceptingBookings ?? true, bookable: true });
    id++;
  }
  const adminId = people.find((p) => p.role === 'admin')!.id;
  const generated = Math.max(0, patients - people.filter((p) => p.role === 'patient').length);
  for (let n = 1; n <= generated; n++) {
    const locale = LOCALES[n % LOCALES.length];
    const gender = dice.chance(0.5) ? 'female' : 'male';
    const firstName = dice.pick(gender === 'female' ? locale.female : locale.male);
    const lastName = dice.pick(locale.last);
    const email = `${emailPart(firstName)}.${emailPart(lastName)}.${n}@patients.qhealth.test`;
    const created = new Date(now.getTime() - dice.int(8, 700) * DAY_MS);
    const row = personRow(dice, now, id, { email, role: 'patient', firstName, lastName, gender }, locale, passwordHash, created);
    let bookable = true;
    if (n % 40 === 0) {
      // Registered this week, activation link not opened yet.
      Object.assign(row, { isActive: 0, lastLoginAt: null, createdAt: sqlDate(new Date(now.getTime() - dice.int(1, 6) * DAY_MS)) });
      row.updatedAt = row.createdAt;
      bookable = false;
    } else if (n % 67 === 0) {
      Object.assign(row, {
        isBlocked: 1, blockedById: adminId, blockedAt: sqlDate(new Date(now.getTime() - dice.int(2, 30) * DAY_MS)),
        blockedReason: 'Repeated abusive calls to reception; asked to contact the clinic manager.', sessionEpoch: 1,
      });
      bookable = false;
    }
    people.push({ row, id, role: 'patient', email, firstName, lastName, bookable });
    id++;
  }
  return people;
}

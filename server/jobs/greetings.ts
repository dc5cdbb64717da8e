import { SYSTEM_ACTOR } from '../access/actor.js';
import { config } from '../config.js';
import { db } from '../db/data-source.js';
import { User } from '../db/entities/user.js';
import type { NotificationData } from '../notifications/kinds.js';
import { clinicParts } from '../shared/clinic-time.js';
import { inTransaction } from '../shared/unit-of-work.js';
import { notifyMany } from './outbox.js';

/**
 * Greetings to everyone whose account is active and not blocked: patients
 * and the clinic's own staff alike (SPEC §5 names no audience, and a clinic
 * wishes its colleagues a happy birthday too). They are due from 10:00 clinic time; the schedule runs them every hour of the rest
 * of the day, and the dedupe keys (one greeting per person per year) make the
 * repeats, and a worker that was down at 10:00, harmless.
 */
const GREETING_MINUTE = 10 * 60;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function greetedPeople() {
  return db()
    .getRepository(User)
    .createQueryBuilder('u')
    .select(['u.id', 'u.email', 'u.firstName'])
    .where('u.isActive = :active AND u.isBlocked = :blocked', { active: true, blocked: false });
}

export async function queueBirthdayGreetings(now: Date): Promise<number> {
  if (!config().greetings.birthday) return 0;
  const today = clinicParts(now);
  if (today.minuteOfDay < GREETING_MINUTE) return 0;
  const [year, month, day] = today.date.split('-');
  const monthDays = [`${month}-${day}`];
  // Born on 29 February: greeted on the 28th in years without one.
  if (month === '02' && day === '28' && !isLeapYear(Number(year))) monthDays.push('02-29');
  const people = await greetedPeople()
    .andWhere(`(${monthDays.map((_, i) => `u.dateOfBirth LIKE :md${i}`).join(' OR ')})`, Object.fromEntries(monthDays.map((md, i) => [`md${i}`, `%-${md}`])))
    .getMany();
  if (people.length === 0) return 0;
  await inTransaction(SYSTEM_ACTOR, (w) => notifyMany(w.manager, people.map((u) => {
    const data: NotificationData['birthday_greeting'] = { firstName: u.firstName };
    return { kind: 'birthday_greeting', toEmail: u.email, recipientUserId: u.id, data: { ...data }, dedupeKey: `birthday:${u.id}:${year}` };
  })));
  return people.length;
}

const OCCASIONS: Record<string, NotificationData['season_greeting']['occasion']> = { '12-25': 'christmas', '12-31': 'new_year' };

export async function queueSeasonGreetings(now: Date): Promise<number> {
  if (!config().greetings.season) return 0;
  const today = clinicParts(now);
  const occasion = OCCASIONS[today.date.slice(5)];
  if (!occasion || today.minuteOfDay < GREETING_MINUTE) return 0;
  const year = today.date.slice(0, 4);
  let afterId = 0;
  let total = 0;
  // Everyone, a page at a time, so a large clinic is not read into memory at once.
  for (;;) {
    const page = await greetedPeople().andWhere('u.id > :afterId', { afterId }).orderBy('u.id', 'ASC').take(1000).getMany();
    if (page.length === 0) return total;
    await inTransaction(SYSTEM_ACTOR, (w) => notifyMany(w.manager, page.map((u) => {
      const data: NotificationData['season_greeting'] = { firstName: u.firstName, occasion };
      return { kind: 'season_greeting', toEmail: u.email, recipientUserId: u.id, data: { ...data }, dedupeKey: `season:${occasion}:${year}:${u.id}` };
    })));
    total += page.length;
    afterId = page[page.length - 1].id;
  }
}

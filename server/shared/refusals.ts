import type { Actor } from '../access/actor.js';
import type { AuditAction, AuditOutcome, AuditResource } from '../db/entities/audit-event.js';
import { Conflict, Forbidden, NotVisible } from './errors.js';
import { inTransaction, type AuditInput } from './unit-of-work.js';

/** What a refused attempt was aimed at: its audit row names it as a success would. */
export type Attempt = Pick<AuditInput, 'action' | 'resource' | 'recordId' | 'patientId'>;

/**
 * Which refusals the trail keeps: a permission rule's (403, or the 404 of a
 * record the caller may not see) as 'denied'; a business rule's (409: the
 * slot is taken, too late to cancel online) as 'failed', since that is the
 * attempt a patient or operator calls the clinic about. Bad input (400) and
 * everything else are not attempts worth a row.
 */
export function refusalOutcome(err: unknown): Exclude<AuditOutcome, 'success'> | undefined {
  if (err instanceof Forbidden || err instanceof NotVisible) return 'denied';
  if (err instanceof Conflict) return 'failed';
  return undefined;
}

/** An error is recorded once, by the service it left first (a service may call another). */
const recorded = new WeakSet<object>();

/**
 * Writes one audit row for a refused attempt by a logged-in person, in its own
 * short transaction: the refused one has rolled back, and none of its writes
 * may ride along. Anonymous flows (login, registration) and the scheduled
 * jobs are not recorded here. A failure to write is logged, never answered:
 * the caller gets the refusal exactly as before.
 */
export async function auditRefusal(actor: Actor | null | undefined, err: unknown, attempt: Attempt): Promise<void> {
  const outcome = refusalOutcome(err);
  if (!outcome || !actor || actor.id === null || actor.role === 'system' || recorded.has(err as object)) return;
  recorded.add(err as object);
  try {
    await inTransaction(actor, (w) => w.audit({ ...attempt, outcome }));
  } catch (auditError) {
    console.error(`[${actor.requestId ?? '-'}] could not record a refused ${attempt.action}`, auditError);
  }
}

type Service<A extends unknown[], R> = (actor: Actor, ...args: A) => Promise<R>;

/**
 * A state-changing service as the panel, the portal and the jobs call it: a
 * refusal leaving it is recorded (see `auditRefusal`) and then thrown on
 * unchanged. The record is the service's first argument when that is an id;
 * the patient, when it is an input naming one.
 */
export function auditsRefusals<A extends unknown[], R>(
  resource: AuditResource,
  action: AuditAction | ((...args: A) => AuditAction),
  service: Service<A, R>,
): Service<A, R> {
  return async (actor, ...args) => {
    try {
      return await service(actor, ...args);
    } catch (err) {
      if (refusalOutcome(err)) {
        await auditRefusal(actor, err, { resource, action: typeof action === 'string' ? action : action(...args), ...target(args[0]) });
      }
      throw err;
    }
  };
}

function target(first: unknown): Pick<Attempt, 'recordId' | 'patientId'> {
  if (isId(first)) return { recordId: first };
  const patientId = (first as { patientId?: unknown } | null | undefined)?.patientId;
  return isId(patientId) ? { patientId } : {};
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

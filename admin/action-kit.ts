import { populator, type Action, type ActionContext, type ActionRequest, type ActionResponse, type CurrentAdmin } from 'adminjs';
import type { Actor } from '../server/access/actor.js';
import { can, type Permission } from '../server/access/policy.js';
import { DomainError, errorEnvelope, Forbidden, Invalid } from '../server/shared/errors.js';
import type { AuditAction, AuditResource } from '../server/db/entities/audit-event.js';
import { auditRefusal, type Attempt } from '../server/shared/refusals.js';
import { Components } from './components.js';
import { actorOf, actorOfAdmin } from './current-admin.js';

/**
 * Custom actions are adapters: a GET only describes the form (choices, free
 * slots), a POST parses the payload and calls one service. The service is
 * where every rule lives; errors come back as an error notice with fields.
 */
export interface FormField {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'select' | 'date' | 'slot';
  required?: boolean;
  options?: { value: string; label: string }[];
  placeholder?: string;
  /** Changing this field re-asks the server for choices/slots (GET). */
  refreshes?: boolean;
  /** Shown only when the form data says the actor may act on someone's behalf. */
  adminsOnly?: boolean;
}

export interface FormData {
  choices?: Record<string, { value: string; label: string }[]>;
  slots?: { startsAt: string; label: string }[];
  slotHint?: string;
  info?: string;
  onBehalf?: boolean;
  /** The day picker's bounds (clinic days) and the caption naming the clinic's zone. */
  days?: { min: string; max: string; zone: string };
}

type Access = Permission | ((actor: Actor, context: ActionContext) => boolean);

export interface ServiceActionSpec {
  actionType: 'record' | 'resource';
  label: string;
  icon?: string;
  variant?: 'danger' | 'primary';
  access: Access;
  /** Hide the button for records it does not apply to (the service still decides). */
  appliesTo?: (record: Record<string, unknown>, actor: Actor) => boolean;
  fields: FormField[];
  intro?: string;
  submitLabel?: string;
  form?: (actor: Actor, query: Record<string, string>, context: ActionContext) => Promise<FormData>;
  run: (actor: Actor, payload: Record<string, string>, context: ActionContext) => Promise<{ message: string; redirectUrl?: string }>;
  /**
   * The service's own names for the change, for the audit row of a POST the
   * panel refuses before calling it. `forPatient`: the record is the patient
   * a new one was for.
   */
  audit: { action: AuditAction; resource: AuditResource; forPatient?: boolean };
}

export function allowed(access: Access, actor: Actor | null, context: ActionContext): boolean {
  if (!actor) return false;
  return typeof access === 'function' ? access(actor, context) : can(actor, access);
}

export function hasPermission(permission: Permission) {
  return ({ currentAdmin }: { currentAdmin?: CurrentAdmin }) => can(actorOfAdmin(currentAdmin), permission);
}

export function serviceAction(spec: ServiceActionSpec): Partial<Action<ActionResponse>> {
  const isAccessible = (context: ActionContext) => allowed(spec.access, actorOf(context), context);
  return {
    actionType: spec.actionType,
    icon: spec.icon,
    variant: spec.variant,
    component: Components.ActionForm,
    showInDrawer: false,
    isAccessible,
    isVisible: (context: ActionContext) =>
      isAccessible(context) && (!spec.appliesTo || !context.record || spec.appliesTo(context.record.params, actorOf(context) as Actor)),
    custom: { fields: spec.fields, intro: spec.intro, submitLabel: spec.submitLabel ?? spec.label, label: spec.label },
    // Runs before AdminJS's own access check, which refuses without calling the service.
    before: async (request: ActionRequest, context: ActionContext) => {
      if (request.method === 'post' && !isAccessible(context)) await auditRefusal(actorOf(context), new Forbidden(), refusedAttempt(spec, context));
      return request;
    },
    handler: async (request: ActionRequest, response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const actor = actorOf(context);
      // The form's heading names the record ("Cancel: Appointment 12 Mar 14:30
      // with Dr …"): its references, as far as this role may see them.
      if (context.record && request.method !== 'post') await populator([context.record], context);
      const record = context.record?.toJSON(context.currentAdmin);
      if (!actor) return { record, notice: { message: 'Please log in.', type: 'error' } };
      if (request.method !== 'post') {
        const form = spec.form ? await spec.form(actor, stringValues(request.query), context) : {};
        return { record, form };
      }
      try {
        const { message, redirectUrl } = await spec.run(actor, stringValues(request.payload), context);
        return { record, redirectUrl, notice: { message, type: 'success' } };
      } catch (err) {
        return errorResponse(err, record, response);
      }
    },
  };
}

/** What a refused panel action was aimed at, named as the service names it. */
function refusedAttempt(spec: ServiceActionSpec, context: ActionContext): Attempt {
  const { action, resource, forPatient } = spec.audit;
  const id = Number(context.record?.id());
  if (!context.record || !Number.isSafeInteger(id)) return { action, resource };
  if (forPatient) return { action, resource, patientId: id };
  const patientId = resource === 'user' ? (context.resource.id() === 'Patients' ? id : null) : Number(context.record.params.patientId) || null;
  return { action, resource, recordId: id, patientId };
}

/**
 * A service's typed error as the panel shows it: the error's HTTP status and
 * envelope (SPEC §8) for API callers, a notice and field messages for the form.
 */
export function errorResponse(err: unknown, record?: unknown, response?: unknown): ActionResponse {
  if (!(err instanceof DomainError)) throw err;
  const res = response as { status?: (code: number) => unknown; setHeader?: (k: string, v: string) => unknown } | undefined;
  if (typeof res?.status === 'function') res.status(err.status);
  for (const [k, v] of Object.entries(err.headers ?? {})) res?.setHeader?.(k, v);
  const errors = Object.fromEntries(Object.entries(err.fields ?? {}).map(([k, message]) => [k, { message }]));
  return { record, errors, notice: { message: err.message, type: 'error' }, ...errorEnvelope(err) };
}

function stringValues(input: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input ?? {})) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/**
 * A whole-number form field (an id from a picker, a duration): empty is
 * undefined (the service names it if it is required); anything but digits is
 * refused here with the field's own message, not zod's "received NaN".
 */
export function numberField(payload: Record<string, string>, name: string, message = 'Choose one from the list.'): number | undefined {
  const v = payload[name]?.trim();
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new Invalid('Some fields are not valid.', { [name]: message });
  return Number(v);
}

/** An action no one may use (built-ins replaced by service-backed ones). */
export const disabled: Partial<Action<ActionResponse>> = { isAccessible: false, isVisible: false };

export function recordHref(resourceId: string, id: number | string): string {
  return `/admin/resources/${resourceId}/records/${id}/show`;
}

import type { Actor } from '../access/actor.js';
import { requireAccess } from '../access/policy.js';
import { Appointment } from '../db/entities/appointment.js';
import { diff, inTransaction } from '../shared/unit-of-work.js';
import { notifyRequestReceived } from './notices.js';
import { bookableDiagnostic, bookablePatient } from './participants.js';
import { getAppointment, type AppointmentView } from './queries.js';
import { appointmentSnapshot } from './records.js';
import { parseInput, requestDiagnosticInput, type RequestDiagnosticInput } from './schemas.js';

/**
 * Rule 1: a patient asks for a diagnostic from the catalogue, with an
 * optional note and no date; an operator dates it later (schedule.ts).
 */
export async function requestDiagnostic(actor: Actor, input: RequestDiagnosticInput): Promise<AppointmentView> {
  requireAccess(actor, 'appointment.requestOwn');
  const data = parseInput(requestDiagnosticInput, input);
  const id = await inTransaction(actor, async (w) => {
    const patient = await bookablePatient(w.manager, actor.id!);
    const diagnostic = await bookableDiagnostic(w.manager, data.diagnosticId, { activeOnly: true });
    const repo = w.manager.getRepository(Appointment);
    const request = await repo.save(repo.create({
      patientId: patient.id, kind: 'diagnostic', diagnosticId: diagnostic.id, doctorId: null,
      startsAt: null, endsAt: null, status: 'requested', patientNote: data.note,
    }));
    await w.audit({
      action: 'appointment.request', resource: 'appointment', recordId: request.id, patientId: patient.id,
      changes: diff({}, appointmentSnapshot(request)),
    });
    await notifyRequestReceived(w, request, patient, diagnostic);
    w.changed({ resource: 'appointment', id: request.id, action: 'created', patientId: patient.id, doctorId: null });
    return request.id;
  });
  return getAppointment(actor, id);
}

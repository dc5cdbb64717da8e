import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post, type Page } from '../api.js';
import { formatDateTime } from '../format.js';
import { Link } from '../router.js';
import { CANCEL_NOTICE_HOURS } from '../rules.js';
import { useLiveRefresh } from '../live.js';
import { Alert, LiveNote, Title, useLoad } from '../ui.js';

export interface AppointmentItem {
  id: number;
  kind: 'diagnostic' | 'visit';
  status: 'requested' | 'scheduled' | 'cancelled' | 'completed';
  diagnostic: { id: number; name: string } | null;
  doctor: { id: number; firstName: string; lastName: string; specialty: string | null } | null;
  startsAt: string | null;
  endsAt: string | null;
  patientNote?: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  createdAt: string;
}

const HOUR = 3600_000;
const STATUS_TEXT = { requested: 'Requested, waiting for a date', scheduled: 'Booked', cancelled: 'Cancelled', completed: 'Completed' };

export function Pager({ page, onPage }: { page: Page<unknown>; onPage: (p: number) => void }) {
  const last = Math.max(1, Math.ceil(page.total / page.perPage));
  if (last === 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="secondary" disabled={page.page <= 1} onClick={() => onPage(page.page - 1)}>Previous</button>
      <span>Page {page.page} of {last}</span>
      <button type="button" class="secondary" disabled={page.page >= last} onClick={() => onPage(page.page + 1)}>Next</button>
    </nav>
  );
}

function title(a: AppointmentItem): string {
  if (a.kind === 'diagnostic') return a.diagnostic?.name ?? 'Diagnostic';
  return a.doctor ? `Visit with Dr ${a.doctor.lastName}${a.doctor.specialty ? ` (${a.doctor.specialty})` : ''}` : 'Doctor visit';
}

/**
 * The patient's requests and bookings. The 24-hour rule (SPEC rule 4) is
 * stated next to each booking before any click; inside 24 hours the cancel
 * button is replaced by the explanation. The server enforces it regardless.
 */
export function Appointments() {
  const [pastPage, setPastPage] = useState(1);
  const open = useLoad(() => get<Page<AppointmentItem>>('/appointments', { status: 'scheduled', from: new Date().toISOString(), sort: 'startsAt', perPage: 100 }));
  const requests = useLoad(() => get<Page<AppointmentItem>>('/appointments', { status: 'requested', sort: '-createdAt', perPage: 100 }));
  const past = useLoad(() => get<Page<AppointmentItem>>('/appointments', { status: 'cancelled,completed', sort: '-startsAt', page: pastPage }), [pastPage]);
  const reload = () => (open.reload(), requests.reload(), past.reload());
  const live = useLiveRefresh(['appointment'], reload);
  const now = Date.now();
  const upcoming = open.data?.items.filter((a) => a.startsAt && Date.parse(a.startsAt) > now) ?? [];
  const error = open.error || requests.error || past.error;
  return (
    <>
      <Title>My appointments</Title>
      <LiveNote state={live} />
      <p>
        Need a new examination? <Link href="/diagnostics">Request a diagnostic</Link>.
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      <section aria-labelledby="upcoming-h">
        <h2 id="upcoming-h">Upcoming</h2>
        <p class="hint">You can cancel a booking here until {CANCEL_NOTICE_HOURS} hours before it starts. After that, please call the clinic.</p>
        {open.data && (upcoming.length ? <AppointmentList items={upcoming} onChange={reload} /> : <p>No upcoming appointments.</p>)}
      </section>
      <section aria-labelledby="requests-h">
        <h2 id="requests-h">Requests</h2>
        <p class="hint">The clinic turns each request into a booking and emails you the date. You can withdraw a request at any time.</p>
        {requests.data && (requests.data.items.length ? <AppointmentList items={requests.data.items} onChange={reload} /> : <p>No open requests.</p>)}
      </section>
      <section aria-labelledby="past-h">
        <h2 id="past-h">Past and cancelled</h2>
        {past.data && (past.data.items.length ? <AppointmentList items={past.data.items} onChange={reload} /> : <p>Nothing yet.</p>)}
        {past.data && <Pager page={past.data} onPage={setPastPage} />}
      </section>
    </>
  );
}

function AppointmentList({ items, onChange }: { items: AppointmentItem[]; onChange: () => void }) {
  return (
    <ul class="cards">
      {items.map((a) => (
        <AppointmentCard key={a.id} appointment={a} onChange={onChange} />
      ))}
    </ul>
  );
}

function AppointmentCard({ appointment: a, onChange }: { appointment: AppointmentItem; onChange: () => void }) {
  const headingId = `a-${a.id}`;
  return (
    <li class={`card status-${a.status}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{title(a)}</h3>
      <dl>
        <dt>Status</dt>
        <dd>{STATUS_TEXT[a.status]}</dd>
        {a.startsAt && (
          <>
            <dt>When</dt>
            <dd>{formatDateTime(a.startsAt)}</dd>
          </>
        )}
        {a.status === 'requested' && (
          <>
            <dt>Requested</dt>
            <dd>{formatDateTime(a.createdAt)}</dd>
          </>
        )}
        {a.patientNote && (
          <>
            <dt>Your note</dt>
            <dd>{a.patientNote}</dd>
          </>
        )}
        {a.status === 'cancelled' && a.cancelReason && (
          <>
            <dt>Reason</dt>
            <dd>{a.cancelReason}</dd>
          </>
        )}
      </dl>
      <CancelControl appointment={a} onChange={onChange} />
    </li>
  );
}

function CancelControl({ appointment: a, onChange }: { appointment: AppointmentItem; onChange: () => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const toggle = useRef<HTMLButtonElement>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const asked = useRef(false);
  // The confirmation replaces the button that opened it: move focus into it, and back when it is dismissed.
  useEffect(() => {
    if (asking) reasonInput.current?.focus();
    else if (asked.current) toggle.current?.focus();
    asked.current = asking;
  }, [asking]);
  if (a.status !== 'requested' && a.status !== 'scheduled') return null;
  const withdraw = a.status === 'requested';
  const startsAt = a.startsAt ? Date.parse(a.startsAt) : 0;
  if (!withdraw && startsAt <= Date.now()) return null;
  const deadline = startsAt - CANCEL_NOTICE_HOURS * HOUR;
  if (!withdraw && Date.now() >= deadline) {
    return (
      <p class="notice">
        This appointment starts within {CANCEL_NOTICE_HOURS} hours, so it can no longer be cancelled online. Please call the clinic.
      </p>
    );
  }
  const verb = withdraw ? 'Withdraw request' : 'Cancel appointment';
  const send = async () => {
    try {
      await post(`/appointments/${a.id}/cancel`, reason.trim() ? { reason: reason.trim() } : {});
      onChange();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong.');
    }
  };
  const reasonId = `reason-${a.id}`;
  return (
    <div>
      {!withdraw && <p class="hint">You can cancel until {formatDateTime(new Date(deadline).toISOString())}.</p>}
      {error && <Alert kind="error">{error}</Alert>}
      {asking ? (
        <div class="confirm">
          <label for={reasonId}>Reason (optional)</label>
          <input id={reasonId} ref={reasonInput} value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
          <button type="button" class="danger" onClick={() => void send()}>Yes, {verb.toLowerCase()}</button>{' '}
          <button type="button" class="secondary" onClick={() => setAsking(false)}>Keep it</button>
        </div>
      ) : (
        <button type="button" class="secondary" ref={toggle} onClick={() => setAsking(true)}>{verb}…</button>
      )}
    </div>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, type Page } from '../api.js';
import { Link } from '../router.js';
import { collect, NOTE_MAX_LENGTH } from '../rules.js';
import { useLiveRefresh } from '../live.js';
import { Alert, Field, Submit, Title, useForm, useLoad } from '../ui.js';
import { Pager } from './appointments.js';

export interface DiagnosticItem {
  id: number;
  name: string;
  description: string | null;
  durationMinutes: number;
}

/** The active catalogue, searchable by name, each with a "request" form. */
export function Diagnostics() {
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const list = useLoad(() => get<Page<DiagnosticItem>>('/diagnostics', { q: search, page }), [search, page]);
  useLiveRefresh(['diagnostic'], list.reload);
  return (
    <>
      <Title>Diagnostics</Title>
      <p>Ask for a diagnostic here. The clinic then books a date and time and lets you know by email.</p>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setSearch(q.trim());
        }}
      >
        <Field name="q" label="Search by name" type="search" value={q} onValue={setQ} />
        <button type="submit">Search</button>
      </form>
      {list.error && <Alert kind="error">{list.error}</Alert>}
      {list.data && (
        <>
          <p role="status">{list.data.total === 0 ? 'No diagnostics match.' : `${list.data.total} diagnostic${list.data.total === 1 ? '' : 's'}`}</p>
          <ul class="cards">
            {list.data.items.map((d) => (
              <DiagnosticCard key={d.id} diagnostic={d} />
            ))}
          </ul>
          <Pager page={list.data} onPage={setPage} />
        </>
      )}
    </>
  );
}

function DiagnosticCard({ diagnostic }: { diagnostic: DiagnosticItem }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  const idPrefix = `d${diagnostic.id}-`;
  const requestButton = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  // Keyboard focus follows the control that replaces the one just pressed: the note when the form opens,
  // the "Request" button again when it is closed without sending.
  useEffect(() => {
    if (open) document.getElementById(`${idPrefix}note`)?.focus();
    else if (opened.current && !done) requestButton.current?.focus();
    opened.current = open;
  }, [open]);
  const form = useForm(
    { note: '' },
    (v) => collect({ note: v.note.length > NOTE_MAX_LENGTH ? `Keep the note under ${NOTE_MAX_LENGTH} characters.` : undefined }),
    async (v) => {
      await post('/requests', { diagnosticId: diagnostic.id, ...(v.note.trim() ? { note: v.note.trim() } : {}) });
      setDone(true);
      setOpen(false);
    },
    idPrefix,
  );
  const headingId = `d-${diagnostic.id}`;
  return (
    <li class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{diagnostic.name}</h2>
      {diagnostic.description && <p>{diagnostic.description}</p>}
      <p class="meta">Takes about {diagnostic.durationMinutes} minutes.</p>
      {done && (
        <Alert kind="success" focus>
          Requested. You will find it under <Link href="/appointments">My appointments</Link>; we email you when it is booked.
        </Alert>
      )}
      {open ? (
        <form onSubmit={form.submit} noValidate>
          {form.message && <Alert kind="error">{form.message}</Alert>}
          <Field
            name="note"
            idPrefix={idPrefix}
            label="Note for the clinic (optional)"
            hint="For example your symptoms or times that suit you."
            multiline
            maxLength={NOTE_MAX_LENGTH}
            value={form.values.note}
            error={form.errors.note}
            onValue={form.set('note')}
          />
          <Submit busy={form.busy}>Send request</Submit>{' '}
          <button type="button" class="secondary" onClick={() => setOpen(false)}>Cancel</button>
        </form>
      ) : (
        !done && (
          <button type="button" ref={requestButton} onClick={() => setOpen(true)} aria-describedby={headingId}>
            Request
          </button>
        )
      )}
    </li>
  );
}

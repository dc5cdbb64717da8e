import { useState } from 'preact/hooks';
import { get, type Page } from '../api.js';
import { formatDateTime } from '../format.js';
import { useLiveRefresh } from '../live.js';
import { Alert, LiveNote, Title, useLoad } from '../ui.js';
import { Pager } from './appointments.js';

/** The patient's journal and prescriptions: read-only, newest first (SPEC rule 7). */

export interface JournalItem {
  id: number;
  createdAt: string;
  author: { firstName: string; lastName: string } | null;
  diagnosis: string;
  description: string;
  plan: string | null;
  correctsId: number | null;
}

export interface PrescriptionItem {
  id: number;
  createdAt: string;
  author: { firstName: string; lastName: string } | null;
  medication: string;
  dosage: string;
  instructions: string;
  journalEntryId: number | null;
}

export function Journal() {
  const [page, setPage] = useState(1);
  const list = useLoad(() => get<Page<JournalItem>>('/journal', { page }), [page]);
  const live = useLiveRefresh(['journalEntry'], list.reload);
  return (
    <>
      <Title>Journal</Title>
      <LiveNote state={live} />
      <p>What your doctors wrote after your visits. Entries are never changed; a correction is added as a new entry.</p>
      {list.error && <Alert kind="error">{list.error}</Alert>}
      {list.data && !list.data.items.length && <p>Your journal is empty.</p>}
      <ul class="cards">
        {list.data?.items.map((j) => (
          <li class="card" key={j.id} id={`journal-${j.id}`} aria-labelledby={`j-${j.id}`}>
            <h2 id={`j-${j.id}`}>{j.diagnosis}</h2>
            <p class="meta">
              {formatDateTime(j.createdAt)}
              {j.author && ` · Dr ${j.author.lastName}`}
              {j.correctsId && <> · corrects <a href={`#journal-${j.correctsId}`}>an earlier entry</a></>}
            </p>
            <p class="pre">{j.description}</p>
            {j.plan && (
              <>
                <h3>Plan</h3>
                <p class="pre">{j.plan}</p>
              </>
            )}
          </li>
        ))}
      </ul>
      {list.data && <Pager page={list.data} onPage={setPage} />}
    </>
  );
}

export function Prescriptions() {
  const [page, setPage] = useState(1);
  const list = useLoad(() => get<Page<PrescriptionItem>>('/prescriptions', { page }), [page]);
  const live = useLiveRefresh(['prescription'], list.reload);
  return (
    <>
      <Title>Prescriptions</Title>
      <LiveNote state={live} />
      {list.error && <Alert kind="error">{list.error}</Alert>}
      {list.data && !list.data.items.length && <p>You have no prescriptions.</p>}
      <ul class="cards">
        {list.data?.items.map((p) => (
          <li class="card" key={p.id} aria-labelledby={`p-${p.id}`}>
            <h2 id={`p-${p.id}`}>{p.medication}</h2>
            <p class="meta">
              {formatDateTime(p.createdAt)}
              {p.author && ` · ${p.author.firstName} ${p.author.lastName}`}
            </p>
            <dl>
              <dt>Dosage</dt>
              <dd>{p.dosage}</dd>
              <dt>Instructions</dt>
              <dd class="pre">{p.instructions}</dd>
            </dl>
          </li>
        ))}
      </ul>
      {list.data && <Pager page={list.data} onPage={setPage} />}
    </>
  );
}

import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Live lists for the portal (SPEC §6). One EventSource on /api/events per
 * page, shared by every list that listens (the server caps streams per user).
 * An event names only what changed; the list re-reads itself through the
 * normal API, so what it shows is always what the patient may see.
 *
 *   const state = useLiveRefresh(['appointment'], reload);
 *   <LiveBadge state={state} />   // or any indicator of your own
 */
export type LiveState = 'connecting' | 'live' | 'offline';
export type LiveResource = 'appointment' | 'journalEntry' | 'prescription' | 'diagnostic';

type Listener = { resources: ReadonlySet<string>; onChange: () => void };

const EVENTS_URL = '/api/events';
/** A stream closed by an error (server restarting, proxy 502, 429) is tried again after this. */
const REOPEN_AFTER_MS = 15_000;
/** Page changes drop and re-add listeners; keep the stream that long in between. */
const LINGER_MS = 2_000;

class LiveConnection {
  private source: EventSource | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly stateListeners = new Set<(s: LiveState) => void>();
  private state: LiveState = 'connecting';
  private lastEventId: string | null = null;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  /** The server ended the session's stream (logout, blocked): do not knock again. */
  private ended = false;

  add(listener: Listener, onState: (s: LiveState) => void): () => void {
    this.listeners.add(listener);
    this.stateListeners.add(onState);
    onState(this.source || this.ended ? this.state : 'connecting');
    clearTimeout(this.lingerTimer);
    if (!this.source && !this.ended) this.open();
    return () => {
      this.listeners.delete(listener);
      this.stateListeners.delete(onState);
      if (this.listeners.size === 0) this.lingerTimer = setTimeout(() => this.close(), LINGER_MS);
    };
  }

  private open(): void {
    if (typeof EventSource === 'undefined') return this.setState('offline');
    clearTimeout(this.reopenTimer);
    // A fresh EventSource sends no Last-Event-ID header; the query carries it so nothing is missed.
    const url = this.lastEventId ? `${EVENTS_URL}?lastEventId=${encodeURIComponent(this.lastEventId)}` : EVENTS_URL;
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    this.setState('connecting');
    source.onopen = () => this.setState('live');
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // Not a dropped connection (the browser retries those) but a refusal.
        this.source = null;
        this.setState('offline');
        if (this.listeners.size) this.reopenTimer = setTimeout(() => this.open(), REOPEN_AFTER_MS);
      } else {
        this.setState('connecting');
      }
    };
    source.addEventListener('change', (e) => {
      const message = e as MessageEvent<string>;
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      let resource: string | undefined;
      try {
        resource = (JSON.parse(message.data) as { resource?: string }).resource;
      } catch {
        return;
      }
      for (const l of [...this.listeners]) if (resource && l.resources.has(resource)) l.onChange();
    });
    // What was missed while away is gone: every list re-reads.
    source.addEventListener('reset', (e) => {
      const message = e as MessageEvent<string>;
      if (message.lastEventId) this.lastEventId = message.lastEventId;
      for (const l of [...this.listeners]) l.onChange();
    });
    source.addEventListener('end', () => {
      this.ended = true;
      this.close();
      this.setState('offline');
    });
  }

  private close(): void {
    clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = null;
  }

  private setState(state: LiveState): void {
    this.state = state;
    for (const s of this.stateListeners) s(state);
  }

  /** After a new login the stream may be opened again. */
  reset(): void {
    this.ended = false;
    this.lastEventId = null;
    this.close();
    if (this.listeners.size) this.open();
  }
}

const connection = new LiveConnection();

/** Call after login/logout so the live stream follows the new session. */
export function restartLive(): void {
  connection.reset();
}

/**
 * Calls `refetch` (debounced: a burst of changes is one re-read, and never
 * later than ~1 s after the first) whenever one of `resources` changes, and
 * returns the connection state for a small indicator.
 */
export function useLiveRefresh(resources: readonly (LiveResource | string)[], refetch: () => void, debounceMs = 250): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  // The latest refetch, without re-subscribing when the caller passes a new closure each render.
  const latest = useRef(refetch);
  latest.current = refetch;
  const key = [...resources].sort().join(',');

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstAt = 0;
    const fire = () => {
      timer = undefined;
      firstAt = 0;
      latest.current();
    };
    const onChange = () => {
      const now = Date.now();
      firstAt ||= now;
      clearTimeout(timer);
      timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, firstAt + 1000 - now)));
    };
    const remove = connection.add({ resources: new Set(key.split(',')), onChange }, setState);
    return () => {
      clearTimeout(timer);
      remove();
    };
  }, [key, debounceMs]);

  return state;
}

export const LIVE_LABEL: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  offline: 'Not updating live — reload to refresh',
};

import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createSessionMiddleware, establishSession } from '../server/auth/session.js';
import { db } from '../server/db/data-source.js';
import { User } from '../server/db/entities/user.js';
import { errorHandler } from '../server/http/errors.js';
import { requestId } from '../server/http/request-context.js';
import { liveRouter, panelEventsHandler } from '../server/live/routes.js';
import type { StreamHub } from '../server/live/streams.js';

/**
 * A web instance as far as live streams go: the real session middleware, the
 * two stream endpoints, and a test-only login that makes a real session for a
 * user (the password check is the identity feature's business and tested there).
 */
export async function startLiveServer(hub?: StreamHub): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(requestId);
  const session = await createSessionMiddleware();
  app.post('/test/login/:id', session, async (req, res) => {
    const user = await db().getRepository(User).findOneByOrFail({ id: Number(req.params.id) });
    await establishSession(req, user, user.role === 'patient' ? 'portal' : 'panel');
    res.status(204).end();
  });
  app.use('/api/events', session, liveRouter(hub));
  app.get('/admin/api/events', session, panelEventsHandler(hub));
  app.use(errorHandler);
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((ok) => server.once('listening', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** Logs `user` in on the server at `base` and returns the session cookie. */
export async function cookieFor(base: string, user: { id: number }): Promise<string> {
  const res = await fetch(`${base}/test/login/${user.id}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`test login failed: ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0];
}

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** A reader of one event stream, framing it the way a browser's EventSource does. */
export class SseClient {
  readonly events: SseEvent[] = [];
  status = 0;
  body = '';
  ended = false;
  lastEventId: string | undefined;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  private done!: Promise<void>;

  static async open(url: string, options: { cookie?: string; lastEventId?: string } = {}): Promise<SseClient> {
    const client = new SseClient();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.lastEventId) headers['last-event-id'] = options.lastEventId;
    const res = await fetch(url, { headers, signal: client.controller.signal });
    client.status = res.status;
    if (res.status !== 200 || !res.body) {
      client.body = await res.text();
      client.ended = true;
      client.done = Promise.resolve();
      return client;
    }
    client.done = client.read(res.body);
    return client;
  }

  /** Changes only, as `{resource, id, action}` objects. */
  changes(): { resource: string; id: number; action: string }[] {
    return this.events.filter((e) => e.event === 'change').map((e) => JSON.parse(e.data));
  }

  async waitFor(predicate: (c: SseClient) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; saw ${JSON.stringify(this.events)} ended=${this.ended}`);
      await new Promise<void>((ok) => {
        const t = setTimeout(ok, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(t);
          ok();
        });
      });
    }
  }

  /** Resolves when the server has ended the stream. */
  async whenEnded(timeoutMs = 3000): Promise<number> {
    const started = Date.now();
    await this.waitFor((c) => c.ended, timeoutMs);
    return Date.now() - started;
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: Partial<SseEvent> & { data?: string } = {};
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            // As in the HTML standard: an id counts even when no event fires.
            if (current.id !== undefined) this.lastEventId = current.id;
            if (current.data !== undefined) this.events.push({ id: current.id, event: current.event ?? 'message', data: current.data });
            current = {};
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`;
          else if (field === 'id') current.id = value;
          else if (field === 'event') current.event = value;
        }
        this.wake();
      }
    } catch {
      // aborted by close(), or the server cut the connection
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

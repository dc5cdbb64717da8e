import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setAuthFloodPrefix } from '../server/auth/routes.js';
import { createApp } from '../server/http/app.js';

/**
 * What the portal API tests talk through: the real app on a random port, and
 * a browser-like client with one cookie jar sending same-origin requests.
 */
export async function startPortalServer(): Promise<{ base: string; close: () => Promise<void> }> {
  // With REDIS_URL the flood counter is shared by every process: give this run its own.
  setAuthFloodPrefix(`qhealth:test:${process.pid}:${Date.now()}:rl:auth:`);
  const app = await createApp();
  const server: Server = app.listen(0);
  await new Promise((ok) => server.once('listening', ok));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field in the tests
  body: any;
  headers: Headers;
}

export class PortalClient {
  cookie: string | undefined;

  constructor(readonly base: () => string) {}

  /** A string body is sent as it is (malformed JSON, other types); anything else as JSON. */
  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const h = new Headers(headers);
    if (this.cookie) h.set('cookie', this.cookie);
    if (body !== undefined && !h.has('content-type')) h.set('content-type', 'application/json');
    const res = await fetch(`${this.base()}${path}`, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body: unknown = {}) => this.call('POST', path, body);
}

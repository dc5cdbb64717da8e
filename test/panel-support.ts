import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/http/app.js';

/** A real server on a random port, for the panel's API and browser tests. */
export async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await createApp();
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

export interface PanelResponse { status: number; headers: Headers; text: string; json: () => Record<string, unknown> }

/** A client with its own cookie jar (or none), talking to /admin like the browser does. */
export class PanelClient {
  private cookie = '';
  constructor(private readonly base: string) {}

  async login(email: string, password: string): Promise<PanelResponse> {
    const res = await this.request('POST', '/admin/login', new URLSearchParams({ email, password }).toString(), 'application/x-www-form-urlencoded');
    return res;
  }

  get(path: string): Promise<PanelResponse> {
    return this.request('GET', path);
  }

  post(path: string, fields: Record<string, string> = {}): Promise<PanelResponse> {
    return this.request('POST', path, JSON.stringify(fields), 'application/json');
  }

  async request(method: string, path: string, body?: string, type?: string): Promise<PanelResponse> {
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(type ? { 'content-type': type } : {}), origin: this.base },
      body,
    });
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair] = c.split(';');
      if (pair.startsWith('qhealth.sid=')) this.cookie = pair;
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }
}

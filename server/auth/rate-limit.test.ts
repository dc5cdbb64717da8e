import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { errorHandler } from '../http/errors.js';
import { authRateLimit } from './rate-limit.js';
import { closeAuthRedis } from './redis.js';

afterAll(() => closeAuthRedis());

describe('the per-IP ceiling on /api/auth', () => {
  it('answers 429 in the error envelope with Retry-After once an address passes the limit', async () => {
    const app = express();
    app.use('/api/auth', authRateLimit({ limit: 3, windowMs: 60_000, prefix: `qhealth:test:${process.pid}:${Date.now()}:rl:` }));
    app.post('/api/auth/login', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(errorHandler);
    const server = app.listen(0);
    await new Promise((ok) => server.once('listening', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/login`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(url, { method: 'POST' })).status);
      expect(statuses).toEqual([200, 200, 200]);
      const refused = await fetch(url, { method: 'POST' });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect((await refused.json()).error.code).toBe('too_many_requests');
    } finally {
      server.close();
    }
  });

  it('counts a client that sends its own X-Forwarded-For by its address, quietly, when no proxy is trusted', async () => {
    const app = express();
    app.use('/api/auth', authRateLimit({ limit: 2, windowMs: 60_000, prefix: `qhealth:test:${process.pid}:${Date.now()}:xff:` }));
    app.post('/api/auth/login', (_req, res) => {
      res.json({ ok: true });
    });
    app.use(errorHandler);
    const server = app.listen(0);
    await new Promise((ok) => server.once('listening', ok));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/login`;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const statuses: number[] = [];
      // A new forged address each time changes nothing: the socket's address is counted.
      for (let i = 1; i <= 3; i++) statuses.push((await fetch(url, { method: 'POST', headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status);
      expect(statuses).toEqual([200, 200, 429]);
      // A forged header is an attacker's input, not a misconfiguration to log a stack trace for.
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
      server.close();
    }
  });
});

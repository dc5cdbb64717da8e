import type { Express, RequestHandler } from 'express';

// STUB — replaced by the panel work (issue 6).
export async function mountAdmin(_app: Express, _session: RequestHandler): Promise<void> {}

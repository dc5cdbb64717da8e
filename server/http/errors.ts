import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { DomainError, errorEnvelope, Invalid, NotFound } from '../shared/errors.js';

/** Zod issues → the envelope's `fields`, one message per field path. */
export function fromZod(err: ZodError, message = 'Some fields are not valid.'): Invalid {
  // A Map, not an object: a client's "__proto__" key must come back as a field, not as a prototype.
  const fields = new Map<string, string>();
  for (const issue of err.issues) {
    const key = issue.path.length ? issue.path.join('.') : '_';
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) fields.set([...issue.path, k].join('.'), 'Unknown field.');
      continue;
    }
    if (fields.has(key)) continue;
    // zod's own wording for a missing field ("expected string, received undefined") is for programmers.
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    fields.set(key, missing ? 'Required.' : issue.message);
  }
  return new Invalid(message, Object.fromEntries(fields));
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFound(`Route ${req.method} ${req.path}`));
};

/** The one place that turns errors into the JSON envelope of SPEC §8. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let domain: DomainError | undefined;
  if (err instanceof DomainError) domain = err;
  else if (err instanceof ZodError) domain = fromZod(err);
  else if (err?.type === 'entity.parse.failed') domain = new DomainError(400, 'malformed_json', 'The request body is not valid JSON.');
  else if (err?.type === 'entity.too.large') domain = new DomainError(413, 'payload_too_large', 'The request body is too large.');
  else if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported') domain = new DomainError(415, 'unsupported_media_type', 'Unsupported body encoding.');
  else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
    domain = new DomainError(err.status, 'bad_request', err.expose && err.message ? err.message : 'Bad request.');
  }
  if (!domain) {
    console.error(`[${req.id ?? '-'}] ${req.method} ${req.originalUrl}`, err);
    domain = new DomainError(500, 'internal', 'Something went wrong on our side. It has been logged.');
  }
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(domain.headers ?? {})) res.setHeader(k, v);
  res.status(domain.status).json(errorEnvelope(domain));
};

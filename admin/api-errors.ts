import type AdminJS from 'adminjs';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { DomainError, Forbidden, Invalid, NotFound } from '../server/shared/errors.js';

/**
 * AdminJS's API speaks its own dialect: a forbidden action or a missing
 * record is HTTP 200 with an error notice, and an unknown resource or action
 * is a TypeError (500). Here the panel's API answers like the rest of QHealth
 * (SPEC §8): the right 4xx status and the `{ error: { code, message } }`
 * envelope, next to the notice AdminJS's screens show.
 */

type ActionKind = 'resource' | 'record' | 'bulk';
const ROUTE = /^\/api\/resources\/([^/]+)\/(?:(actions)\/([^/]+)(?:\/.*)?|(records)\/([^/]+)\/([^/]+)|(bulk)\/([^/]+)|(search)(?:\/.*)?)\/?$/;

/** Unknown resources, actions, pages and malformed record ids answer 404 before AdminJS sees them. */
export function panelApiRoutesExist(admin: AdminJS): RequestHandler {
  return (req, _res, next) => {
    if (req.path.startsWith('/api/pages/')) {
      const page = decodeSegment(req.path.slice('/api/pages/'.length));
      return next(admin.options.pages?.[page ?? ''] ? undefined : new NotFound('Page'));
    }
    if (!req.path.startsWith('/api/resources/')) return next();
    const m = ROUTE.exec(req.path);
    if (!m) return next(new NotFound(`Route ${req.method} ${req.path}`));
    const resourceId = decodeSegment(m[1]);
    const resource = admin.resources.find((r) => r.id() === resourceId);
    if (!resource) return next(new NotFound('Resource'));
    const [kind, actionName]: [ActionKind, string | undefined] = m[2]
      ? ['resource', decodeSegment(m[3])]
      : m[4] ? ['record', decodeSegment(m[6])] : m[7] ? ['bulk', decodeSegment(m[8])] : ['resource', 'search'];
    const action = actionName ? resource.decorate().actions[actionName] : undefined;
    const fits = { resource: () => action?.isResourceType(), record: () => action?.isRecordType(), bulk: () => action?.isBulkType() }[kind];
    if (!action || !fits()) return next(new NotFound('Action'));
    // Every record id in QHealth is a positive integer; anything else names no record.
    if (kind === 'record' && !(/^[1-9]\d{0,15}$/.test(m[5]) && Number.isSafeInteger(Number(m[5])))) return next(new NotFound('Record'));
    next();
  };
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

interface ActionBody {
  notice?: { type?: string; message?: string };
  record?: { baseError?: { type?: string } | null };
  error?: unknown;
}

/** AdminJS's error notices → their HTTP status and our envelope (bodies keep the notice for the screens). */
export const panelApiStatus: RequestHandler = (req, res, next) => {
  if (!req.path.startsWith('/api/')) return next();
  const json = res.json.bind(res) as Response['json'];
  res.json = ((body: unknown) => {
    const b = body as ActionBody | null;
    if (res.statusCode < 400 && b && typeof b === 'object' && b.notice?.type === 'error' && !b.error) {
      const err = fromNotice(b);
      res.status(err.status);
      return json({ ...b, error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
    }
    return json(body);
  }) as Response['json'];
  next();
};

function fromNotice(body: ActionBody): DomainError {
  switch (body.record?.baseError?.type) {
    case 'ForbiddenError': return new Forbidden();
    case 'NotFoundError': return new NotFound();
    default: return new Invalid(humanMessage(body.notice?.message));
  }
}

function humanMessage(message: string | undefined): string {
  // AdminJS's own notices are translation keys ("thereWereValidationErrors").
  return message && /\s/.test(message) ? message : 'Some fields are not valid.';
}

/** Most a panel request body may carry: forms of a few fields, no uploads. */
export const PANEL_BODY_LIMIT = 100 * 1024;
export const PANEL_FORM_OPTIONS = { maxFieldsSize: PANEL_BODY_LIMIT, maxFileSize: 1, maxFields: 100 };

/** Oversized bodies are refused before AdminJS's form parser reads them (it takes 20 MB of JSON). */
export const panelBodyLimit: RequestHandler = (req, res, next) => {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length <= PANEL_BODY_LIMIT) return next();
  // Read (and drop) a moderately large body before answering, or the client,
  // still sending, sees the connection cut instead of the 413.
  if (length > 50 * PANEL_BODY_LIMIT) {
    res.setHeader('Connection', 'close');
    return next(tooLarge());
  }
  req.on('error', () => undefined);
  req.once('end', () => next(tooLarge()));
  req.resume();
};

const parseJson = express.json({ limit: PANEL_BODY_LIMIT, strict: false });
const parseUrlencoded = express.urlencoded({ limit: PANEL_BODY_LIMIT, extended: false });

/**
 * JSON and urlencoded bodies are parsed here, and handed to AdminJS as if its
 * form parser (express-formidable) had read them: that parser reports a
 * malformed body twice, and the second report cuts the client's connection.
 * Multipart forms (the panel's own screens) still go to it.
 */
export const panelBody: RequestHandler = (req, res, next) => {
  const parser = req.is('application/json') ? parseJson : req.is('application/x-www-form-urlencoded') ? parseUrlencoded : undefined;
  if (req.method !== 'POST' || !parser) return next();
  parser(req, res, (err?: unknown) => {
    if (err) return next(err);
    const body: unknown = req.body;
    Object.assign(req, { fields: body && typeof body === 'object' && !Array.isArray(body) ? body : {}, express_formidable: { parsed: true } });
    next();
  });
};

function tooLarge(): DomainError {
  return new DomainError(413, 'payload_too_large', 'The request body is too large.');
}

/** AdminJS's error classes thrown past its handlers (bulk actions, configuration) and its form parser's → typed errors, never a 500. */
export const panelApiErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  if (err instanceof SyntaxError) return next(new DomainError(400, 'malformed_json', 'The request body is not valid JSON.'));
  if (err instanceof Error && /maxFieldsSize|maxFileSize|maxFields/.test(err.message)) return next(tooLarge());
  const name = (err as { name?: string } | null)?.name;
  if (name === 'NotFoundError') return next(new NotFound());
  if (name === 'ForbiddenError') return next(new Forbidden());
  if (name === 'ValidationError' || name === 'AppError') return next(new Invalid(humanMessage((err as Error).message)));
  next(err);
};

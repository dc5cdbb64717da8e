import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { refuseCrossOrigin, SESSION_COOKIE } from '../auth/session.js';
import { DomainError, Invalid, Unauthenticated } from '../shared/errors.js';
import { illFormedTextPaths, NOT_TEXT, wholeId } from '../shared/input.js';
import { MAX_PER_PAGE } from '../shared/pagination.js';
import { fromZod } from './errors.js';

/**
 * The portal API's routes are declared once, here-shaped: the zod schemas
 * that parse a request are the ones that document it in OpenAPI 3.1
 * (/api/openapi.json), so the document cannot drift from the code.
 */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'invalid' }),
      message: z.string(),
      fields: z.record(z.string(), z.string()).optional().meta({ description: 'One message per invalid field.' }),
    }),
  })
  .meta({ id: 'Error', description: 'The error envelope of every 4xx and 5xx answer.' });

export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      total: z.number().int(),
      page: z.number().int().min(1),
      perPage: z.number().int().min(1).max(MAX_PER_PAGE),
    })
    .meta({ id });
}

/** A date-time as the API writes it (JSON turns Dates into ISO 8601 strings, UTC). */
export const isoDateTime = z.iso.datetime();

const NOT_AN_ID = 'Use a record id: a whole number from 1.';
export const idParams = z
  .object({ id: wholeId(NOT_AN_ID).meta({ description: 'Record id' }) })
  .strict();

/**
 * A list's `from`/`to` the wrong way round is a mistake to point out (400 on
 * `to`), not a question whose answer is "nothing".
 */
export function withOrderedRange<S extends z.ZodType<{ from?: Date; to?: Date }>>(query: S): S {
  return query.refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'The end may not come before the start.',
    path: ['to'],
  }) as unknown as S;
}

type Method = 'get' | 'post' | 'patch' | 'delete';
type Schema = z.ZodType | undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<B extends Schema, Q extends Schema, P extends Schema> {
  method: Method;
  /** Express-style path below /api, e.g. '/appointments/:id'. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Needs a logged-in patient: the handler gets `actor`; anyone else gets 401 (documented). */
  auth?: boolean;
  body?: B;
  query?: Q;
  params?: P;
  status: 200 | 201 | 202 | 204;
  response?: z.ZodType;
  /** Further refusals worth documenting (400, 401 … are added by the flags above). */
  errors?: Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 429, string>>;
  /** Runs before parsing, e.g. a rate limiter. */
  before?: RequestHandler[];
}

export interface RouteInput<B, Q, P> {
  /** The logged-in patient; only on routes declared with `auth: true`. */
  actor: Actor;
  req: Request;
  res: Response;
  body: B;
  query: Q;
  params: P;
}

const STATE_CHANGING = new Set<Method>(['post', 'patch', 'delete']);

/** The media types the API reads as JSON (api.ts's body parser takes the same). */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A body the JSON parser skipped (text/plain, a form …) would otherwise reach
 * the schema as "nothing sent": say what is wrong instead (415). An empty body
 * without a type is fine: `fetch(url, { method: 'POST' })` sends just that.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (req.get('content-length') === '0' || req.is(JSON_TYPES) !== false) return next();
  next(new DomainError(415, 'unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).'));
};

/**
 * The portal is the patients' door (SPEC §1): a staff member's panel session
 * (same cookie, same store) does not open it, so the portal API never hands
 * clinic-wide lists to a browser tab that happens to be logged in to /admin.
 */
export function patientActor(req: Request): Actor {
  if (!req.actor || req.actor.role !== 'patient') throw new Unauthenticated('Please log in to the patient portal.');
  return req.actor;
}

function parse<S extends Schema>(schema: S, value: unknown): Out<S> {
  if (!schema) return undefined as Out<S>;
  // A lone surrogate ("\ud800" in JSON) is no character: refused here for every field, before any service stores it as "?".
  const notText = illFormedTextPaths(value);
  if (notText.length) throw new Invalid('Some fields are not valid.', Object.fromEntries(notText.map((field) => [field, NOT_TEXT])));
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data as Out<S>;
}

/** The 405 of a known path asked with another method, naming the ones it takes (`Allow`). */
export function methodNotAllowed(methods: string[]): RequestHandler {
  const allow = methods.join(', ');
  return (req, _res, next) => {
    next(new DomainError(405, 'method_not_allowed', `${req.method} is not allowed here; use ${allow}.`, undefined, { Allow: allow }));
  };
}

export class ApiBuilder {
  readonly registry = new OpenAPIRegistry();
  /** Methods per declared path, for the 405 answers of `refuseOtherMethods`. */
  private readonly methods = new Map<string, Set<string>>();

  constructor(readonly router: Router) {
    this.registry.registerComponent('securitySchemes', 'session', {
      type: 'apiKey',
      in: 'cookie',
      name: SESSION_COOKIE,
      description: 'The session cookie set by POST /api/auth/login.',
    });
  }

  route<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined>(
    spec: RouteSpec<B, Q, P>,
    handler: (input: RouteInput<Out<B>, Out<Q>, Out<P>>) => Promise<unknown> | unknown,
  ): void {
    this.document(spec);
    const known = this.methods.get(spec.path) ?? new Set<string>();
    this.methods.set(spec.path, known.add(spec.method.toUpperCase()));
    const guards = STATE_CHANGING.has(spec.method) ? [refuseCrossOrigin, requireJsonBody] : [];
    this.router[spec.method](spec.path, ...guards, ...(spec.before ?? []), async (req: Request, res: Response) => {
      // Answers carry a patient's records: no browser or proxy cache keeps them (shared computers, the back button).
      res.setHeader('Cache-Control', 'no-store');
      const actor = spec.auth ? patientActor(req) : (undefined as unknown as Actor);
      const params = parse(spec.params, req.params);
      const query = parse(spec.query, req.query);
      const body = parse(spec.body, req.body);
      const result = await handler({ actor, req, res, body: body as Out<B>, query: query as Out<Q>, params: params as Out<P> });
      if (res.headersSent) return;
      if (spec.status === 204) res.status(204).end();
      else res.status(spec.status).json(result);
    });
  }

  /**
   * Call after the last route: a declared path asked with another method
   * answers 405 with Allow (PUT /api/me is not an unknown route, it is the
   * wrong verb). HEAD rides on GET, as Express does.
   */
  refuseOtherMethods(): void {
    for (const [path, methods] of this.methods) {
      this.router.all(path, methodNotAllowed([...methods, ...(methods.has('GET') ? ['HEAD'] : [])]));
    }
  }

  private document(spec: RouteSpec<Schema, Schema, Schema>): void {
    const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });
    const responses: RouteConfig['responses'] = {
      [spec.status]: spec.response
        ? { description: 'Success', content: { 'application/json': { schema: spec.response } } }
        : { description: 'Success' },
    };
    if (spec.body || spec.query || spec.params) responses[400] = errorResponse('Invalid input; `fields` names each problem.');
    if (spec.auth) responses[401] = errorResponse('Not logged in.');
    if (STATE_CHANGING.has(spec.method)) responses[403] = errorResponse('Refused: the request came from another site.');
    if (spec.body) {
      responses[413] = errorResponse('The body is larger than 100 kB.');
      responses[415] = errorResponse('The body is not JSON.');
    }
    for (const [status, description] of Object.entries(spec.errors ?? {})) responses[status] = errorResponse(description);
    this.registry.registerPath({
      method: spec.method,
      path: `/api${spec.path.replace(/:(\w+)/g, '{$1}')}`,
      tags: [spec.tag],
      summary: spec.summary,
      description: spec.description,
      security: spec.auth ? [{ session: [] }] : undefined,
      request: {
        params: spec.params as never,
        query: spec.query as never,
        // A body whose every field is optional (a cancellation's reason) may be left out.
        body: spec.body ? { content: { 'application/json': { schema: spec.body } }, required: !spec.body.safeParse({}).success } : undefined,
      },
      responses,
    });
  }

  /** `serverUrl` is absolute so that Postman and other importers know where to send requests. */
  openApiDocument(info: { title: string; version: string; description: string }, serverUrl: string) {
    const document = new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info,
      servers: [{ url: serverUrl, description: 'This QHealth installation' }],
    });
    return withoutRegexFlags(document);
  }
}

/**
 * zod-to-openapi writes a regex with flags as `^…$/u` (it strips the leading
 * slash only), a pattern no validator or client generator can use. JSON
 * Schema patterns have no flags; the `u` ones (\p{L} in names) are what
 * ECMA-262 validators assume anyway.
 */
function withoutRegexFlags<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutRegexFlags) as T;
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === 'pattern' && typeof value === 'string' ? value.replace(/\$\/[dgimsuvy]+$/, '$') : withoutRegexFlags(value),
    ]),
  ) as T;
}

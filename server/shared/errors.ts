/**
 * Typed errors. The HTTP layer turns them into the JSON envelope
 * `{ error: { code, message, fields? } }`; services only throw them.
 */
export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  constructor(message: string, fields?: FieldErrors) {
    super(400, 'invalid', message, fields);
  }
}

export class Unauthenticated extends DomainError {
  constructor(message = 'Please log in.') {
    super(401, 'unauthenticated', message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = 'You may not do this.') {
    super(403, 'forbidden', message);
  }
}

export class NotFound extends DomainError {
  constructor(what = 'Record') {
    super(404, 'not_found', `${what} not found.`);
  }
}

/**
 * A record the caller may not see. It answers exactly as NotFound (SPEC §4:
 * ids cannot be probed); only the audit trail knows it was an access refusal.
 */
export class NotVisible extends NotFound {}

export class Conflict extends DomainError {
  constructor(message: string, code = 'conflict', fields?: FieldErrors) {
    super(409, code, message, fields);
  }
}

export class TooManyRequests extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export function errorEnvelope(err: DomainError) {
  return { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } };
}

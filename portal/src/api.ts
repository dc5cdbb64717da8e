/**
 * The portal's only way to the server: JSON over fetch, same-origin cookie.
 * Errors arrive as the envelope of SPEC §8 and become ApiError, whose
 * `fields` the forms show next to their inputs.
 */
export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

type Query = Record<string, string | number | undefined>;

let loggedOut: (() => void) | undefined;
/** Called when the server says the session is over (idle timeout, blocked, logged out elsewhere). */
export function onLoggedOut(handler: () => void): void {
  loggedOut = handler;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  let res: Response;
  try {
    res = await fetch(withQuery(`/api${path}`, query), {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'The clinic cannot be reached. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error;
    let message: string = e?.message ?? `The server answered ${res.status}.`;
    const retry = res.headers.get('Retry-After');
    if (res.status === 429 && retry) message += ` Try again in ${Math.ceil(Number(retry) / 60)} minute(s).`;
    if (res.status === 401 && !path.startsWith('/auth/')) loggedOut?.();
    throw new ApiError(res.status, e?.code ?? 'error', message, e?.fields ?? {});
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, undefined, query);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

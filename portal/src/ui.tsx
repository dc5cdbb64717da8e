import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type FieldErrors } from './api.js';
import { LIVE_LABEL, type LiveState } from './live.js';

/** Small building blocks shared by the pages: headings, fields, alerts, forms. */

/** The page's h1; it takes focus after navigation so screen readers announce the new page. */
export function Title({ children }: { children: ComponentChildren }) {
  return (
    <h1 tabIndex={-1} id="page-title">
      {children}
    </h1>
  );
}

export function Alert({ kind, focus = kind === 'error', children }: { kind: 'error' | 'success' | 'info'; focus?: boolean; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  // An error takes focus when it appears, so a keyboard or screen-reader user hears it at once
  // (forms clear their message while sending, so each failed attempt shows a fresh one).
  // A success that replaces the control the user was on takes it too, or focus falls to the page's start.
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  return (
    <div ref={ref} class={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'} tabIndex={-1}>
      {children}
    </div>
  );
}

/** The few input attributes the portal's forms use. */
interface InputProps {
  type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'search';
  autoComplete?: string;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'text';
  maxLength?: number;
}

export function Field(props: {
  name: string;
  /** Where the same form repeats on a page (one per card), a prefix keeps ids unique; useForm takes the same. */
  idPrefix?: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  onValue: (v: string) => void;
  multiline?: boolean;
  options?: readonly (readonly [string, string])[];
} & InputProps) {
  const { name, idPrefix = 'f-', label, value, error, hint, onValue, multiline, options, ...rest } = props;
  const id = `${idPrefix}${name}`;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
  };
  const onInput = (e: Event) => onValue((e.currentTarget as HTMLInputElement).value);
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error" id={`${id}-error`}>{error}</p>}
      {options ? (
        <select {...common} value={value} onInput={onInput}>
          {options.map(([v, text]) => (
            <option value={v} key={v}>{text}</option>
          ))}
        </select>
      ) : multiline ? (
        <textarea {...common} value={value} onInput={onInput} rows={4} maxLength={rest.maxLength} />
      ) : (
        <input {...common} {...(rest as object)} value={value} onInput={onInput} />
      )}
    </div>
  );
}

export interface FormState<T extends Record<string, string>> {
  values: T;
  set: (name: keyof T) => (v: string) => void;
  errors: FieldErrors;
  message: string;
  busy: boolean;
  submit: (e: Event) => void;
}

/**
 * Form state with the portal's error behaviour: local checks first, then the
 * server; field errors (local or the server's) go next to their fields and
 * the first invalid field takes focus.
 */
export function useForm<T extends Record<string, string>>(
  initial: T,
  check: (v: T) => FieldErrors,
  send: (v: T) => Promise<void>,
  idPrefix = 'f-',
): FormState<T> {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const formRef = useRef<number>(0);

  useEffect(() => {
    const first = Object.keys(errors)[0];
    if (first) document.getElementById(`${idPrefix}${first}`)?.focus();
  }, [errors, formRef.current]);

  const fail = (fields: FieldErrors, text: string) => {
    formRef.current++;
    setErrors(fields);
    setMessage(text);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const local = check(values);
    if (Object.keys(local).length) return fail(local, 'Please correct the fields marked below.');
    setBusy(true);
    setMessage('');
    setErrors({});
    try {
      await send(values);
    } catch (err) {
      if (err instanceof ApiError) fail(err.fields, err.message);
      else fail({}, 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return {
    values,
    set: (name) => (v) => setValues((old) => ({ ...old, [name]: v })),
    errors,
    message,
    busy,
    submit: (e) => void submit(e),
  };
}

export function Submit({ busy, children }: { busy: boolean; children: ComponentChildren }) {
  return (
    <button type="submit" disabled={busy} aria-busy={busy}>
      {busy ? 'Please wait…' : children}
    </button>
  );
}

/** Loads data for a page; `reload` is handed to live refresh and to actions. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && (setData(d), setError('')),
      (e) => live && setError(e instanceof Error ? e.message : 'Could not load.'),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

/** Says whether the list below updates by itself (SPEC §6); quiet for screen readers, it changes often. */
export function LiveNote({ state }: { state: LiveState }) {
  return <p class={`live ${state}`}>{LIVE_LABEL[state]}</p>;
}

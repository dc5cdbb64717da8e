import { useEffect, useState } from 'preact/hooks';
import { ApiError, post } from '../api.js';
import { restartLive } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import { checkDateOfBirth, checkEmail, checkPassword, checkPhone, collect, GENDERS, normalizePhone, PASSWORD_MIN_LENGTH, required } from '../rules.js';
import { useSession, type Me } from '../session.js';
import { Alert, Field, Submit, Title, useForm } from '../ui.js';

/** Log in, register, activation, password reset and email verification. */

export function Login() {
  const { setMe } = useSession();
  const { query } = useLocation();
  const form = useForm(
    { email: '', password: '' },
    (v) => collect({ email: checkEmail(v.email), password: v.password ? undefined : 'Enter your password.' }),
    async (v) => {
      const me = await post<Me>('/auth/login', v);
      restartLive();
      setMe(me);
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/appointments', true);
    },
  );
  return (
    <>
      <Title>Log in</Title>
      {query.get('activated') && <Alert kind="success">Your account is active. You can log in now.</Alert>}
      {query.get('reset') && <Alert kind="success">Your password is changed. Log in with the new one.</Alert>}
      {form.message && <Alert kind="error">{form.message}</Alert>}
      <form onSubmit={form.submit} noValidate>
        <Field name="email" label="Email" type="email" autoComplete="username" value={form.values.email} error={form.errors.email} onValue={form.set('email')} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" value={form.values.password} error={form.errors.password} onValue={form.set('password')} />
        <Submit busy={form.busy}>Log in</Submit>
      </form>
      <p>
        <Link href="/forgot-password">Forgotten your password?</Link>
      </p>
      <p>
        New patient? <Link href="/register">Create an account</Link>.
      </p>
    </>
  );
}

const GENDER_LABELS: Record<string, string> = { female: 'Female', male: 'Male', other: 'Other', unspecified: 'Prefer not to say' };
export const GENDER_OPTIONS = [['', 'Choose…'], ...GENDERS.map((g) => [g, GENDER_LABELS[g] ?? g])] as [string, string][];

/** Profile fields shared by registration and the profile page, as the API names them. */
export const PROFILE_FIELDS = {
  firstName: '', lastName: '', phone: '', dateOfBirth: '', gender: '', heightCm: '', weightKg: '',
  addressStreet: '', addressHouse: '', addressCity: '', addressRegion: '', addressCountry: '',
};
export type ProfileValues = typeof PROFILE_FIELDS;

/** Form strings → the API's types: blanks are left out (or null when clearing), numbers are numbers. */
export function profilePayload(v: ProfileValues, blank: null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(v)) {
    const s = raw.trim();
    if (k === 'phone') out[k] = s ? normalizePhone(s) : blank;
    else if (k === 'heightCm' || k === 'weightKg') out[k] = s ? Number(s.replace(',', '.')) : blank;
    else out[k] = s || (k === 'firstName' || k === 'lastName' || k === 'dateOfBirth' ? s : blank);
  }
  return Object.fromEntries(Object.entries(out).filter(([, x]) => x !== undefined));
}

export function checkProfile(v: ProfileValues) {
  const number = (s: string, min: number, max: number, what: string) => {
    if (!s.trim()) return undefined;
    const n = Number(s.replace(',', '.'));
    return Number.isFinite(n) && n >= min && n <= max ? undefined : `Enter ${what} between ${min} and ${max}.`;
  };
  return {
    firstName: required(v.firstName, 'first name'),
    lastName: required(v.lastName, 'last name'),
    phone: checkPhone(v.phone),
    dateOfBirth: checkDateOfBirth(v.dateOfBirth),
    heightCm: number(v.heightCm, 40, 260, 'a height in cm'),
    weightKg: number(v.weightKg, 2, 400, 'a weight in kg'),
  };
}

export function ProfileFields({ form }: { form: ReturnType<typeof useForm<ProfileValues & { email: string; password: string }>> | ReturnType<typeof useForm<ProfileValues>> }) {
  const f = form as ReturnType<typeof useForm<ProfileValues>>;
  const field = (name: keyof ProfileValues, label: string, extra: Record<string, unknown> = {}) => (
    <Field name={name} label={label} value={f.values[name]} error={f.errors[name]} onValue={f.set(name)} {...extra} />
  );
  return (
    <>
      <fieldset>
        <legend>About you</legend>
        {field('firstName', 'First name', { autoComplete: 'given-name' })}
        {field('lastName', 'Last name', { autoComplete: 'family-name' })}
        {field('dateOfBirth', 'Date of birth', { type: 'date', autoComplete: 'bday' })}
        {field('gender', 'Gender (optional)', { options: GENDER_OPTIONS })}
        {field('phone', 'Phone (optional)', { type: 'tel', autoComplete: 'tel', hint: 'International format, e.g. +46701234567' })}
        <div class="pair">
          {field('heightCm', 'Height in cm (optional)', { inputMode: 'numeric' })}
          {field('weightKg', 'Weight in kg (optional)', { inputMode: 'decimal' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Address (optional)</legend>
        <div class="pair">
          {field('addressStreet', 'Street', { autoComplete: 'address-line1' })}
          {field('addressHouse', 'House number', { autoComplete: 'address-line2' })}
        </div>
        {field('addressCity', 'City', { autoComplete: 'address-level2' })}
        {field('addressRegion', 'Region', { autoComplete: 'address-level1' })}
        {field('addressCountry', 'Country', { autoComplete: 'country-name' })}
      </fieldset>
    </>
  );
}

export function Register() {
  const [sentTo, setSentTo] = useState('');
  const form = useForm(
    { email: '', password: '', ...PROFILE_FIELDS },
    (v) => collect({ email: checkEmail(v.email), password: checkPassword(v.password, v.email), ...checkProfile(v) }),
    async (v) => {
      const { email, password, ...profile } = v;
      await post('/auth/register', { email: email.trim(), password, ...profilePayload(profile, undefined) });
      setSentTo(email.trim());
    },
  );
  if (sentTo) {
    return (
      <>
        <Title>Check your email</Title>
        <Alert kind="success">
          We sent an activation link to <strong>{sentTo}</strong>. Open it within 24 hours to activate your account.
        </Alert>
      </>
    );
  }
  return (
    <>
      <Title>Create your patient account</Title>
      {form.message && <Alert kind="error">{form.message}</Alert>}
      <form onSubmit={form.submit} noValidate>
        <fieldset>
          <legend>Log-in details</legend>
          <Field name="email" label="Email" type="email" autoComplete="email" value={form.values.email} error={form.errors.email} onValue={form.set('email')} />
          <Field name="password" label="Password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN_LENGTH} characters; not a common password.`} value={form.values.password} error={form.errors.password} onValue={form.set('password')} />
        </fieldset>
        <ProfileFields form={form} />
        <Submit busy={form.busy}>Create account</Submit>
      </form>
      <p>
        Already registered? <Link href="/login">Log in</Link>.
      </p>
    </>
  );
}

/** Pages that post the `?token=` of a mailed link once and show the outcome. */
function TokenPage({ title, path, done }: { title: string; path: string; done: () => void }) {
  const { query } = useLocation();
  const [error, setError] = useState('');
  const token = query.get('token') ?? '';
  useEffect(() => {
    if (!token) return setError('This link is incomplete. Open the link from the email again.');
    post(path, { token }).then(done, (e) => setError(e instanceof ApiError ? e.message : 'Something went wrong.'));
  }, [token]);
  return (
    <>
      <Title>{title}</Title>
      {error ? <Alert kind="error">{error}</Alert> : <p role="status">Checking your link…</p>}
    </>
  );
}

export function Activate() {
  return <TokenPage title="Activate your account" path="/auth/activate" done={() => navigate('/login?activated=1', true)} />;
}

export function VerifyEmail() {
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <>
        <Title>Email address confirmed</Title>
        <Alert kind="success">Your new email address is saved. Use it the next time you log in.</Alert>
        <p><Link href="/profile">Back to your profile</Link></p>
      </>
    );
  }
  return <TokenPage title="Confirm your new email address" path="/me/email/verify" done={() => setDone(true)} />;
}

export function ForgotPassword() {
  const [sent, setSent] = useState(false);
  const form = useForm(
    { email: '' },
    (v) => collect({ email: checkEmail(v.email) }),
    async (v) => {
      await post('/auth/password-reset', { email: v.email.trim() });
      setSent(true);
    },
  );
  return (
    <>
      <Title>Forgotten password</Title>
      {sent ? (
        <Alert kind="success">If an account uses that address, we have sent it a link to choose a new password. The link works for 30 minutes.</Alert>
      ) : (
        <>
          {form.message && <Alert kind="error">{form.message}</Alert>}
          <form onSubmit={form.submit} noValidate>
            <Field name="email" label="Email" type="email" autoComplete="email" value={form.values.email} error={form.errors.email} onValue={form.set('email')} />
            <Submit busy={form.busy}>Send me a link</Submit>
          </form>
        </>
      )}
      <p><Link href="/login">Back to log in</Link></p>
    </>
  );
}

export function ResetPassword() {
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const form = useForm(
    { password: '', repeat: '' },
    (v) => collect({ password: checkPassword(v.password), repeat: v.repeat === v.password ? undefined : 'The two passwords differ.' }),
    async (v) => {
      await post('/auth/password-reset/confirm', { token, password: v.password });
      navigate('/login?reset=1', true);
    },
  );
  return (
    <>
      <Title>Choose a new password</Title>
      {!token && <Alert kind="error">This link is incomplete. Open the link from the email again.</Alert>}
      {form.message && <Alert kind="error">{form.message}{form.errors.token ? ` ${form.errors.token}` : ''}</Alert>}
      <form onSubmit={form.submit} noValidate>
        <Field name="password" label="New password" type="password" autoComplete="new-password" hint={`At least ${PASSWORD_MIN_LENGTH} characters; not a common password.`} value={form.values.password} error={form.errors.password} onValue={form.set('password')} />
        <Field name="repeat" label="Repeat the new password" type="password" autoComplete="new-password" value={form.values.repeat} error={form.errors.repeat} onValue={form.set('repeat')} />
        <Submit busy={form.busy}>Save password</Submit>
      </form>
    </>
  );
}

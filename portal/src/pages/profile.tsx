import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { checkEmail, collect } from '../rules.js';
import { useSession, type Me } from '../session.js';
import { Alert, Field, Submit, Title, useForm } from '../ui.js';
import { checkProfile, PROFILE_FIELDS, ProfileFields, profilePayload, type ProfileValues } from './auth.js';

/** The patient's own profile: edit details, change email (verified), delete the account. */
export function Profile() {
  const { me } = useSession();
  return (
    <>
      <Title>Your profile</Title>
      <DetailsForm me={me!} />
      <EmailForm me={me!} />
      <DeleteAccount />
    </>
  );
}

function toValues(me: Me): ProfileValues {
  const v = { ...PROFILE_FIELDS };
  for (const k of Object.keys(v) as (keyof ProfileValues)[]) v[k] = me[k] === null || me[k] === undefined ? '' : String(me[k]);
  return v;
}

function DetailsForm({ me }: { me: Me }) {
  const { setMe } = useSession();
  const [saved, setSaved] = useState(false);
  const form = useForm(toValues(me), (v) => (setSaved(false), collect(checkProfile(v))), async (v) => {
    setMe(await api<Me>('PATCH', '/me', profilePayload(v, null)));
    setSaved(true);
  });
  return (
    <section aria-labelledby="details-h">
      <h2 id="details-h">Your details</h2>
      {saved && <Alert kind="success">Your details are saved.</Alert>}
      {form.message && <Alert kind="error">{form.message}</Alert>}
      <form onSubmit={form.submit} noValidate>
        <ProfileFields form={form} />
        <Submit busy={form.busy}>Save details</Submit>
      </form>
    </section>
  );
}

function EmailForm({ me }: { me: Me }) {
  const [sentTo, setSentTo] = useState('');
  const form = useForm(
    { email: '' },
    (v) => collect({ email: checkEmail(v.email) ?? (v.email.trim().toLowerCase() === me.email ? 'This is already your email address.' : undefined) }),
    async (v) => {
      await api('PATCH', '/me', { email: v.email.trim() });
      setSentTo(v.email.trim());
    },
  );
  return (
    <section aria-labelledby="email-h">
      <h2 id="email-h">Email address</h2>
      <p>
        You log in with <strong>{me.email}</strong>.
      </p>
      {sentTo && <Alert kind="success">We sent a link to {sentTo}. Your email address changes when you open it.</Alert>}
      {form.message && <Alert kind="error">{form.message}</Alert>}
      <form onSubmit={form.submit} noValidate>
        <Field name="email" label="New email address" type="email" autoComplete="email" value={form.values.email} error={form.errors.email} onValue={form.set('email')} />
        <Submit busy={form.busy}>Send a confirmation link</Submit>
      </form>
    </section>
  );
}

function DeleteAccount() {
  const { setMe } = useSession();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState('');
  const toggle = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // The question replaces the button: focus goes to its safe answer, and back to the button when dismissed.
  useEffect(() => {
    if (asking) keep.current?.focus();
    else if (asked.current) toggle.current?.focus();
    asked.current = asking;
  }, [asking]);
  const remove = async () => {
    try {
      await api('DELETE', '/me');
      setMe(null);
      navigate('/login', true);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong.');
    }
  };
  return (
    <section aria-labelledby="delete-h">
      <h2 id="delete-h">Delete your account</h2>
      <p>
        Deleting removes your account and log-in. It is not possible while you have upcoming appointments, or once the
        clinic keeps medical records for you (journal entries or prescriptions): then please contact the clinic.
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      {asking ? (
        <div class="confirm">
          <p>
            <strong>Delete your account for good?</strong>
          </p>
          <button type="button" class="danger" onClick={() => void remove()}>Yes, delete my account</button>{' '}
          <button type="button" class="secondary" ref={keep} onClick={() => setAsking(false)}>Keep my account</button>
        </div>
      ) : (
        <button type="button" class="danger" ref={toggle} onClick={() => (setError(''), setAsking(true))}>Delete account…</button>
      )}
    </section>
  );
}

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, onLoggedOut, post } from './api.js';
import { restartLive } from './live.js';
import { fallbackConfig, formatHours, setClinicZone, type ClinicConfig } from './format.js';
import { Appointments } from './pages/appointments.js';
import { Activate, ForgotPassword, Login, Register, ResetPassword, VerifyEmail } from './pages/auth.js';
import { Diagnostics } from './pages/diagnostics.js';
import { Journal, Prescriptions } from './pages/records.js';
import { Profile } from './pages/profile.js';
import { PRIVATE_PAGES, PUBLIC_PAGES } from './pages-list.js';
import { Link, navigate, useLocation } from './router.js';
import { Session, type Me } from './session.js';
import { Title } from './ui.js';
import './styles.css';

/** Pages that need a logged-in patient; the rest are open. Their paths are pages-list.ts's, which the server also reads. */
const PRIVATE: Record<(typeof PRIVATE_PAGES)[number], () => preact.JSX.Element> = {
  '/appointments': Appointments,
  '/diagnostics': Diagnostics,
  '/journal': Journal,
  '/prescriptions': Prescriptions,
  '/profile': Profile,
};
const PUBLIC: Record<(typeof PUBLIC_PAGES)[number], () => preact.JSX.Element> = {
  '/login': Login,
  '/register': Register,
  '/activate': Activate,
  '/forgot-password': ForgotPassword,
  '/reset-password': ResetPassword,
  '/verify-email': VerifyEmail,
};
const NAV: [string, string][] = [
  ['/appointments', 'My appointments'],
  ['/diagnostics', 'Diagnostics'],
  ['/journal', 'Journal'],
  ['/prescriptions', 'Prescriptions'],
  ['/profile', 'Profile'],
];

function NotFoundPage() {
  return (
    <>
      <Title>Page not found</Title>
      <p>
        There is no page here. <Link href="/">Go to the start page</Link>.
      </p>
    </>
  );
}

function App() {
  const { path } = useLocation();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [config, setConfig] = useState<ClinicConfig>(fallbackConfig);

  useEffect(() => {
    get<ClinicConfig>('/config').then((c) => (setClinicZone(c.timeZone), setConfig(c)), () => undefined);
    // Any 401 later (idle timeout, blocked account) sends private pages back to the login.
    onLoggedOut(() => setMe(null));
    get<Me>('/me').then(setMe, () => setMe(null));
  }, []);

  // Move focus to the new page's heading so assistive technology announces it.
  useEffect(() => {
    if (me === undefined) return;
    const t = setTimeout(() => document.getElementById('page-title')?.focus(), 0);
    document.title = `${document.getElementById('page-title')?.textContent ?? 'Portal'} — ${config.clinicName}`;
    return () => clearTimeout(t);
  }, [path, me === undefined]);

  if (me === undefined) return <p class="loading">Loading…</p>;

  let Page: () => preact.JSX.Element = NotFoundPage;
  if (path === '/') {
    navigate(me ? '/appointments' : '/login', true);
    return null;
  } else if (path in PRIVATE) {
    if (!me) {
      navigate(`/login?next=${encodeURIComponent(path)}`, true);
      return null;
    }
    Page = PRIVATE[path as keyof typeof PRIVATE];
  } else if (path in PUBLIC) {
    Page = PUBLIC[path as keyof typeof PUBLIC];
  }

  const logout = async () => {
    await post('/auth/logout').catch(() => undefined);
    restartLive();
    setMe(null);
    navigate('/login', true);
  };

  return (
    <Session.Provider value={{ me, config, setMe }}>
      <a class="skip" href="#main">Skip to content</a>
      <header>
        <Link href="/" class="brand">{config.clinicName}</Link>
        {me && (
          <button type="button" class="link" onClick={() => void logout()}>
            Log out
          </button>
        )}
      </header>
      {me && (
        <nav aria-label="Portal">
          <ul>
            {NAV.map(([href, text]) => (
              <li key={href}>
                <Link href={href} aria-current={path === href ? 'page' : undefined}>{text}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
      <footer>
        {config.address && <span>{config.address} · </span>}
        Open {formatHours(config)} · times in {config.timeZone.replace(/_/g, ' ')}
      </footer>
    </Session.Provider>
  );
}

render(<App />, document.getElementById('app')!);

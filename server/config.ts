import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else imports `config`.
 * A bad variable stops the process with a message naming it.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const clinicHours = z
  .string()
  .regex(/^[1-7]-[1-7] \d\d:\d\d-\d\d:\d\d$/, 'expected "1-5 08:00-18:00" (ISO weekdays, then hours)')
  .transform((v) => {
    const [days, hours] = v.split(' ');
    const [firstDay, lastDay] = days.split('-').map(Number);
    const [open, close] = hours.split('-').map((hm) => {
      const [h, m] = hm.split(':').map(Number);
      return h * 60 + m;
    });
    return { firstDay, lastDay, openMinute: open, closeMinute: close };
  });

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\//, 'expected mysql://user:pass@host:port/db')
    .optional(),
  SQLITE_PATH: z.string().default('./data/qhealth.sqlite'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'expected redis://host:port').optional(),
  PG_BOSS_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected postgres://user@host:port/db').optional(),
  PGLITE_DIR: z.string().default('./data/pglite'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TRUST_PROXY: z.string().default(''),
  CLINIC_NAME: z.string().min(1).default('QHealth Clinic'),
  CLINIC_ADDRESS: z.string().default('Sveavägen 1, 111 57 Stockholm'),
  CLINIC_TIMEZONE: timeZone.default('Europe/Stockholm'),
  CLINIC_HOURS: clinicHours.prefault('1-5 08:00-18:00'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected smtp://user:pass@host:port').optional(),
  MAIL_FROM: z.string().default('QHealth Clinic <no-reply@qhealth.test>'),
  MAIL_DIR: z.string().default('./data/mail'),
  BIRTHDAY_GREETINGS: bool.default(true),
  SEASON_GREETINGS: bool.default(true),
  LOGIN_ATTEMPT_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  AUDIT_STAFF_READS: bool.default(true),
  SEED_DEMO: bool.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  // The panel's component bundle: built there by `npm run build`; no leading dot (Express 5 won't serve it).
  ADMIN_JS_TMP_DIR: z.string().regex(/^(?!\.)(?!.*\/\.)/, 'must not contain a folder starting with a dot').default('dist/adminjs'),
  ADMIN_JS_SKIP_BUNDLE: bool.optional(),
  MAIL_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  MAIL_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(30),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(500),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(20),
  WORKER_JOB_TIMEOUT_SECONDS: z.coerce.number().int().min(5).default(120),
});

export type Config = ReturnType<typeof buildConfig>;

export function buildConfig(env: NodeJS.ProcessEnv) {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const production = c.NODE_ENV === 'production';
  if (production && !c.SESSION_SECRET) {
    throw new Error('Invalid configuration:\n  SESSION_SECRET: required when NODE_ENV=production');
  }
  return {
    env: c.NODE_ENV,
    production,
    port: c.PORT,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    database: c.DATABASE_URL
      ? ({ kind: 'mariadb', url: c.DATABASE_URL } as const)
      : ({ kind: 'sqlite', path: c.SQLITE_PATH } as const),
    redisUrl: c.REDIS_URL,
    pgBossUrl: c.PG_BOSS_URL,
    pgliteDir: c.PGLITE_DIR,
    // Development gets a fixed, obviously-not-secret value so restarts keep sessions.
    sessionSecret: c.SESSION_SECRET ?? 'qhealth-development-session-secret-not-for-production',
    trustProxy: c.TRUST_PROXY.split(',').map((s) => s.trim()).filter(Boolean),
    clinic: {
      name: c.CLINIC_NAME,
      address: c.CLINIC_ADDRESS,
      timeZone: c.CLINIC_TIMEZONE,
      hours: c.CLINIC_HOURS,
    },
    mail: { smtpUrl: c.SMTP_URL, from: c.MAIL_FROM, dir: c.MAIL_DIR },
    greetings: { birthday: c.BIRTHDAY_GREETINGS, season: c.SEASON_GREETINGS },
    loginAttemptRetentionDays: c.LOGIN_ATTEMPT_RETENTION_DAYS,
    auditStaffReads: c.AUDIT_STAFF_READS,
    seedDemo: c.SEED_DEMO,
    logLevel: c.LOG_LEVEL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    // Production serves the pre-built bundle unless told otherwise.
    adminBundle: { dir: c.ADMIN_JS_TMP_DIR, skipBundle: c.ADMIN_JS_SKIP_BUNDLE ?? production },
    worker: {
      mailRetryLimit: c.MAIL_RETRY_LIMIT,
      mailRetryDelaySeconds: c.MAIL_RETRY_DELAY_SECONDS,
      outboxPollMs: c.OUTBOX_POLL_MS,
      concurrency: c.WORKER_CONCURRENCY,
      jobTimeoutSeconds: c.WORKER_JOB_TIMEOUT_SECONDS,
    },
  };
}

let current: Config | undefined;

/**
 * AdminJS reads its bundle settings from the environment when it is first
 * imported; the panel calls this before importing it, so the values come
 * from (and are validated by) this module.
 */
export function exportAdminJsEnvironment(): void {
  const { adminBundle } = config();
  process.env.ADMIN_JS_TMP_DIR = adminBundle.dir;
  process.env.ADMIN_JS_SKIP_BUNDLE = String(adminBundle.skipBundle);
}

/** The panel bundle's folder alone: `npm run build` runs without the server's secrets. */
export function adminBundleDir(env: NodeJS.ProcessEnv = process.env): string {
  return schema.shape.ADMIN_JS_TMP_DIR.parse(env.ADMIN_JS_TMP_DIR || undefined);
}

/** The process's configuration, read once on first use. */
export function config(): Config {
  if (!current) current = buildConfig(process.env);
  return current;
}

/** Tests replace parts of the configuration; production never calls this. */
export function overrideConfig(patch: Partial<Config>): void {
  current = { ...config(), ...patch };
}

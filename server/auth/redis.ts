import { createClient, type RedisClientType } from 'redis';
import { config } from '../config.js';

/**
 * One Redis connection for sessions and rate limits, opened on first use when
 * REDIS_URL is set. Separate from the live-event fan-out's connections, which
 * block in SUBSCRIBE.
 */
let client: Promise<RedisClientType> | undefined;

export function authRedis(): Promise<RedisClientType> {
  const url = config().redisUrl;
  if (!url) throw new Error('REDIS_URL is not set');
  client ??= (async () => {
    const c: RedisClientType = createClient({ url });
    c.on('error', (err) => console.error('[redis:auth]', err.message));
    await c.connect();
    return c;
  })();
  return client;
}

export async function closeAuthRedis(): Promise<void> {
  const pending = client;
  client = undefined;
  if (pending) await (await pending).quit().catch(() => undefined);
}

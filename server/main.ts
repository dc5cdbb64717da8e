import type { Server } from 'node:http';
import { closeAuthRedis } from './auth/redis.js';
import { config } from './config.js';
import { closeDatabase, openDatabase } from './db/data-source.js';
import { createApp } from './http/app.js';
import { startLiveBus, stopLiveBus } from './live/start.js';
import { seedDemoIfEmpty } from './seed/demo.js';
import { WEB_LISTENING } from './entry/ready.js';

/** The web process: `node --import tsx server/main.ts`. */
async function main(): Promise<void> {
  const cfg = config();
  await openDatabase();
  await seedDemoIfEmpty();
  await startLiveBus();
  const app = await createApp();
  const server: Server = app.listen(cfg.port, () => {
    console.log(`QHealth web on ${cfg.publicUrl} (portal /, panel /admin, API docs /api/docs) — ${cfg.database.kind}`);
    process.emit(WEB_LISTENING as never);
  });
  server.keepAliveTimeout = 65_000;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`web: ${signal}, closing`);
    // Open event streams would hold server.close() open; ending them lets clients reconnect elsewhere.
    void stopLiveBus();
    server.close(() => void Promise.allSettled([closeDatabase(), closeAuthRedis()]).then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

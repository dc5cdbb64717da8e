import { config } from '../config.js';
import { DEFAULT_STREAM_KEY, type LiveBus } from './bus.js';
import { localChanges, setChangePublisher } from './changes.js';
import { MemoryBus } from './memory-bus.js';
import { RedisBus } from './redis-bus.js';
import { SqliteBus } from './sqlite-bus.js';
import { StreamHub, type StreamLimits } from './streams.js';

export interface LiveBusOptions {
  /** Defaults to config().redisUrl; without it the bus lives in this process only. */
  redisUrl?: string;
  /** The Redis stream's key; tests use one of their own. */
  streamKey?: string;
  /** False in processes that publish but hold no streams (the worker). */
  subscribe?: boolean;
  limits?: Partial<StreamLimits>;
}

let bus: LiveBus | undefined;
let hub: StreamHub | undefined;

/**
 * Connects this process to the live bus and makes `inTransaction` publish to
 * it. The web process calls it before serving; the worker calls it with
 * `{ subscribe: false }`.
 */
export async function startLiveBus(options: LiveBusOptions = {}): Promise<void> {
  if (bus) return;
  const redisUrl = 'redisUrl' in options ? options.redisUrl : config().redisUrl;
  const subscribe = options.subscribe !== false;
  const database = config().database;
  if (redisUrl) bus = await RedisBus.connect(redisUrl, options.streamKey ?? DEFAULT_STREAM_KEY, { subscribe });
  // The embedded set-up runs the web process and the worker over one SQLite
  // file: the bus goes through it, so the worker's changes reach the streams.
  else if (database.kind === 'sqlite' && database.path !== ':memory:') bus = new SqliteBus(database.path, { subscribe });
  else bus = new MemoryBus();
  setChangePublisher(bus);
  if (subscribe) hub = new StreamHub(bus, options.limits);
}

/** Ends this instance's streams (clients reconnect elsewhere) and disconnects from the bus. */
export async function stopLiveBus(): Promise<void> {
  hub?.stop();
  hub = undefined;
  const stopping = bus;
  bus = undefined;
  setChangePublisher(localChanges);
  await stopping?.close();
}

/** The bus this process publishes to, once started. */
export function currentBus(): LiveBus | undefined {
  return bus;
}

/**
 * The hub serving this process's streams. Without startLiveBus (a test app,
 * a script) the first stream starts the in-process bus.
 */
export function currentHub(): StreamHub {
  if (!hub) {
    const memory = new MemoryBus();
    bus ??= memory;
    setChangePublisher(bus);
    hub = new StreamHub(bus);
  }
  return hub;
}

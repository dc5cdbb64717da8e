import type { Socket } from 'node:net';
import type { Request, Response } from 'express';
import { createSession, EventBuffer, type Session } from 'better-sse';
import type { Actor } from '../access/actor.js';
import type { Role } from '../access/roles.js';
import { db } from '../db/data-source.js';
import { User } from '../db/entities/user.js';
import { Forbidden, TooManyRequests, Unauthenticated } from '../shared/errors.js';
import { mayReceive, wireEvent } from './audience.js';
import type { BusEvent, LiveBus } from './bus.js';
import { MAX_REPLAY } from './bus.js';
import { compareEventIds, parseEventId, type EventId } from './event-id.js';

export type Audience = 'portal' | 'panel';

export interface StreamLimits {
  /** Open streams one user may hold on one instance; one more is refused with 429. */
  maxStreamsPerUser: number;
  /** A client whose unsent backlog passes this is dropped: it stopped reading. */
  maxBufferedBytes: number;
  heartbeatMs: number;
  retryMs: number;
  /** How often the users behind open streams are re-read (blocked, signed out everywhere). */
  userCheckMs: number;
}

export const DEFAULT_LIMITS: StreamLimits = {
  maxStreamsPerUser: 5,
  maxBufferedBytes: 256 * 1024,
  heartbeatMs: 15_000,
  retryMs: 2_000,
  userCheckMs: 1_000,
};

/** What the tick needs to know about a user to decide whether their streams may stay open. */
export interface UserState {
  id: number;
  role: Role;
  isBlocked: boolean;
  isActive: boolean;
  sessionEpoch: number;
}

export type UserStateLoader = (ids: number[]) => Promise<UserState[]>;

/** The part of express-session a stream needs to notice that its session has ended. */
interface SessionLink {
  id: string;
  store: { get(sid: string, callback: (err: unknown, data?: { userId?: number } | null) => void): void };
}

interface Stream {
  actor: Actor & { id: number };
  epoch: number;
  login: SessionLink | null;
  res: Response;
  /**
   * The connection itself, once the response head is out and the body is
   * chunked: frames then go straight to it (see `write`).
   */
  socket: Socket | null;
  session: Session;
  /** Live events that arrive while the missed ones are being replayed wait here. */
  pending: BusEvent[] | null;
  /**
   * The newest event this client has: what it said it had, then what was sent.
   * Instances tail the bus at slightly different paces, so after a hop the
   * new instance may still deliver an event the replay already sent.
   */
  lastSent: EventId | null;
  closed: boolean;
}

const USER_CHECK_CHUNK = 5_000;

/**
 * The streams held by one web instance. Events from the bus are fanned out
 * through two indexes — patients by user id, staff by role — so one change
 * costs work only for the streams that may see it, and each event is framed
 * once, not once per client.
 */
export class StreamHub {
  private readonly byUser = new Map<number, Set<Stream>>();
  private readonly staffByRole = new Map<Role, Set<Stream>>();
  private readonly limits: StreamLimits;
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private checking = false;
  private arriving: BusEvent[] = [];
  private readonly framed = new Map<BusEvent, Frame>();

  constructor(
    private readonly bus: LiveBus,
    limits: Partial<StreamLimits> = {},
    private readonly loadUsers: UserStateLoader = loadUserStates,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.unsubscribe = bus.subscribe((event) => this.deliver(event));
    this.timer = setInterval(() => void this.tick(), this.limits.userCheckMs);
    this.timer.unref();
  }

  get streamCount(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }

  /** Open streams of one user on this instance. */
  streamCountOf(userId: number): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Ends every stream (the instance is stopping; clients reconnect elsewhere and replay). */
  stop(): void {
    this.unsubscribe?.();
    clearInterval(this.timer);
    for (const set of [...this.byUser.values()]) for (const stream of [...set]) this.end(stream, 'shutdown');
  }

  /** Serves one `GET …/events` request until the client leaves or the stream is ended. */
  async open(req: Request, res: Response, audience: Audience): Promise<void> {
    const actor = (req as Request & { actor?: Actor }).actor;
    if (!actor || actor.id === null || actor.role === 'system') throw new Unauthenticated();
    if (audience === 'portal' && actor.role !== 'patient') throw new Forbidden('The portal stream is for patients; staff use the panel.');
    if (audience === 'panel' && actor.role === 'patient') throw new Forbidden('The panel stream is for staff.');
    const userId = actor.id;

    // The session middleware let this request through just now, so the user's
    // epoch read here is the session's; a later bump means the session was ended.
    const login = detachSession(req);
    const [state] = await this.loadUsers([userId]);
    const epoch = login?.epoch ?? state?.sessionEpoch;
    if (!state || epoch === undefined || !mayStayOpen(state, actor.role, epoch)) throw new Unauthenticated();
    if ((this.byUser.get(userId)?.size ?? 0) >= this.limits.maxStreamsPerUser) {
      throw new TooManyRequests(`At most ${this.limits.maxStreamsPerUser} live connections per user; close another tab.`, 30);
    }

    const lastEventId = req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
    const session = await createSession(req, res, {
      retry: this.limits.retryMs,
      keepAlive: this.limits.heartbeatMs,
      trustClientEventId: false,
    });
    const stream: Stream = {
      actor: { ...actor, id: userId },
      epoch,
      login: login?.link ?? null,
      res,
      socket: null,
      session,
      pending: lastEventId ? [] : null,
      lastSent: parseEventId(lastEventId),
      closed: false,
    };
    if (this.register(stream)) {
      session.once('disconnected', () => this.unregister(stream));
    }
    if (res.writableEnded || res.destroyed) {
      this.unregister(stream);
      return;
    }
    if (lastEventId) {
      await this.replay(stream, lastEventId);
    } else {
      // An id with no data sets the browser's Last-Event-ID without firing an
      // event, so a connection that drops before its first change still
      // resumes from here. Not recorded as sent: an event committed just
      // before may still be on its way to this stream and must not be skipped.
      this.write(stream, toFrame(new EventBuffer().id(this.bus.headId()).dispatch().read()), null);
    }
  }

  private register(stream: Stream): boolean {
    // A second request of the same user may have won the race while this one awaited.
    const own = this.byUser.get(stream.actor.id) ?? new Set<Stream>();
    if (own.size >= this.limits.maxStreamsPerUser) {
      this.end(stream, 'too-many-streams');
      return false;
    }
    own.add(stream);
    this.byUser.set(stream.actor.id, own);
    if (stream.actor.role !== 'patient') {
      const role = stream.actor.role as Role;
      const peers = this.staffByRole.get(role) ?? new Set<Stream>();
      peers.add(stream);
      this.staffByRole.set(role, peers);
    }
    return true;
  }

  private unregister(stream: Stream): void {
    stream.closed = true;
    const own = this.byUser.get(stream.actor.id);
    own?.delete(stream);
    if (own?.size === 0) this.byUser.delete(stream.actor.id);
    const peers = this.staffByRole.get(stream.actor.role as Role);
    peers?.delete(stream);
    if (peers?.size === 0) this.staffByRole.delete(stream.actor.role as Role);
  }

  private async replay(stream: Stream, lastEventId: string): Promise<void> {
    let replay;
    try {
      replay = parseEventId(lastEventId) ? await this.bus.replay(lastEventId) : { events: [], complete: false };
    } catch (err) {
      console.error('live: replay failed', (err as Error).message);
      replay = { events: [], complete: false };
    }
    if (stream.closed) return;
    const waiting = stream.pending ?? [];
    stream.pending = null;
    if (!replay.complete || waiting.length > MAX_REPLAY) {
      // Some of what was missed is gone: tell the client to re-read its lists.
      const head = this.bus.headId();
      stream.lastSent = null;
      this.write(stream, toFrame(new EventBuffer().id(head).event('reset').data({}).dispatch().read()), parseEventId(head));
      for (const event of waiting) this.send(stream, event);
      return;
    }
    for (const event of [...replay.events, ...waiting]) if (mayReceive(stream.actor, event.change)) this.send(stream, event);
  }

  /**
   * Events that arrive together (one bus read: a poll of the table, one XREAD
   * reply) are fanned out together once the read is done, so a burst costs
   * each stream one write, not one per event.
   */
  private deliver(event: BusEvent): void {
    this.arriving.push(event);
    if (this.arriving.length === 1) {
      queueMicrotask(() => {
        // A throw in a microtask would end the process; one bad fan-out must not.
        try {
          this.fanOut();
        } catch (err) {
          console.error('live: fanning out changes failed', err);
        }
      });
    }
  }

  private fanOut(): void {
    const events = this.arriving;
    this.arriving = [];
    // Patients: each gets the events about them (and catalogue changes).
    const forPatients = new Map<Stream, BusEvent[]>();
    for (const event of events) {
      const patientId = event.change.patientId;
      const streams = event.change.resource === 'diagnostic'
        ? [...this.byUser.values()].flatMap((set) => [...set]) // Catalogue changes reach every patient (rare: a few a day).
        : patientId !== null ? this.byUser.get(patientId) ?? [] : [];
      for (const stream of streams) {
        if (stream.actor.role !== 'patient' || !mayReceive(stream.actor, event.change)) continue;
        const list = forPatients.get(stream);
        if (list) list.push(event);
        else forPatients.set(stream, [event]);
      }
    }
    for (const [stream, list] of forPatients) this.route(stream, delivery(list));
    // Staff visibility depends on the role alone: decided once per role, and
    // the role's streams share one delivery (and so one framed chunk).
    for (const [role, streams] of this.staffByRole) {
      const visible = events.filter((event) => mayReceive({ id: 0, role }, event.change));
      if (visible.length === 0) continue;
      const shared = delivery(visible);
      for (const stream of streams) this.route(stream, shared);
    }
  }

  /** Writes a stream's share of a fan-out as one chunk, skipping what it already has. */
  private route(stream: Stream, delivery: Delivery): void {
    if (stream.closed) return;
    if (stream.pending) {
      // Replaying: the replay decides what this stream may see.
      stream.pending.push(...delivery.events);
      return;
    }
    if (isAfter(delivery.first, stream.lastSent)) {
      delivery.frame ??= joinFrames(delivery.events.map((event) => this.frameOf(event)));
      this.write(stream, delivery.frame, delivery.last);
      return;
    }
    // After a replay the stream may already have the first few.
    for (const event of delivery.events) this.send(stream, event);
  }

  /** One framing per event however many streams it goes to (kept for the current fan-out only). */
  private frameOf(event: BusEvent): Frame {
    let frame = this.framed.get(event);
    if (!frame) {
      frame = changeFrame(event);
      this.framed.set(event, frame);
      if (this.framed.size === 1) queueMicrotask(() => this.framed.clear());
    }
    return frame;
  }

  /** Sends one event unless the client already has it. */
  private send(stream: Stream, event: BusEvent): void {
    const at = parseEventId(event.eventId);
    if (isAfter(at, stream.lastSent)) this.write(stream, changeFrame(event), at);
  }

  /**
   * Frames are encoded once per event, not per client (better-sse's push
   * would serialize and encode for each). Once the response head is out, a
   * frame goes to the socket as one ready-made HTTP chunk: Node's own
   * res.write would cork, build the chunk header and writev four buffers per
   * socket, which at thousands of streams is most of the fan-out's cost.
   */
  private write(stream: Stream, frame: Frame, at: EventId | null): void {
    if (stream.closed) return;
    const socket = stream.socket ?? this.rawSocket(stream);
    if (socket) {
      // The response's own writableLength adds a getter chain per call; the
      // socket's backlog is the whole backlog once the head is out.
      if (socket.writableLength > this.limits.maxBufferedBytes) {
        this.drop(stream);
        return;
      }
      socket.write(frame.chunk);
    } else {
      if (stream.res.writableLength > this.limits.maxBufferedBytes) {
        this.drop(stream);
        return;
      }
      stream.res.write(frame.body);
    }
    if (at) stream.lastSent = at;
  }

  /** The stream's socket, when frames may be written to it as ready-made chunks. */
  private rawSocket(stream: Stream): Socket | null {
    const res = stream.res as unknown as { _headerSent?: boolean; chunkedEncoding?: boolean; socket: Socket | null; writableEnded: boolean };
    if (!res._headerSent || !res.chunkedEncoding || !res.socket || res.socket.destroyed || res.writableEnded) return null;
    const socket = res.socket;
    stream.socket = socket;
    // Once ended or cut, frames must not reach the connection (it may be reused or gone).
    socket.once('close', () => (stream.socket = null));
    stream.res.once('finish', () => (stream.socket = null));
    return socket;
  }

  /** A client that stopped reading: its socket is cut, its backlog freed. */
  private drop(stream: Stream): void {
    if (stream.closed) return;
    this.unregister(stream);
    stream.res.destroy();
  }

  /**
   * Ends a stream on purpose. Unless the instance is only stopping (then the
   * client should reconnect elsewhere), an `end` event tells it not to come
   * back with this session.
   */
  private end(stream: Stream, reason: 'session-ended' | 'too-many-streams' | 'shutdown'): void {
    const wasClosed = stream.closed;
    this.unregister(stream);
    if (wasClosed || stream.res.writableEnded) return;
    if (reason !== 'shutdown' && stream.session.isConnected && stream.res.writableLength <= this.limits.maxBufferedBytes) {
      void stream.session.batch(new EventBuffer().event('end').data({ reason }).dispatch()).catch(() => undefined);
    }
    stream.res.end();
  }

  /**
   * Once a second: drop clients that stopped reading, and end the streams of
   * users who were blocked, deactivated, deleted, changed role or had their
   * sessions ended — one query for all connected users, not one per stream —
   * and of sessions that were logged out or expired.
   */
  private async tick(): Promise<void> {
    for (const set of this.byUser.values()) {
      for (const stream of set) if ((stream.socket ?? stream.res).writableLength > this.limits.maxBufferedBytes) this.drop(stream);
    }
    if (this.checking || this.byUser.size === 0) return;
    this.checking = true;
    try {
      await Promise.all([this.checkUsers(), this.checkSessions()]);
    } catch (err) {
      console.error('live: checking the users of open streams failed', (err as Error).message);
    } finally {
      this.checking = false;
    }
  }

  private async checkUsers(): Promise<void> {
    const ids = [...this.byUser.keys()];
    const states = new Map<number, UserState>();
    for (let i = 0; i < ids.length; i += USER_CHECK_CHUNK) {
      for (const state of await this.loadUsers(ids.slice(i, i + USER_CHECK_CHUNK))) states.set(state.id, state);
    }
    for (const id of ids) {
      const state = states.get(id);
      for (const stream of [...(this.byUser.get(id) ?? [])]) {
        if (!state || !mayStayOpen(state, stream.actor.role, stream.epoch)) this.end(stream, 'session-ended');
      }
    }
  }

  /** Logout destroys the session in the store; a stream opened with it ends too. */
  private async checkSessions(): Promise<void> {
    const bySession = new Map<string, Stream[]>();
    for (const set of this.byUser.values()) {
      for (const stream of set) {
        if (!stream.login) continue;
        const list = bySession.get(stream.login.id) ?? [];
        list.push(stream);
        bySession.set(stream.login.id, list);
      }
    }
    await Promise.all(
      [...bySession.values()].map(async (streams) => {
        const { id, store } = streams[0].login!;
        const data = await new Promise<{ userId?: number } | null | undefined>((ok, fail) => store.get(id, (err, d) => (err ? fail(err) : ok(d))));
        for (const stream of streams) if (!data || data.userId !== stream.actor.id) this.end(stream, 'session-ended');
      }),
    );
  }
}

/**
 * Takes the session off a stream's request. express-session saves a modified
 * session when the response ends; a stream ends long after, possibly after a
 * logout, and that save would bring the destroyed session back.
 */
function detachSession(req: Request): { link: SessionLink; epoch: number | undefined } | null {
  const holder = req as unknown as { session?: { sessionEpoch?: number } | null; sessionID?: string; sessionStore?: SessionLink['store'] };
  if (!holder.session || !holder.sessionID || !holder.sessionStore) return null;
  const epoch = holder.session.sessionEpoch;
  holder.session = null;
  return { link: { id: holder.sessionID, store: holder.sessionStore }, epoch };
}

function mayStayOpen(state: UserState, role: Actor['role'], epoch: number): boolean {
  return !state.isBlocked && state.isActive && state.role === role && state.sessionEpoch === epoch;
}

function isAfter(at: EventId | null, last: EventId | null): boolean {
  return !last || !at || compareEventIds(at, last) > 0;
}

/** One SSE frame: its bytes, and the same bytes as an HTTP/1.1 chunk. */
interface Frame {
  body: Buffer;
  chunk: Buffer;
}

/** The events one stream gets from one fan-out; `frame` is filled once and shared by every stream given the same list. */
interface Delivery {
  events: BusEvent[];
  first: EventId | null;
  last: EventId | null;
  frame?: Frame;
}

function delivery(events: BusEvent[]): Delivery {
  return { events, first: parseEventId(events[0].eventId), last: parseEventId(events[events.length - 1].eventId) };
}

function joinFrames(frames: Frame[]): Frame {
  if (frames.length === 1) return frames[0];
  const body = Buffer.concat(frames.map((f) => f.body));
  return { body, chunk: Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]) };
}

function toFrame(text: string): Frame {
  const body = Buffer.from(text);
  return { body, chunk: Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]) };
}

function changeFrame(event: BusEvent): Frame {
  return toFrame(new EventBuffer().id(event.eventId).event('change').data(wireEvent(event.change)).dispatch().read());
}

/** Raw rows, not entities: this runs every second for every connected user. */
export async function loadUserStates(ids: number[]): Promise<UserState[]> {
  if (ids.length === 0) return [];
  const rows = await db()
    .getRepository(User)
    .createQueryBuilder('u')
    .select(['u.id AS id', 'u.role AS role', 'u.isBlocked AS isBlocked', 'u.isActive AS isActive', 'u.sessionEpoch AS sessionEpoch'])
    .where('u.id IN (:...ids)', { ids })
    .getRawMany<{ id: number | string; role: UserState['role']; isBlocked: unknown; isActive: unknown; sessionEpoch: number | string }>();
  // SQLite and MariaDB hand back booleans as 0/1 (or '0'/'1'), numbers sometimes as strings.
  const truthy = (v: unknown) => v === true || v === 1 || v === '1';
  return rows.map((r) => ({ id: Number(r.id), role: r.role, isBlocked: truthy(r.isBlocked), isActive: truthy(r.isActive), sessionEpoch: Number(r.sessionEpoch) }));
}

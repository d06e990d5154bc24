import type { AppContext } from "../context.js";
import { liveSessions, type Session } from "../auth/sessions.js";
import { peopleByIds } from "../auth/users.js";
import { CLOSE_TRY_LATER } from "./connection.js";

/** How often the open sockets' sessions and users are re-read, all together. */
const RECHECK_MS = 5_000;
/**
 * A socket whose last re-read is older than this (the periodic one is late: the event
 * loop was held, or the store failed) re-reads them all before its message is taken.
 */
const STALE_MS = 2 * RECHECK_MS;
// setTimeout takes at most a signed 32-bit number of ms (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/** How a socket of an ended session is closed: its code and the reason the client is given. */
export interface SocketEnd {
  code: number;
  reason: string;
}

/** One open websocket as its session sees it. */
export interface SessionSocket {
  readonly userId: string;
  readonly tokenHash: string;
  /**
   * Whether messages may still be taken from this socket. False once its session has
   * ended (the socket is then being closed). The sessions and users of every open socket
   * are re-read together every few seconds, so that a session deleted or a user changed by
   * any means is noticed; a socket not re-read for longer than twice that is re-read (with
   * all the others) before it answers.
   */
  admits(): boolean;
  /** Forgets the socket (it closed). */
  remove(): void;
}

/**
 * Every open websocket of a server, by user and session, so that the end of a session
 * (sign-out, deactivation, role change, expiry) closes its sockets at once. The transport
 * (`server.ts`) registers each socket it accepts; `endSessions` closes them.
 *
 * A session ended by other means (its row deleted, the user changed in the store) is
 * noticed by a re-read of every open socket's session and user every RECHECK_MS, in a
 * constant number of statements: on PostgreSQL each statement is a synchronous round
 * trip, and hundreds of sockets each re-reading their own on their next message held the
 * main thread for a tenth of its time.
 */
class SessionSockets {
  private readonly byUser = new Map<string, Set<Entry>>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** Registers an accepted socket of `session`; `close` is how to close it. */
  add(session: Session, close: (end: SocketEnd) => void): SessionSocket {
    const entry = new Entry(this, session, close);
    if (entry.isEnded) return entry;
    let set = this.byUser.get(entry.userId);
    if (!set) this.byUser.set(entry.userId, (set = new Set()));
    set.add(entry);
    // Its session was just read: the next re-read of everyone is soon enough.
    if (!this.sweeper) this.arm(RECHECK_MS);
    return entry;
  }

  /**
   * Where the end of a session goes besides this process (set by the cluster, null in one
   * process): the person's sockets and live streams on the other processes close too.
   */
  crossing: ((userId: string, tokenHash: string | null, end: SocketEnd) => void) | null = null;

  /** Closes the user's sockets (those of one session when `tokenHash` is given), here and, in a cluster, on every process. Returns how many here. */
  close(userId: string, tokenHash: string | null, end: SocketEnd): number {
    this.crossing?.(userId, tokenHash, end);
    return this.closeHere(userId, tokenHash, end);
  }

  /** Closes the user's sockets on this process only. Returns how many. */
  closeHere(userId: string, tokenHash: string | null, end: SocketEnd): number {
    let closed = 0;
    for (const entry of [...(this.byUser.get(userId) ?? [])]) {
      if (tokenHash !== null && entry.tokenHash !== tokenHash) continue;
      entry.end(end);
      closed += 1;
    }
    return closed;
  }

  /** Number of open sockets of a user (for tests). */
  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** @internal */
  forget(entry: Entry): void {
    const set = this.byUser.get(entry.userId);
    if (!set) return;
    set.delete(entry);
    if (set.size === 0) this.byUser.delete(entry.userId);
    // No socket left: no timer ticking for nothing (nor holding a closed store).
    if (this.byUser.size === 0) this.disarm();
  }

  /**
   * Re-reads the session and the user of every open socket, three statements whatever
   * their number, and closes the sockets whose session no longer stands (4401) or whose
   * user is no longer as the socket knows them (4000: reconnect with the new rights).
   * Throws what the store throws; the sockets then stay unchecked.
   */
  recheckAll(): void {
    const entries = [...this.byUser.values()].flatMap((set) => [...set]);
    if (entries.length === 0) return this.disarm();
    const startedAt = Date.now();
    // The next one a period from now, whether this one succeeds or throws (tried again then).
    this.arm(RECHECK_MS);
    // A closed store (the server stopping): nothing to re-read, as before.
    if (this.ctx.db.open) {
      const live = liveSessions(this.ctx.db, entries.map((e) => e.tokenHash));
      // The person with every membership: a changed role, delegation or standing in any meeting reconnects the socket.
      const people = peopleByIds(this.ctx.db, entries.filter((e) => live.has(e.tokenHash)).map((e) => e.userId));
      for (const entry of entries) {
        const person = live.has(entry.tokenHash) ? people.get(entry.userId) : undefined;
        if (!person) entry.end(SESSION_GONE);
        else if (JSON.stringify(person) !== entry.userFacts) entry.end(ACCESS_CHANGED);
      }
    }
    for (const entry of entries) entry.checkedAt = startedAt;
  }

  /** @internal A socket not re-read for too long is about to answer: re-reads every socket now, or closes this one if the store fails. */
  recheckLate(entry: Entry): void {
    try {
      this.recheckAll();
    } catch (error) {
      console.error("re-reading the open sockets' sessions:", error);
      entry.end(UNCHECKED);
    }
  }

  private arm(wait: number): void {
    this.disarm();
    this.sweeper = setTimeout(() => {
      this.sweeper = null;
      try {
        this.recheckAll();
      } catch (error) {
        // Tried again a period later; a socket that answers meanwhile re-reads first (STALE_MS).
        console.error("re-reading the open sockets' sessions:", error);
      }
    }, wait);
    this.sweeper.unref();
  }

  private disarm(): void {
    if (this.sweeper) clearTimeout(this.sweeper);
    this.sweeper = null;
  }
}

/** Close for a session that no longer exists: final, the client must sign in again (4401). */
const SESSION_GONE: SocketEnd = { code: 4401, reason: "your session has ended; sign in again" };
/** Close for a user whose role or memberships changed: the client reconnects with its new rights. */
export const ACCESS_CHANGED: SocketEnd = { code: 4000, reason: "your access changed; reconnecting" };
/** Close for a socket whose session could not be re-read (the store failing): the client tries again later. */
const UNCHECKED: SocketEnd = { code: CLOSE_TRY_LATER, reason: "your session could not be checked; try again later" };

class Entry implements SessionSocket {
  readonly userId: string;
  readonly tokenHash: string;
  readonly userFacts: string;
  /** When its session and user were last read (at its opening, then by every re-read of all). */
  checkedAt = Date.now();
  private ended = false;
  private expiry: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: SessionSockets,
    session: Session,
    private readonly closeSocket: (end: SocketEnd) => void,
  ) {
    this.userId = session.person.id;
    this.tokenHash = session.tokenHash;
    this.userFacts = JSON.stringify(session.person);
    this.armExpiry(Date.parse(session.expiresAt));
  }

  private armExpiry(at: number): void {
    const wait = at - Date.now();
    if (wait <= 0) return this.end({ code: 4401, reason: "your session has expired; sign in again" });
    this.expiry = setTimeout(() => this.armExpiry(at), Math.min(wait, MAX_TIMER_MS));
    this.expiry.unref();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  admits(): boolean {
    if (this.ended) return false;
    if (Date.now() - this.checkedAt >= STALE_MS) this.registry.recheckLate(this);
    return !this.ended;
  }

  end(end: SocketEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.closeSocket(end);
    this.remove();
  }

  remove(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    this.registry.forget(this);
  }
}

const registries = new WeakMap<AppContext, SessionSockets>();

/** The socket registry of a server (one per context). */
export function sessionSocketsOf(ctx: AppContext): SessionSockets {
  let registry = registries.get(ctx);
  if (!registry) registries.set(ctx, (registry = new SessionSockets(ctx)));
  return registry;
}

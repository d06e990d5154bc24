import type { AppContext } from "../context.js";
import { sessionLive, type Session } from "../auth/sessions.js";
import { personById } from "../auth/users.js";

/** How often an open socket re-reads its session and user while messages arrive. */
const RECHECK_MS = 5_000;
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
   * ended (the socket is then being closed); re-reads the session and the user every few
   * seconds, so that a session deleted or a user changed by any means is noticed.
   */
  admits(): boolean;
  /** Forgets the socket (it closed). */
  remove(): void;
}

/**
 * Every open websocket of a server, by user and session, so that the end of a session
 * (sign-out, deactivation, role change, expiry) closes its sockets at once. The transport
 * (`server.ts`) registers each socket it accepts; `endSessions` closes them.
 */
class SessionSockets {
  private readonly byUser = new Map<string, Set<Entry>>();

  constructor(private readonly ctx: AppContext) {}

  /** Registers an accepted socket of `session`; `close` is how to close it. */
  add(session: Session, close: (end: SocketEnd) => void): SessionSocket {
    const entry = new Entry(this, session, close);
    if (entry.isEnded) return entry;
    let set = this.byUser.get(entry.userId);
    if (!set) this.byUser.set(entry.userId, (set = new Set()));
    set.add(entry);
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
  }

  /** @internal Whether the session still stands and the user is still as the socket knows them. */
  recheck(entry: Entry): SocketEnd | null {
    if (!this.ctx.db.open) return null;
    if (!sessionLive(this.ctx.db, entry.tokenHash)) return SESSION_GONE;
    // The person with every membership: a changed role, delegation or standing in any meeting reconnects the socket.
    const person = personById(this.ctx.db, entry.userId);
    if (!person) return SESSION_GONE;
    if (JSON.stringify(person) !== entry.userFacts) return ACCESS_CHANGED;
    return null;
  }
}

/** Close for a session that no longer exists: final, the client must sign in again (4401). */
const SESSION_GONE: SocketEnd = { code: 4401, reason: "your session has ended; sign in again" };
/** Close for a user whose role or memberships changed: the client reconnects with its new rights. */
export const ACCESS_CHANGED: SocketEnd = { code: 4000, reason: "your access changed; reconnecting" };

class Entry implements SessionSocket {
  readonly userId: string;
  readonly tokenHash: string;
  readonly userFacts: string;
  private ended = false;
  private checkedAt = Date.now();
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
    const now = Date.now();
    if (now - this.checkedAt >= RECHECK_MS) {
      this.checkedAt = now;
      const end = this.registry.recheck(this);
      if (end) this.end(end);
    }
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

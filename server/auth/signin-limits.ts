import { LruMap } from "./lru.js";

/** How many wrong passwords lock what, and for how long. */
export interface SignInLimitSettings {
  /** Failed sign-ins to one username (known or not) within `lockoutMs` that lock it. */
  failuresPerUsername: number;
  /** Failed sign-ins from one address (any usernames) within `lockoutMs` that lock it. */
  failuresPerAddress: number;
  /** How long a lock lasts, and the window in which failures are counted (ms). */
  lockoutMs: number;
}

/** Why a sign-in is refused before its password is looked at. */
export interface SignInLock {
  /** `username`: too many wrong passwords for this username (or, with a device cookie, from this device); `address`: from this address. */
  scope: "username" | "address";
  /** When the lock ends (ms since the epoch). */
  until: number;
  /** Whether the lock is in force (true) or only attempts still in progress fill the quota. */
  locked: boolean;
}

/**
 * Whom a sign-in names: an existing account (by id), or one from a browser that holds a
 * genuine device cookie for it (by the device's nonce), or a username that names nobody.
 */
export type SignInTarget = { accountId: string } | { accountId: string; device: string } | { unknownUsername: string };

/** A sign-in admitted past the limits, whose outcome must be reported exactly once. */
export interface SignInAttempt {
  /** The password was wrong (or the username unknown); returns the lock this failure started, if any. */
  failed(now?: number): SignInLock | null;
  /** The password was right: the username's failures are forgotten (the address's are not). */
  succeeded(): void;
}

interface Counter {
  failures: number;
  /** Attempts admitted and not yet decided: counted against the quota so parallel guesses do not slip through. */
  pending: number;
  since: number;
  lockedUntil: number;
}

// Bounds on what the limits remember. Existing accounts have their own map, keyed by id:
// a spray of made-up usernames can only push out other made-up usernames, never the counter
// that protects a real account. Addresses are coarse (an IPv6 /64 counts as one), so a
// spray from many addresses needs a great many of them to push out a locked one.
const ACCOUNTS_CAPACITY = 200_000;
const UNKNOWN_USERNAMES_CAPACITY = 20_000;
const ADDRESSES_CAPACITY = 20_000;
// While the last attempts of a quota are in progress, the next one is asked to wait this long.
const IN_PROGRESS_RETRY_MS = 1_000;

/**
 * The sign-in limits of one server: wrong passwords per username and per address, each
 * counted in a bounded LRU, checked before any password is looked at. A locked username or
 * address is refused for the whole lockout period, whatever the password. In memory: a
 * restart forgets the counts, which only gives a guesser one more quota.
 */
export class SignInLimits {
  private readonly accounts = new LruMap<string, Counter>(ACCOUNTS_CAPACITY);
  private readonly unknownUsernames = new LruMap<string, Counter>(UNKNOWN_USERNAMES_CAPACITY);
  private readonly addresses = new LruMap<string, Counter>(ADDRESSES_CAPACITY);
  private readonly devices = new LruMap<string, Counter>(ACCOUNTS_CAPACITY);

  constructor(private readonly settings: SignInLimitSettings) {}

  /**
   * Admits a sign-in attempt, or returns the lock that refuses it. An admitted attempt
   * holds a place in both quotas until `failed` or `succeeded` is called.
   */
  begin(target: SignInTarget, address: string, now = Date.now()): { attempt: SignInAttempt } | { refused: SignInLock } {
    const { map, key } = this.usernameSlot(target);
    const user = this.counter(map, key, now);
    // A known device is counted on its own: neither the username's lock nor the address's applies to it.
    const device = "device" in target;
    const from = device ? { failures: 0, pending: 0, since: now, lockedUntil: 0 } : this.counter(this.addresses, address, now);
    const refusal =
      this.refusal(user, this.settings.failuresPerUsername, "username", now) ??
      this.refusal(from, this.settings.failuresPerAddress, "address", now);
    if (refusal) return { refused: refusal };
    user.pending += 1;
    from.pending += 1;
    let decided = false;
    const settle = () => {
      if (decided) return false;
      decided = true;
      user.pending -= 1;
      from.pending -= 1;
      return true;
    };
    return {
      attempt: {
        failed: (at = Date.now()) => {
          if (!settle()) return null;
          const byUser = this.fail(user, this.settings.failuresPerUsername, "username", at);
          const byAddress = this.fail(from, this.settings.failuresPerAddress, "address", at);
          // The counters may have been pushed out of their maps meanwhile; put them back.
          map.set(key, user);
          if (!device) this.addresses.set(address, from);
          return byUser ?? byAddress;
        },
        succeeded: () => {
          if (!settle()) return;
          map.delete(key);
        },
      },
    };
  }

  private usernameSlot(target: SignInTarget): { map: LruMap<string, Counter>; key: string } {
    if ("device" in target) return { map: this.devices, key: `${target.accountId}:${target.device}` };
    return "accountId" in target
      ? { map: this.accounts, key: target.accountId }
      : { map: this.unknownUsernames, key: target.unknownUsername.normalize("NFC").toLowerCase() };
  }

  /** The live counter of `key`, started afresh when its lock or its counting window is over. */
  private counter(map: LruMap<string, Counter>, key: string, now: number): Counter {
    let c = map.get(key);
    const over = c && (c.lockedUntil > 0 ? c.lockedUntil <= now : now - c.since >= this.settings.lockoutMs);
    if (!c || (over && c.pending === 0)) {
      c = { failures: 0, pending: 0, since: now, lockedUntil: 0 };
      map.set(key, c);
    } else if (over) {
      // Attempts still in progress keep the object (they will settle on it); only the count restarts.
      c.failures = 0;
      c.since = now;
      c.lockedUntil = 0;
    }
    return c;
  }

  private refusal(c: Counter, limit: number, scope: SignInLock["scope"], now: number): SignInLock | null {
    if (c.lockedUntil > now) return { scope, until: c.lockedUntil, locked: true };
    if (c.failures + c.pending >= limit) return { scope, until: now + IN_PROGRESS_RETRY_MS, locked: false };
    return null;
  }

  private fail(c: Counter, limit: number, scope: SignInLock["scope"], now: number): SignInLock | null {
    c.failures += 1;
    if (c.lockedUntil > now || c.failures < limit) return null;
    c.lockedUntil = now + this.settings.lockoutMs;
    return { scope, until: c.lockedUntil, locked: true };
  }
}

/**
 * The address a sign-in is counted against: IPv4 as it is, IPv6 by its /64 network (one
 * host is routinely given a whole /64, so single IPv6 addresses would cost a sprayer nothing).
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!ip.includes(":")) return ip;
  const [head = "", tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

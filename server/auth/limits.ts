import type { Config } from "../config.js";
import { RateLimiter } from "./ratelimit.js";
import { SignInLimits, type SignInLock, type SignInTarget } from "./signin-limits.js";

/** API requests per person in a window (ACCORD_REQUESTS_PER_MINUTE). */
export interface RequestRate {
  /** Counts one request of `personId`; false when they are over the limit in this window. */
  take(personId: string): Promise<boolean>;
}

/** A sign-in admitted past the limits, whose outcome must be reported exactly once. */
export interface SignInTry {
  /** The password was wrong (or the username unknown); resolves with the lock this failure started, if any. */
  failed(): Promise<SignInLock | null>;
  /** The password was right: the username's failures are forgotten (the address's are not). */
  succeeded(): Promise<void>;
}

/** The sign-in limits (ACCORD_SIGNIN_*): wrong passwords per username and per address. */
export interface SignInLimiter {
  /** Admits a sign-in attempt, or gives the lock that refuses it (before any password is looked at). */
  begin(target: SignInTarget, address: string): Promise<{ attempt: SignInTry } | { refused: SignInLock }>;
}

/** Open websockets per person (ACCORD_MAX_CONNECTIONS_PER_USER). */
export interface ConnectionSlots {
  /** Takes one of `personId`'s slots: resolves with how to give it back (once, when the socket closes), or null when all are taken. */
  acquire(personId: string): Promise<(() => void) | null>;
}

/**
 * The server's limits on what one person or address may do. One process counts in memory
 * (`localLimits`); the processes of a cluster count together, in Redis
 * (server/cluster/shared-limits.ts), so that a user does not get the allowance once per
 * process. Callers see the same interface either way.
 */
export interface Limits {
  requests: RequestRate;
  signIns: SignInLimiter;
  connections: ConnectionSlots;
}

/** The sign-in limits of the configuration. */
export function signInSettings(config: Config): ConstructorParameters<typeof SignInLimits>[0] {
  return { failuresPerUsername: config.signInFailures, failuresPerAddress: config.signInAddressFailures, lockoutMs: config.signInLockoutSeconds * 1000 };
}

/** This process's own count of one person's open websockets. */
export class LocalConnectionSlots implements ConnectionSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes a slot now (a cluster's fallback uses it without waiting). */
  acquireNow(personId: string): (() => void) | null {
    const count = this.open.get(personId) ?? 0;
    if (count >= this.limit) return null;
    this.open.set(personId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(personId) ?? 1) - 1;
      if (left <= 0) this.open.delete(personId);
      else this.open.set(personId, left);
    };
  }

  /** Takes a slot (see ConnectionSlots). */
  acquire(personId: string): Promise<(() => void) | null> {
    return Promise.resolve(this.acquireNow(personId));
  }
}

/** The in-memory sign-in limits behind the SignInLimiter interface. */
export function localSignIns(limits: SignInLimits): SignInLimiter {
  return {
    begin(target, address) {
      const admitted = limits.begin(target, address);
      if ("refused" in admitted) return Promise.resolve(admitted);
      const { attempt } = admitted;
      return Promise.resolve({
        attempt: {
          failed: () => Promise.resolve(attempt.failed()),
          succeeded: () => Promise.resolve(attempt.succeeded()),
        },
      });
    },
  };
}

/** The limits of one process, counted in its memory (a restart forgets them; see RateLimiter and SignInLimits). */
export function localLimits(config: Config): Limits {
  const requests = new RateLimiter(config.requestsPerMinute, 60_000);
  return {
    requests: { take: (personId) => Promise.resolve(requests.take(personId)) },
    signIns: localSignIns(new SignInLimits(signInSettings(config))),
    connections: new LocalConnectionSlots(config.maxConnectionsPerUser),
  };
}

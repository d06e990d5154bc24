import type { AppContext } from "../context.js";
import { auditActor } from "../audit/audit.js";
import { runCommand } from "../commands/command.js";
import type { SignInLock } from "./signin-limits.js";
import type { User } from "./users.js";

/** Audit actions of sign-ins that did not succeed (all under `session.`, which only the secretariat sees). */
const SIGN_IN_FAILED = "session.failed";
const SIGN_IN_LOCKED = "session.locked";
const SIGN_IN_REFUSED = "session.refused";

interface Refusals {
  user: User;
  attempts: number;
  addresses: Set<string>;
  lock: SignInLock;
}

type Entry = { action: string; user: User; details: Record<string, unknown> };

// Written in batches, after the answer has gone: a failure for a real account must not take
// longer to answer than one for an unknown username (the audit write would tell them
// apart), and a flood of refusals must cost one transaction per batch, not one each.
const FLUSH_MS = 200;
// Refusals of a locked account are many and alike: one event per account per batch, with a count.
const ADDRESSES_PER_EVENT = 10;

/**
 * Records failed and refused sign-ins to existing accounts in their meeting's audit trail:
 * `session.failed` for each wrong password, `session.locked` when a lock starts, and
 * `session.refused` for attempts refused while locked (counted per batch). Attempts that
 * name no account are not recorded in any meeting's trail: a mistyped username is often a
 * password; locks they cause are logged by the server instead.
 */
class SignInAudit {
  private entries: Entry[] = [];
  private refusals = new Map<string, Refusals>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly ctx: AppContext) {}

  /** A wrong password for `user`'s account from `address`. */
  failed(user: User, address: string): void {
    this.entries.push({ action: SIGN_IN_FAILED, user, details: { address, reason: "wrong password" } });
    this.schedule();
  }

  /** A lock that a failure just started, on a real account (or from an address, naming one). */
  locked(user: User | null, address: string, lock: SignInLock): void {
    if (this.ctx.config.log !== "silent")
      console.log(`sign-in: ${lock.scope === "address" ? `address ${address}` : `username ${user?.username ?? "(unknown)"}`} locked until ${new Date(lock.until).toISOString()}`);
    if (!user) return;
    this.entries.push({ action: SIGN_IN_LOCKED, user, details: { address, scope: lock.scope, until: new Date(lock.until).toISOString() } });
    this.schedule();
  }

  /** An attempt on `user`'s account refused before its password was looked at. */
  refused(user: User, address: string, lock: SignInLock): void {
    let r = this.refusals.get(user.id);
    if (!r) this.refusals.set(user.id, (r = { user, attempts: 0, addresses: new Set(), lock }));
    r.attempts += 1;
    r.lock = lock;
    if (r.addresses.size < ADDRESSES_PER_EVENT) r.addresses.add(address);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Writes what is waiting, in one transaction. Called by the timer and when the server stops. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const entries = this.entries;
    for (const r of this.refusals.values())
      entries.push({
        action: SIGN_IN_REFUSED,
        user: r.user,
        details: {
          attempts: r.attempts,
          addresses: [...r.addresses],
          scope: r.lock.scope,
          until: new Date(r.lock.until).toISOString(),
          reason: r.lock.locked ? "locked" : "too many sign-ins in progress",
        },
      });
    this.entries = [];
    this.refusals = new Map();
    if (entries.length === 0 || !this.ctx.db.open) return;
    try {
      runCommand(this.ctx, (tx) => {
        for (const e of entries)
          tx.audit(auditActor(e.user), { meetingId: e.user.meetingId, action: e.action, targetType: "user", targetId: e.user.id, details: e.details });
      });
    } catch (error) {
      console.error("could not record failed sign-ins in the audit trail", error);
    }
  }
}

const audits = new WeakMap<AppContext, SignInAudit>();

/** The sign-in audit recorder of a server (one per context). */
export function signInAuditOf(ctx: AppContext): SignInAudit {
  let audit = audits.get(ctx);
  if (!audit) audits.set(ctx, (audit = new SignInAudit(ctx)));
  return audit;
}

import { appendAudit, auditActor } from "../audit/audit.js";
import { verifyPassword } from "../auth/passwords.js";
import { personForLogin, type User } from "../auth/users.js";
import type { AppContext } from "../context.js";
import { HttpError } from "../http/errors.js";

/** Wrong passwords allowed per user in a window before signing is refused for the rest of it. */
const LIMIT = 5;
const WINDOW_MS = 15 * 60_000;
/** Bounded: one entry per minister who mistyped recently, never more than this. */
const MAX_TRACKED = 10_000;

const failures = new WeakMap<AppContext, Map<string, { since: number; count: number }>>();

/**
 * Asks for the password again before a grave act (signing), as sign-in does: the limit is
 * checked before the password, so a locked user is refused whatever they type; a wrong
 * password answers 403 (the session stands: 401 would send the page to sign-in) and is
 * recorded in the audit trail.
 */
export async function confirmPassword(ctx: AppContext, user: User, password: string, act: string): Promise<void> {
  let map = failures.get(ctx);
  if (!map) failures.set(ctx, (map = new Map()));
  const now = Date.now();
  const entry = map.get(user.id);
  if (entry && now - entry.since < WINDOW_MS && entry.count >= LIMIT)
    throw new HttpError(429, `too many wrong passwords; ${act} is refused for ${Math.ceil((entry.since + WINDOW_MS - now) / 60_000)} more minutes`);
  const found = personForLogin(ctx.db, user.username);
  const ok = found !== null && found.person.id === user.id && found.passwordHash !== null && (await verifyPassword(password, found.passwordHash));
  if (ok) {
    map.delete(user.id);
    return;
  }
  if (!entry || now - entry.since >= WINDOW_MS) {
    if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value!);
    map.set(user.id, { since: now, count: 1 });
  } else entry.count += 1;
  ctx.db.transaction(() =>
    appendAudit(ctx.db, auditActor(user), { meetingId: user.meetingId, action: "reauth.refused", targetType: "user", targetId: user.id, details: { act } }),
  )();
  throw new HttpError(403, `wrong password: ${act} needs your own password again`, undefined, "password.wrong");
}

import { newId } from "../../schema/ids.js";
import { SYSTEM } from "../audit/audit.js";
import { hashPassword } from "../auth/passwords.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { checkNewPassword, hasLiveSetupLink, issueSetupLink, setupPath } from "./setup-links.js";

/** The username of the first administrator. */
const FIRST_ADMIN = "admin";

/**
 * Makes sure the server has an administrator who can sign in. On a database without one,
 * creates `admin` with `password` when given; otherwise (or while `admin` has not chosen a
 * password yet) issues a fresh one-time setup link and returns its path, for `npm start`
 * to print. Returns null when nothing needs printing. With `keepLiveLink` (a process of a
 * cluster that is not the first to start), a link still usable is kept, not replaced: the
 * first process printed it.
 */
export async function ensureAdministrator(ctx: AppContext, password: string | null, options: { keepLiveLink?: boolean } = {}): Promise<string | null> {
  const admin = ctx.db.prepare("SELECT id, password_hash FROM users WHERE is_admin = 1 ORDER BY created_at LIMIT 1").get() as
    | { id: string; password_hash: string | null }
    | undefined;
  if (admin?.password_hash) return null;
  if (password !== null) checkNewPassword(password);
  const hash = password !== null ? await hashPassword(password) : null;
  return runCommand(ctx, (tx) => {
    let id = admin?.id;
    if (!id) {
      const taken = tx.db.prepare("SELECT id FROM users WHERE username = ? COLLATE NOCASE").pluck().get(FIRST_ADMIN) as string | undefined;
      id = taken ?? newId("u");
      if (taken) tx.db.prepare("UPDATE users SET is_admin = 1 WHERE id = ?").run(id);
      else
        tx.db
          .prepare("INSERT INTO users (id, username, display_name, is_admin, password_hash, created_at) VALUES (?, ?, 'Administrator', 1, NULL, ?)")
          .run(id, FIRST_ADMIN, new Date().toISOString());
    }
    if (hash) {
      tx.db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(hash, id);
      return null;
    }
    if (options.keepLiveLink && hasLiveSetupLink(tx.db, id)) return null;
    return setupPath(issueSetupLink(tx, SYSTEM, id, null, "new_member"));
  });
}

/** Whether the server's first administrator has yet to choose a password. */
export function administratorWithoutPassword(ctx: AppContext): boolean {
  const hash = ctx.db.prepare("SELECT password_hash FROM users WHERE is_admin = 1 ORDER BY created_at LIMIT 1").pluck().get() as string | null | undefined;
  return hash === null;
}

import { createHash, randomBytes } from "node:crypto";
import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import type { Db } from "../store/db.js";
import { endSessions } from "../auth/end-sessions.js";
import { statement } from "../store/statements.js";
import { badRequest, coded, HttpError, notFound } from "../http/errors.js";
import { MIN_PASSWORD_LENGTH } from "../../schema/api/session.js";

/** How long a setup link stays valid. */
const SETUP_LINK_DAYS = 7;
/** The shortest password a person may choose. */
// Only a hash is stored: a copy of the database yields no usable link.
const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** The path of a setup link in the web app; the route adds the origin the caller used. */
export function setupPath(token: string): string {
  return `/setup/${token}`;
}

/**
 * Issues a one-time link with which a person chooses a password (or resets a forgotten
 * one): valid SETUP_LINK_DAYS days, single use. Earlier unused links of the same person
 * stop working. Audited when issued for a meeting, unless `recordedBy` says the caller's
 * own event records it (a new member's). Returns the secret token.
 */
export function issueSetupLink(
  tx: CommandTx,
  who: AuditActor,
  userId: string,
  meetingId: string | null,
  reason: "new_member" | "reset",
  recordedBy: "self" | "caller" = "self",
): string {
  const token = randomBytes(24).toString("base64url");
  const now = new Date();
  const expires = new Date(now.getTime() + SETUP_LINK_DAYS * 24 * 3600_000);
  statement(tx.db, "DELETE FROM setup_links WHERE user_id = ? AND used_at IS NULL").run(userId);
  statement(tx.db, "INSERT INTO setup_links (token_hash, user_id, meeting_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)").run(
    tokenHash(token),
    userId,
    meetingId,
    now.toISOString(),
    expires.toISOString(),
  );
  if (meetingId && recordedBy === "self")
    tx.audit(who, {
      meetingId,
      action: "member.setup_link_issued",
      targetType: "user",
      targetId: userId,
      details: { reason, expiresAt: expires.toISOString() },
    });
  return token;
}

/** A setup link as its holder sees it before choosing a password. */
export interface SetupLinkInfo {
  userId: string;
  username: string;
  displayName: string;
  meetingId: string | null;
  expiresAt: string;
}

/** The live link behind a token: 404 unknown, 410 used or expired. */
export function liveSetupLink(db: Db, token: string): SetupLinkInfo {
  const row = db
    .prepare(
      `SELECT l.user_id, l.meeting_id, l.expires_at, l.used_at, u.username, u.display_name
       FROM setup_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = ?`,
    )
    .get(tokenHash(token)) as
    | { user_id: string; meeting_id: string | null; expires_at: string; used_at: string | null; username: string; display_name: string }
    | undefined;
  if (!row) throw coded(notFound("setup link (it may have been replaced by a newer one)"), "setup_link.not_found");
  if (row.used_at) throw new HttpError(410, "this setup link has already been used; ask the secretariat for a new one", undefined, "setup_link.used");
  if (row.expires_at < new Date().toISOString())
    throw new HttpError(410, `this setup link expired after ${SETUP_LINK_DAYS} days; ask the secretariat for a new one`, undefined, "setup_link.expired", { days: SETUP_LINK_DAYS });
  return { userId: row.user_id, username: row.username, displayName: row.display_name, meetingId: row.meeting_id, expiresAt: row.expires_at };
}

/** Whether a person has a setup link that can still be used (not used, not expired). */
export function hasLiveSetupLink(db: Db, userId: string): boolean {
  return db.prepare("SELECT 1 FROM setup_links WHERE user_id = ? AND used_at IS NULL AND expires_at > ?").get(userId, new Date().toISOString()) !== undefined;
}

/** Refuses a password that is too short (400), before anything is hashed. */
export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw coded(badRequest(`the password is too short: choose at least ${MIN_PASSWORD_LENGTH} characters`), "password.too_short", { min: MIN_PASSWORD_LENGTH });
}

/**
 * Uses a setup link: stores the password's hash (computed by the caller, off the
 * transaction), spends the link and ends the person's other sessions. Checked again inside
 * the transaction, so two uses of one link cannot both succeed.
 */
export function useSetupLink(tx: CommandTx, token: string, passwordHash: string): SetupLinkInfo {
  const link = liveSetupLink(tx.db, token);
  const now = new Date().toISOString();
  tx.db.prepare("UPDATE setup_links SET used_at = ? WHERE token_hash = ?").run(now, tokenHash(token));
  tx.db.prepare("UPDATE users SET password_hash = ? WHERE id = ?").run(passwordHash, link.userId);
  // A new password ends every session opened with the old one.
  tx.afterCommit(() => endSessions(tx.ctx, link.userId, "signed out"));
  if (link.meetingId)
    tx.audit(
      { id: link.userId, username: link.username, role: null, delegation: null },
      { meetingId: link.meetingId, action: "member.password_set", targetType: "user", targetId: link.userId },
    );
  return link;
}

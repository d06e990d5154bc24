import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../store/db.js";
import { statement } from "../store/statements.js";
import { personById, type Person } from "./users.js";

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = "accord_session";

/** A session: the signed-in person and the CSRF token that must accompany their state changes. */
export interface Session {
  person: Person;
  csrfToken: string;
  /** The stored hash of the session's token: names the session without revealing it. */
  tokenHash: string;
  /** When the session ends by itself (ISO time). */
  expiresAt: string;
}

// Only a hash of the token is stored, so a copy of the database does not yield live sessions.
/** The hash under which a session token is stored. */
export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Starts a session; returns the secret cookie value and the CSRF token. */
export function createSession(db: Db, userId: string, hours: number): { token: string; csrfToken: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + hours * 3600_000);
  db.prepare("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)").run(
    tokenHash(token),
    userId,
    csrfToken,
    now.toISOString(),
    expiresAt.toISOString(),
  );
  return { token, csrfToken, expiresAt };
}

/** The live session behind a cookie value, or null (unknown or expired). */
export function sessionOf(db: Db, token: string | undefined): Session | null {
  if (!token) return null;
  const row = db
    .prepare("SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ?")
    .get(tokenHash(token)) as { user_id: string; csrf_token: string; expires_at: string } | undefined;
  if (!row || row.expires_at < new Date().toISOString()) return null;
  const person = personById(db, row.user_id);
  return person ? { person, csrfToken: row.csrf_token, tokenHash: tokenHash(token), expiresAt: row.expires_at } : null;
}

/** The user of the live session behind a cookie value, or null; one indexed read, for hot paths. */
export function sessionUserId(db: Db, token: string): string | null {
  const row = db.prepare("SELECT user_id, expires_at FROM sessions WHERE token_hash = ?").get(tokenHash(token)) as
    | { user_id: string; expires_at: string }
    | undefined;
  return row && row.expires_at >= new Date().toISOString() ? row.user_id : null;
}

/**
 * Which of the sessions stored under `hashes` exist and have not expired, in one statement
 * whatever their number: the open sockets' periodic re-read (session-sockets.ts).
 */
export function liveSessions(db: Db, hashes: Iterable<string>): Set<string> {
  const wanted = JSON.stringify([...new Set(hashes)]);
  if (wanted === "[]") return new Set();
  const rows = statement(db, "SELECT token_hash FROM sessions WHERE token_hash IN (SELECT value FROM json_each(?)) AND expires_at >= ?").all(
    wanted,
    new Date().toISOString(),
  ) as { token_hash: string }[];
  return new Set(rows.map((r) => r.token_hash));
}

/** Deletes the session stored under `hash` (null: every session of the user). */
export function deleteSessions(db: Db, userId: string, hash: string | null): void {
  if (hash === null) db.prepare("DELETE FROM sessions WHERE user_id = ?").run(userId);
  else db.prepare("DELETE FROM sessions WHERE token_hash = ? AND user_id = ?").run(hash, userId);
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

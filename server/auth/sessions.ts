import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../store/db.js";
import { userById, type User } from "./users.js";

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = "accord_session";

/** A session: the user and the CSRF token that must accompany their state changes. */
export interface Session {
  user: User;
  csrfToken: string;
}

// Only a hash of the token is stored, so a copy of the database does not yield live sessions.
const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

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
  const user = userById(db, row.user_id);
  return user ? { user, csrfToken: row.csrf_token } : null;
}

/** Ends a session. */
export function deleteSession(db: Db, token: string): void {
  db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(tokenHash(token));
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

import type { AppContext } from "../context.js";
import { ACCESS_CHANGED, sessionSocketsOf } from "../collab/session-sockets.js";
import { deleteSessions } from "./sessions.js";

/** Why sessions end: shown to the person whose editor is closed. */
export type SessionEndReason = "signed out" | "deactivated" | "role changed" | "membership changed";

/** What `endSessions` ends. */
export interface EndSessionsOptions {
  /** Only this session (its stored token hash, `Session.tokenHash`); by default every session of the user. */
  tokenHash?: string;
  /**
   * Keep the user signed in and only close their websockets, which reconnect at once with
   * the rights they have now (close code 4000). For a change of role or membership that
   * should not sign the person out; the sockets must still close, since a socket keeps the
   * rights it was opened with.
   */
  keepSignedIn?: boolean;
}

/**
 * Ends a user's sessions and closes their websockets at once, before it returns: call it
 * on sign-out (one session), when a member is deactivated, and when a member's role,
 * delegation or bodies change (`keepSignedIn` when they should stay signed in). A closed
 * socket takes no further message, so nothing sent on it after this call is stored. An
 * ended session's sockets are closed with code 4401, which the stock y-websocket client
 * takes as final; the HTTP API answers 401 from the next request. Sockets also close by
 * themselves when their session expires, and every open socket's session is re-read every
 * few seconds (all together), so a session deleted by other means ends its sockets soon
 * too. Returns how many sockets it closed.
 */
export function endSessions(ctx: AppContext, userId: string, reason: SessionEndReason, options: EndSessionsOptions = {}): number {
  const sockets = sessionSocketsOf(ctx);
  if (options.keepSignedIn) return sockets.close(userId, options.tokenHash ?? null, { ...ACCESS_CHANGED, reason: `${reason}; reconnecting` });
  deleteSessions(ctx.db, userId, options.tokenHash ?? null);
  return sockets.close(userId, options.tokenHash ?? null, { code: 4401, reason: `session ended (${reason}); sign in again` });
}

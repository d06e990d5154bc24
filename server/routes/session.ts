import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { verifyPassword } from "../auth/passwords.js";
import { createSession, deleteSession, readCookie, SESSION_COOKIE } from "../auth/sessions.js";
import { publicUser, userForLogin } from "../auth/users.js";
import { RateLimiter } from "../auth/ratelimit.js";
import { HttpError, unauthorized, forbidden } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { originAllowed, requireSession, sessionOfResponse } from "../http/auth.js";
import { appendAudit, auditActor } from "../audit/audit.js";

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(500) });

/** `/api/session`: sign in, who am I, sign out. */
export function sessionRoutes(ctx: AppContext): Router {
  const router = Router();
  // Ten wrong guesses per username per minute, then a pause: enough for a person, useless to a script.
  const failures = new RateLimiter(10, 60_000);

  router.post("/api/session", async (req, res) => {
    if (!originAllowed(ctx, req.headers.origin, req.headers.host)) throw forbidden("cross-origin request refused");
    const { username, password } = parse(Login, req.body);
    const key = username.toLowerCase();
    const found = userForLogin(ctx.db, username);
    const ok = found ? await verifyPassword(password, found.passwordHash) : false;
    if (!ok || !found) {
      if (!failures.take(key)) throw new HttpError(429, "too many failed sign-ins; wait a minute");
      throw unauthorized("wrong username or password");
    }
    const session = createSession(ctx.db, found.user.id, ctx.config.sessionHours);
    ctx.db.transaction(() =>
      appendAudit(ctx.db, auditActor(found.user), {
        meetingId: found.user.meetingId,
        action: "session.created",
        targetType: "user",
        targetId: found.user.id,
      }),
    )();
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: "lax",
      secure: ctx.config.secureCookies,
      path: "/",
      expires: session.expiresAt,
    });
    res.json({ user: publicUser(found.user), csrfToken: session.csrfToken });
  });

  router.get("/api/session", requireSession(ctx), (_req, res) => {
    const session = sessionOfResponse(res);
    res.json({ user: publicUser(session.user), csrfToken: session.csrfToken });
  });

  router.delete("/api/session", requireSession(ctx), (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) deleteSession(ctx.db, token);
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.status(204).end();
  });

  return router;
}

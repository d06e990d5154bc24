import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { AppContext } from "../context.js";
import { readCookie, sessionOf, SESSION_COOKIE, type Session } from "../auth/sessions.js";
import type { User } from "../auth/users.js";
import { forbidden, HttpError, unauthorized } from "./errors.js";
import { RateLimiter } from "../auth/ratelimit.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request's Origin (if any) is this server or an explicitly allowed origin. */
export function originAllowed(ctx: AppContext, origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // Non-browser clients send none; the session and CSRF token still apply.
  if (ctx.config.allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Requires a live session on every API route it guards, and on state-changing methods the
 * session's CSRF token in `X-CSRF-Token` and a same-origin request.
 */
export function requireSession(ctx: AppContext): RequestHandler {
  const requests = limiterFor(ctx);
  return (req: Request, res: Response, next: NextFunction) => {
    // Several routers guard overlapping paths (/api/documents…): check and count a request once.
    if (res.locals.session) return next();
    const session = sessionOf(ctx.db, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) throw unauthorized();
    if (!requests.take(session.user.id)) throw new HttpError(429, "too many requests; slow down for a minute");
    if (!SAFE_METHODS.has(req.method)) {
      if (!originAllowed(ctx, req.headers.origin, req.headers.host)) throw forbidden("cross-origin request refused");
      if (req.get("x-csrf-token") !== session.csrfToken) throw forbidden("missing or wrong X-CSRF-Token header");
    }
    res.locals.session = session;
    next();
  };
}

// One limiter per server, shared by every router that guards routes with requireSession.
const limiters = new WeakMap<AppContext, RateLimiter>();
function limiterFor(ctx: AppContext): RateLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) {
    limiter = new RateLimiter(ctx.config.requestsPerMinute, 60_000);
    limiters.set(ctx, limiter);
  }
  return limiter;
}

/** The session of a request that passed requireSession. */
export function sessionOfResponse(res: Response): Session {
  return res.locals.session as Session;
}

/** The signed-in user of a request that passed requireSession. */
export function userOf(res: Response): User {
  return sessionOfResponse(res).user;
}

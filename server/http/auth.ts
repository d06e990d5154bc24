import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { AppContext } from "../context.js";
import { readCookie, sessionOf, SESSION_COOKIE, type Session } from "../auth/sessions.js";
import type { User } from "../auth/users.js";
import { forbidden, HttpError, unauthorized } from "./errors.js";
import { RateLimiter } from "../auth/ratelimit.js";
import { requestOrigin } from "./proxy.js";
import { TARPIT_MS } from "./fair.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request's Origin (if any) is this server or an explicitly allowed origin.
 * Scheme, host and port are all compared: `http://host` may not act on `https://host`,
 * nor one port on another. The scheme is the connection's own or, from a trusted proxy
 * (`ACCORD_TRUST_PROXY`), its `X-Forwarded-Proto`.
 */
export function originAllowed(ctx: AppContext, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // Non-browser clients send none; the session and CSRF token still apply.
  let asked: string;
  try {
    asked = new URL(origin).origin;
  } catch {
    return false;
  }
  // Opaque origins (sandboxed frames, file: pages) serialise as "null" and match nothing.
  if (asked === "null") return false;
  if (ctx.config.allowedOrigins.some((allowed) => sameOrigin(allowed, asked))) return true;
  return asked === requestOrigin(req, ctx.config.trustProxy);
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === b;
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
    if (!requests.take(session.user.id)) {
      // Held back (see TARPIT_MS): a client that ignores the answer must not get to ask again at once.
      res.setHeader("Retry-After", "60");
      setTimeout(() => next(new HttpError(429, "too many requests; slow down for a minute")), TARPIT_MS).unref();
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      if (!originAllowed(ctx, req)) throw forbidden("cross-origin request refused");
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

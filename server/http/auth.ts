import type { IncomingMessage } from "node:http";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { AppContext } from "../context.js";
import { readCookie, sessionOf, SESSION_COOKIE, type Session } from "../auth/sessions.js";
import { currentMeetingOf, memberIn, type Person, type User } from "../auth/users.js";
import { ownerOfPath } from "../auth/owners.js";
import type { Principal } from "../auth/policy.js";
import { forbidden, HttpError, notFound, unauthorized, coded } from "./errors.js";
import { requestOrigin } from "./proxy.js";
import { TARPIT_MS } from "./fair.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The API routes anyone may call without a session: signing in and using a setup link. */
const PUBLIC_ROUTES: ReadonlyArray<{ method: string; path: RegExp }> = [
  { method: "POST", path: /^\/api\/session$/ },
  { method: "GET", path: /^\/api\/setup\/[^/]+$/ },
  { method: "POST", path: /^\/api\/setup\/[^/]+$/ },
];

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
 * The one gate of the API, mounted before every router: every `/api` route needs a live
 * session except the few in PUBLIC_ROUTES; a state-changing call also needs the session's
 * CSRF token in `X-CSRF-Token` and a same-origin request. Which meeting owns the thing the
 * path names is found here too, so that `userOf` gives the caller's membership in it.
 */
export function authenticate(ctx: AppContext): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const path = req.baseUrl + req.path;
    if (!path.startsWith("/api/") || res.locals.session) return next();
    if (PUBLIC_ROUTES.some((r) => r.method === req.method && r.path.test(path))) return next();
    const session = sessionOf(ctx.db, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!session) throw unauthorized();
    // A request another process forwarded (signed: server/cluster/forward.ts) was counted there.
    if (res.locals.forwardedBy === undefined && !(await ctx.limits.requests.take(session.person.id))) {
      // Held back (see TARPIT_MS): a client that ignores the answer must not get to ask again at once.
      res.setHeader("Retry-After", "60");
      setTimeout(() => next(new HttpError(429, "too many requests; slow down for a minute")), TARPIT_MS).unref();
      return;
    }
    if (!SAFE_METHODS.has(req.method)) {
      if (!originAllowed(ctx, req)) throw coded(forbidden("cross-origin request refused"), "request.cross_origin");
      if (req.get("x-csrf-token") !== session.csrfToken) throw coded(forbidden("missing or wrong X-CSRF-Token header"), "session.csrf");
    }
    res.locals.session = session;
    res.locals.owner = ownerOfPath(ctx.db, path);
    res.locals.db = ctx.db;
    next();
  };
}

/**
 * Kept for routers that guard their own paths: the gate in `authenticate` has already run
 * for every `/api` route, so this only makes sure of it.
 */
export function requireSession(ctx: AppContext): RequestHandler {
  return authenticate(ctx);
}

/** The session of a request that passed the gate. */
export function sessionOfResponse(res: Response): Session {
  return res.locals.session as Session;
}

/** The signed-in person of a request that passed the gate. */
export function personOf(res: Response): Person {
  return sessionOfResponse(res).person;
}

/**
 * The caller as a member of the meeting that owns what the path names (the document of
 * `/api/documents/:id…`, the meeting of `/api/meetings/:id…`, …), or of their current
 * meeting when the path names nothing. 404 when they are not an active member of the
 * owning meeting, so that another meeting's ids are not even confirmed to exist; 403 when
 * they are a member of no meeting at all.
 */
export function userOf(res: Response): User {
  if (res.locals.member) return res.locals.member as User;
  const member = memberOfOwner(res);
  if (member) return (res.locals.member = member);
  const owner = res.locals.owner as { noun: string } | null;
  if (owner) throw notFound(owner.noun);
  throw coded(forbidden("you are not a member of any meeting"), "meeting.not_member");
}

/** The caller's administrator flag and their membership in the meeting the path names (or their current one). */
export function principalOf(res: Response): Principal {
  return { isAdmin: personOf(res).isAdmin, member: memberOfOwner(res) };
}

function memberOfOwner(res: Response): User | null {
  const person = personOf(res);
  const owner = res.locals.owner as { meetingId: string | null } | null;
  const meetingId = owner ? owner.meetingId : currentMeetingOf(person);
  return meetingId ? memberIn(res.locals.db, person, meetingId) : null;
}

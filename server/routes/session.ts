import { Router, type Request, type Response } from "express";
import { SIGNED_IN_COOKIE, type Preferences, type SessionAnswer } from "../../schema/api/session.js";
import { PreferencesChange, SignIn } from "../../schema/api/requests/session.js";
import type { AppContext } from "../context.js";
import { dummyPasswordHash, verifyPassword } from "../auth/passwords.js";
import { createSession, readCookie, SESSION_COOKIE } from "../auth/sessions.js";
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS, deviceCookiesOf } from "../auth/device-cookies.js";
import { currentMeetingOf, memberIn, personForLogin, publicUser, setInterfaceLanguage } from "../auth/users.js";
import { addressKey, type SignInLock } from "../auth/signin-limits.js";
import { signInAuditOf } from "../auth/signin-audit.js";
import { endSessions } from "../auth/end-sessions.js";
import { HttpError, unauthorized, forbidden, coded } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { originAllowed, requireSession, sessionOfResponse } from "../http/auth.js";
import { clientAddress, requestIsHttps } from "../http/proxy.js";
import { TARPIT_MS } from "../http/fair.js";
import { appendAudit, auditActor } from "../audit/audit.js";

/** Refuses a sign-in that a lock (or a full quota of attempts in progress) stops, with when to retry. */
function lockedOut(res: Response, lock: SignInLock): HttpError {
  const seconds = Math.max(1, Math.ceil((lock.until - Date.now()) / 1000));
  res.setHeader("Retry-After", String(seconds));
  const what = lock.scope === "address" ? "from this address" : "for this username";
  const message = lock.locked
    ? `too many failed sign-ins ${what}; sign-in is locked for ${seconds} s, whatever the password`
    : `too many sign-ins ${what} are being checked at once; try again in ${seconds} s`;
  return new HttpError(429, message, undefined, "session.locked");
}

/** The refusal, after TARPIT_MS: a sprayer that is refused must not get to ask again at once. */
function heldBack(error: HttpError): Promise<HttpError> {
  return new Promise((resolve) => setTimeout(() => resolve(error), TARPIT_MS).unref());
}

/** Whether the session cookie must be `Secure`: always over HTTPS, and when configured. */
function secureCookie(ctx: AppContext, req: Request): boolean {
  return ctx.config.secureCookies || requestIsHttps(req, ctx.config.trustProxy);
}

/** `/api/session`: sign in, who am I, sign out; `/api/me/preferences`: what the signed-in person chose for themselves. */
export function sessionRoutes(ctx: AppContext): Router {
  const router = Router();
  const audit = signInAuditOf(ctx);
  const devices = deviceCookiesOf(ctx);
  // Computed now, so that the first sign-in for an unknown username is not the slow one.
  void dummyPasswordHash();

  router.post("/api/session", async (req, res) => {
    if (!originAllowed(ctx, req)) throw forbidden("cross-origin request refused");
    const { username, password } = parse(SignIn, req.body);
    const address = addressKey(clientAddress(req, ctx.config.trustProxy));
    const found = personForLogin(ctx.db, username);
    // Sign-in is recorded in the trail of the person's current meeting (an administrator of
    // no meeting signs in outside every meeting's chain).
    const currentMeeting = found ? currentMeetingOf(found.person) : null;
    const member = found && currentMeeting ? memberIn(ctx.db, found.person, currentMeeting) : null;
    const device = found ? devices.deviceOf(readCookie(req.headers.cookie, DEVICE_COOKIE), found.person.id) : null;
    // The limits come before the password: a locked username or address is refused
    // whatever is sent, and no scrypt run is spent on it.
    const target = found ? (device ? { accountId: found.person.id, device } : { accountId: found.person.id }) : { unknownUsername: username };
    const admitted = await ctx.limits.signIns.begin(target, address);
    if ("refused" in admitted) {
      if (member) audit.refused(member, address, admitted.refused);
      throw await heldBack(lockedOut(res, admitted.refused));
    }
    let ok = false;
    try {
      // An unknown username, or one whose person has not chosen a password yet, costs the same scrypt run as a known one.
      ok = await verifyPassword(password, found?.passwordHash ?? (await dummyPasswordHash()), device !== null);
      if (!found?.passwordHash) ok = false;
    } finally {
      if (!ok || !found) {
        const lock = await admitted.attempt.failed();
        if (member) audit.failed(member, address);
        if (lock) audit.locked(member, address, lock);
      }
    }
    if (!ok || !found) throw coded(unauthorized("wrong username or password"), "session.wrong_password");
    await admitted.attempt.succeeded();
    if (!member && !found.person.isAdmin) throw coded(forbidden("this account is not an active member of any meeting; ask the secretariat"), "session.no_meeting");
    const session = createSession(ctx.db, found.person.id, ctx.config.sessionHours);
    if (member)
      ctx.db.transaction(() =>
        appendAudit(ctx.db, auditActor(member), {
          meetingId: member.meetingId,
          action: "session.created",
          targetType: "user",
          targetId: member.id,
          details: { address },
        }),
      )();
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: "lax",
      secure: secureCookie(ctx, req),
      path: "/",
      expires: session.expiresAt,
    });
    res.cookie(SIGNED_IN_COOKIE, "1", { sameSite: "lax", secure: secureCookie(ctx, req), path: "/", expires: session.expiresAt });
    res.cookie(DEVICE_COOKIE, device ? readCookie(req.headers.cookie, DEVICE_COOKIE) : devices.issue(found.person.id), {
      httpOnly: true,
      sameSite: "strict",
      secure: secureCookie(ctx, req),
      path: "/api/session",
      maxAge: DEVICE_COOKIE_DAYS * 86_400_000,
    });
    const answer: SessionAnswer = { user: publicUser(ctx.db, found.person, member), csrfToken: session.csrfToken };
    res.json(answer);
  });

  router.get("/api/session", requireSession(ctx), (_req, res) => {
    const session = sessionOfResponse(res);
    const answer: SessionAnswer = { user: publicUser(ctx.db, session.person), csrfToken: session.csrfToken };
    res.json(answer);
  });

  router.delete("/api/session", requireSession(ctx), (req, res) => {
    const session = sessionOfResponse(res);
    // The session's websockets close before the answer: nothing sent on them later is stored.
    endSessions(ctx, session.person.id, "signed out", { tokenHash: session.tokenHash });
    res.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "lax", secure: secureCookie(ctx, req) });
    res.clearCookie(SIGNED_IN_COOKIE, { path: "/", sameSite: "lax", secure: secureCookie(ctx, req) });
    res.status(204).end();
  });

  router.get("/api/me/preferences", requireSession(ctx), (_req, res) => {
    const answer: Preferences = { language: sessionOfResponse(res).person.interfaceLanguage };
    res.json(answer);
  });

  router.put("/api/me/preferences", requireSession(ctx), (req, res) => {
    const { language } = parse(PreferencesChange, req.body);
    setInterfaceLanguage(ctx.db, sessionOfResponse(res).person.id, language);
    const answer: Preferences = { language };
    res.json(answer);
  });

  return router;
}

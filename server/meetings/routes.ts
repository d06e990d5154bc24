import express, { Router, type Request, type Response } from "express";
import { z } from "zod";
import { MEETING_LANGUAGES } from "../../schema/delegations.js";
import { BODY_KINDS, DOCUMENT_KINDS } from "../../schema/roles.js";
import type { AppContext } from "../context.js";
import type { AuditActor } from "../audit/audit.js";
import { runCommand } from "../commands/command.js";
import { authoriseMeeting, type MeetingAct } from "../auth/policy.js";
import { hashPassword } from "../auth/passwords.js";
import { createSession, SESSION_COOKIE } from "../auth/sessions.js";
import { personById, publicUser } from "../auth/users.js";
import { originAllowed, personOf, principalOf } from "../http/auth.js";
import { badRequest, forbidden, HttpError } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { createMeeting, meetingRow, updateMeeting } from "./meetings.js";
import { addMember, changeMember, listMembers, resetPassword } from "./members.js";
import { importMembers } from "./import.js";
import { checkNewPassword, liveSetupLink, setupPath, useSetupLink } from "./setup-links.js";
import { createBody } from "./bodies.js";
import { createMeetingDocument } from "./new-document.js";
import { SIGNED_IN_COOKIE, type SessionAnswer, type SetupLinkAnswer } from "../../schema/api/session.js";
import type { MemberAdded, MembersImported, SetupLinkIssued } from "../../schema/api/meetings.js";

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");
const CODE = z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9]{2,12}$/, "a delegation code such as ARG or EU"));

const MeetingFields = z.object({
  title: z.string().trim().min(1).max(300),
  seriesSymbol: z.string().trim().min(1).max(100),
  venue: z.string().trim().max(200).default(""),
  startsOn: DAY.nullable().default(null),
  endsOn: DAY.nullable().default(null),
  languages: z.array(z.enum(MEETING_LANGUAGES)).min(1, "a meeting works in at least one language").max(MEETING_LANGUAGES.length),
  delegations: z.array(CODE).max(400).default([]),
});
const MeetingPatch = z
  .object({
    title: z.string().trim().min(1).max(300),
    seriesSymbol: z.string().trim().min(1).max(100),
    venue: z.string().trim().max(200),
    startsOn: DAY.nullable(),
    endsOn: DAY.nullable(),
    languages: MeetingFields.shape.languages,
    delegations: z.array(CODE).max(400),
  })
  .partial()
  .strict();

const NewMember = z.object({
  username: z.string().max(100),
  displayName: z.string().max(300),
  role: z.string().max(50),
  delegation: z.string().max(20).nullable().optional(),
  email: z.string().max(300).nullable().optional(),
  languages: z.array(z.string().max(5)).max(10).optional(),
});
const MemberPatch = z
  .object({
    role: z.string().max(50).optional(),
    delegation: z.string().max(20).nullable().optional(),
    active: z.boolean().optional(),
    languages: z.array(z.string().max(5)).max(10).optional(),
    resetPassword: z.literal(true).optional(),
  })
  .strict();

const NewBody = z.object({
  kind: z.enum(BODY_KINDS),
  name: z.string().trim().min(1).max(300),
  shortName: z.string().trim().min(1).max(60),
  chairs: z.array(z.string().max(100)).max(20).default([]),
});

const NewDocument = z.object({
  bodyId: z.string().min(1).max(64),
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string().trim().min(1).max(500),
  symbol: z.string().trim().min(1).max(100).optional(),
  language: z.string().min(2).max(5).optional(),
  content: z.unknown().optional(),
});

const SetPassword = z.object({ password: z.string().max(500) });

/** The caller as recorded in the audit chain: their membership here, or the administrator. */
function actorOf(res: Response): AuditActor & { isAdmin: boolean } {
  const { isAdmin, member } = principalOf(res);
  const person = personOf(res);
  return { id: person.id, username: person.username, role: member?.role ?? (isAdmin ? "admin" : null), delegation: member?.delegation ?? null, isAdmin };
}

/** Checks the policy for the meeting the path names; 404 when the caller may not even see it. */
function allowed(ctx: AppContext, res: Response, meetingId: string, act: MeetingAct): void {
  const principal = principalOf(res);
  if (!principal.isAdmin && !principal.member) throw new HttpError(404, "meeting not found");
  meetingRow(ctx.db, meetingId);
  authoriseMeeting(principal, act);
}

/** The absolute setup URL for a token, on the origin the caller used. */
function setupUrl(req: Request, token: string | null): string | null {
  return token ? `${req.protocol}://${req.get("host")}${setupPath(token)}` : null;
}

/**
 * Setting up meetings: the administrator creates meetings and appoints their secretariat;
 * the secretariat edits the meeting, adds and imports members, changes and deactivates
 * them, hands out setup links, creates bodies and documents. Anyone holding a setup link
 * chooses a password with it.
 */
export function meetingSetupRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post("/api/meetings", (req, res) => {
    authoriseMeeting(principalOf(res), "meeting.create");
    const fields = parse(MeetingFields, req.body);
    const meeting = runCommand(ctx, (tx) => createMeeting(tx, actorOf(res), fields));
    res.status(201).json(meeting);
  });

  router.patch("/api/meetings/:id", (req, res) => {
    allowed(ctx, res, req.params.id, "meeting.edit");
    const fields = parse(MeetingPatch, req.body);
    res.json(runCommand(ctx, (tx) => updateMeeting(tx, actorOf(res), req.params.id, fields)));
  });

  router.get("/api/meetings/:id/members", (req, res) => {
    allowed(ctx, res, req.params.id, "members.read");
    res.json(listMembers(ctx.db, req.params.id));
  });

  router.post("/api/meetings/:id/members", (req, res) => {
    allowed(ctx, res, req.params.id, "members.add");
    const input = parse(NewMember, req.body);
    const added = runCommand(ctx, (tx) => addMember(tx, actorOf(res), req.params.id, input));
    const answer: MemberAdded = { member: added.member, setupUrl: setupUrl(req, added.token) };
    res.status(201).json(answer);
  });

  router.post(
    "/api/meetings/:id/members/import",
    express.text({ type: ["text/csv", "text/plain", "application/csv"], limit: "8mb" }),
    (req, res) => {
      allowed(ctx, res, req.params.id, "members.manage");
      if (typeof req.body !== "string")
        throw new HttpError(415, "send the member list as text/csv with the header username,displayName,role,delegation,email");
      const result = runCommand(ctx, (tx) => importMembers(tx, actorOf(res), req.params.id, req.body as string));
      if (result.errors.length) {
        const count = result.errors.length;
        const refused: MembersImported & { error: string; reasons: string[] } = {
          error: `${count} line${count === 1 ? " is" : "s are"} wrong; nobody was added`,
          reasons: result.errors.slice(0, 100).map((e) => `line ${e.line}: ${e.error}`),
          created: [],
          errors: result.errors,
        };
        res.status(400).json(refused);
        return;
      }
      const imported: MembersImported = { created: result.created.map((c) => ({ member: c.member, setupUrl: setupUrl(req, c.token) })), errors: [] };
      res.status(201).json(imported);
    },
  );

  router.patch("/api/meetings/:id/members/:userId", (req, res) => {
    allowed(ctx, res, req.params.id, "members.manage");
    const { resetPassword: reset, ...change } = parse(MemberPatch, req.body);
    if (reset && Object.keys(change).length > 0) throw badRequest("reset a password on its own, not with other changes");
    if (!reset && Object.keys(change).length === 0) throw badRequest("nothing to change: give role, delegation, active or resetPassword");
    if (reset) {
      const token = runCommand(ctx, (tx) => resetPassword(tx, actorOf(res), req.params.id, req.params.userId));
      const issued: SetupLinkIssued = { setupUrl: setupUrl(req, token) };
      res.json(issued);
      return;
    }
    res.json(runCommand(ctx, (tx) => changeMember(tx, actorOf(res), req.params.id, req.params.userId, change)));
  });

  router.post("/api/meetings/:id/bodies", (req, res) => {
    allowed(ctx, res, req.params.id, "bodies.create");
    const input = parse(NewBody, req.body);
    res.status(201).json(runCommand(ctx, (tx) => createBody(tx, actorOf(res), req.params.id, input)));
  });

  router.post("/api/meetings/:id/documents", (req, res) => {
    allowed(ctx, res, req.params.id, "documents.create");
    const input = parse(NewDocument, req.body);
    res.status(201).json(runCommand(ctx, (tx) => createMeetingDocument(tx, actorOf(res), req.params.id, input)));
  });

  router.get("/api/setup/:token", (req, res) => {
    const link = liveSetupLink(ctx.db, req.params.token);
    const answer: SetupLinkAnswer = { username: link.username, displayName: link.displayName, expiresAt: link.expiresAt };
    res.json(answer);
  });

  router.post("/api/setup/:token", async (req, res) => {
    if (!originAllowed(ctx, req)) throw forbidden("cross-origin request refused");
    const { password } = parse(SetPassword, req.body);
    liveSetupLink(ctx.db, req.params.token);
    checkNewPassword(password);
    const hash = await hashPassword(password);
    const link = runCommand(ctx, (tx) => useSetupLink(tx, req.params.token, hash));
    const session = createSession(ctx.db, link.userId, ctx.config.sessionHours);
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: "lax",
      secure: ctx.config.secureCookies,
      path: "/",
      expires: session.expiresAt,
    });
    res.cookie(SIGNED_IN_COOKIE, "1", { sameSite: "lax", secure: ctx.config.secureCookies, path: "/", expires: session.expiresAt });
    const answer: SessionAnswer = { user: publicUser(ctx.db, personById(ctx.db, link.userId)!), csrfToken: session.csrfToken };
    res.json(answer);
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import type { BodyInfo, DelegationInfo } from "../../schema/api/meetings.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import type { BodyKind } from "../../schema/roles.js";
import type { AppContext } from "../context.js";
import type { Response } from "express";
import { personOf, principalOf, requireSession, userOf } from "../http/auth.js";
import { meetingDenial } from "../auth/policy.js";
import { meetingInfo, meetingRow, meetingsOf, type MeetingRow } from "../meetings/meetings.js";
import { notFound } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { documentInfo, type DocumentRow } from "../documents/documents.js";
import { listAudit } from "../audit/audit.js";
import type { User } from "../auth/users.js";

/** The meeting with `id` if `user` is a member of it; 404 otherwise. */
export function meetingForUser(ctx: AppContext, user: User, id: string): MeetingRow {
  const row = ctx.db.prepare("SELECT * FROM meetings WHERE id = ?").get(id) as MeetingRow | undefined;
  if (!row || row.id !== user.meetingId) throw notFound("meeting");
  return row;
}

/** The meeting a request names, for reading its settings: its members and the administrator. 404 for anyone else. */
function readableMeeting(ctx: AppContext, res: Response, id: string): MeetingRow {
  if (meetingDenial(principalOf(res), "meeting.read")) throw notFound("meeting");
  return meetingRow(ctx.db, id);
}

const AuditQuery = z.object({
  documentId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  username: z.string().max(100).optional(),
  after: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().min(1).optional(),
  targetId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** `/api/meetings…`: the user's meeting, its delegations, bodies, documents and audit trail. */
export function meetingRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/meetings", requireSession(ctx));

  router.get("/api/meetings", (_req, res) => {
    res.json(meetingsOf(ctx.db, personOf(res)));
  });

  router.get("/api/meetings/:id", (req, res) => {
    res.json(meetingInfo(readableMeeting(ctx, res, req.params.id)));
  });

  router.get("/api/meetings/:id/delegations", (req, res) => {
    const meeting = readableMeeting(ctx, res, req.params.id);
    const rows = ctx.db
      .prepare("SELECT code, name, name_es, is_member FROM delegations WHERE meeting_id = ? ORDER BY name")
      .all(meeting.id) as Array<{ code: string; name: string; name_es: string; is_member: number }>;
    const answer: DelegationInfo[] = rows.map((r) => ({ code: r.code, name: r.name, nameEs: r.name_es, member: r.is_member === 1 }));
    res.json(answer);
  });

  router.get("/api/meetings/:id/bodies", (req, res) => {
    const meeting = readableMeeting(ctx, res, req.params.id);
    const rows = ctx.db
      .prepare("SELECT id, kind, name, short_name FROM bodies WHERE meeting_id = ? ORDER BY position")
      .all(meeting.id) as Array<{ id: string; kind: BodyKind; name: string; short_name: string }>;
    const chairs = ctx.db.prepare(
      "SELECT u.username, u.display_name FROM body_chairs c JOIN users u ON u.id = c.user_id WHERE c.body_id = ? ORDER BY u.username",
    );
    const answer: BodyInfo[] = rows.map((r) => ({
        id: r.id,
        meetingId: meeting.id,
        kind: r.kind,
        name: r.name,
        shortName: r.short_name,
        chairs: (chairs.all(r.id) as Array<{ username: string; display_name: string }>).map((c) => ({
          username: c.username,
          displayName: c.display_name,
        })),
      }));
    res.json(answer);
  });

  router.get("/api/meetings/:id/documents", (req, res) => {
    const meeting = readableMeeting(ctx, res, req.params.id);
    const rows = ctx.db
      .prepare(
        // Language versions are listed by their original (GET /api/documents/:id/languages).
        `SELECT d.* FROM documents d JOIN bodies b ON b.id = d.body_id
         WHERE d.meeting_id = ? AND d.original_id IS NULL ORDER BY b.position, d.created_at`,
      )
      .all(meeting.id) as DocumentRow[];
    const answer: DocumentSummary[] = rows.map(documentInfo);
    res.json(answer);
  });

  router.get("/api/meetings/:id/audit", (req, res) => {
    const user = userOf(res);
    const meeting = meetingForUser(ctx, user, req.params.id);
    const q = parse(AuditQuery, req.query);
    // Who signed in when, from where, and who mistyped a password is the secretariat's to see.
    const hideActionPrefix = user.role === "secretariat" ? undefined : "session.";
    const events = listAudit(ctx.db, { meetingId: meeting.id, ...q, hideActionPrefix });
    res.json(events);
  });

  return router;
}

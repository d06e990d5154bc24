import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { requireSession, userOf } from "../http/auth.js";
import { notFound } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { documentInfo, type DocumentRow } from "../documents/documents.js";
import { listAudit } from "../audit/audit.js";
import type { User } from "../auth/users.js";

interface MeetingRow {
  id: string;
  title: string;
  series_symbol: string;
  venue: string;
  starts_on: string | null;
  ends_on: string | null;
}

/** The meeting with `id` if it is the user's own; 404 otherwise. */
export function meetingForUser(ctx: AppContext, user: User, id: string): MeetingRow {
  const row = ctx.db.prepare("SELECT * FROM meetings WHERE id = ?").get(id) as MeetingRow | undefined;
  if (!row || row.id !== user.meetingId) throw notFound("meeting");
  return row;
}

const meetingInfo = (m: MeetingRow) => ({
  id: m.id,
  title: m.title,
  seriesSymbol: m.series_symbol,
  venue: m.venue,
  startsOn: m.starts_on,
  endsOn: m.ends_on,
});

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
    const user = userOf(res);
    const rows = ctx.db.prepare("SELECT * FROM meetings WHERE id = ?").all(user.meetingId) as MeetingRow[];
    res.json(rows.map(meetingInfo));
  });

  router.get("/api/meetings/:id", (req, res) => {
    res.json(meetingInfo(meetingForUser(ctx, userOf(res), req.params.id)));
  });

  router.get("/api/meetings/:id/delegations", (req, res) => {
    const meeting = meetingForUser(ctx, userOf(res), req.params.id);
    const rows = ctx.db
      .prepare("SELECT code, name, is_member FROM delegations WHERE meeting_id = ? ORDER BY name")
      .all(meeting.id) as Array<{ code: string; name: string; is_member: number }>;
    res.json(rows.map((r) => ({ code: r.code, name: r.name, member: r.is_member === 1 })));
  });

  router.get("/api/meetings/:id/bodies", (req, res) => {
    const meeting = meetingForUser(ctx, userOf(res), req.params.id);
    const rows = ctx.db
      .prepare("SELECT id, kind, name, short_name FROM bodies WHERE meeting_id = ? ORDER BY position")
      .all(meeting.id) as Array<{ id: string; kind: string; name: string; short_name: string }>;
    const chairs = ctx.db.prepare(
      "SELECT u.username, u.display_name FROM body_chairs c JOIN users u ON u.id = c.user_id WHERE c.body_id = ? ORDER BY u.username",
    );
    res.json(
      rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        shortName: r.short_name,
        chairs: (chairs.all(r.id) as Array<{ username: string; display_name: string }>).map((c) => ({
          username: c.username,
          displayName: c.display_name,
        })),
      })),
    );
  });

  router.get("/api/meetings/:id/documents", (req, res) => {
    const meeting = meetingForUser(ctx, userOf(res), req.params.id);
    const rows = ctx.db
      .prepare(
        `SELECT d.* FROM documents d JOIN bodies b ON b.id = d.body_id
         WHERE d.meeting_id = ? ORDER BY b.position, d.created_at`,
      )
      .all(meeting.id) as DocumentRow[];
    res.json(rows.map(documentInfo));
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

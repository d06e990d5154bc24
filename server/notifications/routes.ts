import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { requireSession, userOf } from "../http/auth.js";
import { notFound } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { inboxSummary, listNotifications, markRead, MAX_PAGE } from "./inbox.js";

const Page = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(30),
  unread: z.enum(["0", "1"]).optional(),
});
const Read = z.union([z.object({ ids: z.array(z.number().int().min(1)).min(1).max(MAX_PAGE) }), z.object({ all: z.literal(true) })]);

/**
 * The caller's own inbox in a meeting: a page of notifications, the unread counts, marking
 * read. There is no way to name another member's inbox: every route answers for the caller.
 */
export function notificationRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/meetings/:id/notifications", requireSession(ctx));

  /** The member the caller is in the meeting the path names (404 for a meeting they are not in). */
  const member = (res: Parameters<typeof userOf>[0], meetingId: string) => {
    const user = userOf(res);
    if (user.meetingId !== meetingId) throw notFound("meeting");
    return user;
  };

  router.get("/api/meetings/:id/notifications", (req, res) => {
    const user = member(res, req.params.id);
    const q = parse(Page, req.query);
    res.json(listNotifications(ctx, user.id, user.meetingId, { before: q.before, limit: q.limit, unread: q.unread === "1" }));
  });

  router.get("/api/meetings/:id/notifications/unread", (req, res) => {
    const user = member(res, req.params.id);
    res.json(inboxSummary(ctx, user.id, user.meetingId));
  });

  router.post("/api/meetings/:id/notifications/read", (req, res) => {
    const user = member(res, req.params.id);
    const body = parse(Read, req.body);
    const unread = runCommand(ctx, (tx) => markRead(tx, user.id, user.meetingId, "all" in body ? "all" : body.ids));
    res.json({ unread });
  });

  return router;
}

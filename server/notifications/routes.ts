import { Router } from "express";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { requireSession, sessionOfResponse, userOf } from "../http/auth.js";
import { notFound } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { inboxSummary, listNotifications, markRead } from "./inbox.js";
import { openInboxStream } from "./live.js";
import { InboxQuery, MarkRead } from "../../schema/api/requests/notifications.js";
import type { InboxUnread } from "../../schema/api/notifications.js";

/**
 * The caller's own inbox in a meeting: a page of notifications, the unread counts, marking
 * read, and its live events. There is no way to name another member's inbox: every route answers for the caller.
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
    const q = parse(InboxQuery, req.query);
    res.json(listNotifications(ctx, user.id, user.meetingId, { before: q.before, limit: q.limit, unread: q.unread === "1" }));
  });

  router.get("/api/meetings/:id/notifications/unread", (req, res) => {
    const user = member(res, req.params.id);
    res.json(inboxSummary(ctx, user.id, user.meetingId));
  });

  // Live: the inbox's events as server-sent events, on every page (see live.ts).
  router.get("/api/meetings/:id/notifications/live", (req, res) => {
    const user = member(res, req.params.id);
    openInboxStream(ctx, sessionOfResponse(res), user.meetingId, req, res);
  });

  router.post("/api/meetings/:id/notifications/read", (req, res) => {
    const user = member(res, req.params.id);
    const body = parse(MarkRead, req.body);
    const answer: InboxUnread = { unread: runCommand(ctx, (tx) => markRead(tx, user.id, user.meetingId, "all" in body ? "all" : body.ids)) };
    res.json(answer);
  });

  return router;
}

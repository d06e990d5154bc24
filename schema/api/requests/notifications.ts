/** What the server accepts to read and mark a member's inbox (docs/API.md, "Notifications"). */
import { z } from "zod";
import { INBOX_PAGE_MAX } from "../notifications.js";

/** `GET /api/meetings/:id/notifications` query: `limit` (default 30), `before` (an id), `unread=1`. */
export const InboxQuery = z.object({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(INBOX_PAGE_MAX).default(30),
  unread: z.enum(["0", "1"]).optional(),
});

/** `POST /api/meetings/:id/notifications/read`: some notifications by id, or all. */
export const MarkRead = z.union([z.object({ ids: z.array(z.number().int().min(1)).min(1).max(INBOX_PAGE_MAX) }), z.object({ all: z.literal(true) })]);
/** The body of `POST /api/meetings/:id/notifications/read`. */
export type MarkReadBody = z.infer<typeof MarkRead>;

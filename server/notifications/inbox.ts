import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentEvent } from "../events/events.js";
import type { InboxPage, InboxSummary, Notification, NotificationKind, NotificationLink, NotificationPanel } from "../../schema/api/notifications.js";
import { statement } from "../store/statements.js";
import type { EventOf } from "../../schema/api/events.js";

/** A notification to write. */
export interface NewNotification {
  kind: NotificationKind;
  meetingId: string;
  summary: string;
  details?: Record<string, unknown>;
  link: NotificationLink | null;
  actor: { username: string; delegation: string | null } | null;
  /** An unread notification of the recipient with this key is brought up to date instead. */
  coalesceKey?: string;
}

/** At most this many notifications are kept per member and meeting; the oldest go first. */
export const INBOX_RETENTION = 500;

interface NotificationRow {
  id: number;
  user_id: string;
  meeting_id: string;
  kind: NotificationKind;
  document_id: string | null;
  paragraph_id: string | null;
  panel: NotificationPanel | null;
  target_id: string | null;
  summary: string;
  details: string;
  actor_username: string | null;
  actor_delegation: string | null;
  times: number;
  created_at: string;
  read_at: string | null;
}

function notificationJson(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    meetingId: row.meeting_id,
    summary: row.summary,
    details: JSON.parse(row.details) as Record<string, unknown>,
    link: row.document_id ? { documentId: row.document_id, paragraphId: row.paragraph_id, panel: row.panel, targetId: row.target_id } : null,
    actor: row.actor_username ? { username: row.actor_username, delegation: row.actor_delegation } : null,
    times: row.times,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

/** How many unread notifications a member has in a meeting. */
export function unreadCount(ctx: Pick<AppContext, "db">, userId: string, meetingId: string): number {
  const row = statement(ctx.db, "SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND meeting_id = ? AND read_at IS NULL").get(userId, meetingId) as { n: number };
  return row.n;
}

/**
 * Puts a notification in each recipient's inbox, inside the command that caused it (so it
 * exists exactly when the act does), and tells each recipient's open connections after
 * the commit (`notification.added`). Keeps each inbox within INBOX_RETENTION.
 */
export function notify(tx: CommandTx, userIds: Iterable<string>, n: NewNotification): void {
  const now = new Date().toISOString();
  const details = JSON.stringify(n.details ?? {});
  const link = n.link ?? { documentId: null, paragraphId: null, panel: null, targetId: null };
  for (const userId of new Set(userIds)) {
    let id: number | null = null;
    if (n.coalesceKey) {
      const known = statement(tx.db, "SELECT id FROM notifications WHERE user_id = ? AND coalesce_key = ? AND read_at IS NULL").get(userId, n.coalesceKey) as { id: number } | undefined;
      if (known) {
        id = known.id;
        statement(
          tx.db,
          `UPDATE notifications SET summary = ?, details = ?, paragraph_id = ?, target_id = ?, actor_username = ?, actor_delegation = ?,
             times = times + 1, created_at = ? WHERE id = ?`,
        ).run(n.summary, details, link.paragraphId, link.targetId, n.actor?.username ?? null, n.actor?.delegation ?? null, now, id);
      }
    }
    if (id === null) {
      const inserted = statement(
        tx.db,
        `INSERT INTO notifications (user_id, meeting_id, kind, document_id, paragraph_id, panel, target_id, summary, details,
           actor_username, actor_delegation, coalesce_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      ).get(
        userId,
        n.meetingId,
        n.kind,
        link.documentId,
        link.paragraphId,
        link.panel,
        link.targetId,
        n.summary,
        details,
        n.actor?.username ?? null,
        n.actor?.delegation ?? null,
        n.coalesceKey ?? null,
        now,
      ) as { id: number };
      id = Number(inserted.id);
      statement(
        tx.db,
        `DELETE FROM notifications WHERE user_id = ? AND meeting_id = ? AND id <= (
           SELECT id FROM notifications WHERE user_id = ? AND meeting_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      ).run(userId, n.meetingId, userId, n.meetingId, INBOX_RETENTION);
    }
    const notificationId = id;
    tx.afterCommit(() => announceInbox(tx.ctx, userId, n.meetingId, "notification.added", notificationId));
  }
}

/** Tells a member's open connections (document sockets and live inbox streams) that their inbox changed: the notification (if any) and the unread count. */
function announceInbox(ctx: AppContext, userId: string, meetingId: string, type: EventOf<"notification">, id: number | null): void {
  if (!ctx.db.open) return;
  const row = id === null ? undefined : (statement(ctx.db, "SELECT * FROM notifications WHERE id = ?").get(id) as NotificationRow | undefined);
  const data = { meetingId, unread: unreadCount(ctx, userId, meetingId), ...(row ? { notification: notificationJson(row) } : {}) };
  const event = documentEvent(row?.document_id ?? "", type, data);
  // Its document sockets and, through the outlet this feature added (feature.ts), its live inbox streams, on every process.
  ctx.rooms.publishToUser(userId, meetingId, event);
}

/** A page of a member's notifications in a meeting, newest first, older than `before` when given. */
export function listNotifications(
  ctx: Pick<AppContext, "db">,
  userId: string,
  meetingId: string,
  q: { before?: number; limit: number; unread?: boolean },
): InboxPage {
  const rows = ctx.db
    .prepare(
      `SELECT * FROM notifications WHERE user_id = ? AND meeting_id = ? AND (? IS NULL OR id < ?) AND (? = 0 OR read_at IS NULL)
       ORDER BY id DESC LIMIT ?`,
    )
    .all(userId, meetingId, q.before ?? null, q.before ?? null, q.unread ? 1 : 0, q.limit + 1) as NotificationRow[];
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  return { notifications: page.map(notificationJson), unread: unreadCount(ctx, userId, meetingId), next: more ? page[page.length - 1]!.id : null };
}

/**
 * Marks a member's notifications in a meeting read: those in `ids` (others' ids and
 * unknown ids are ignored, never confirmed), or all of them. Returns the unread count left.
 */
export function markRead(tx: CommandTx, userId: string, meetingId: string, ids: readonly number[] | "all"): number {
  const now = new Date().toISOString();
  if (ids === "all") {
    statement(tx.db, "UPDATE notifications SET read_at = ? WHERE user_id = ? AND meeting_id = ? AND read_at IS NULL").run(now, userId, meetingId);
  } else {
    const update = statement(tx.db, "UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND meeting_id = ? AND read_at IS NULL");
    for (const id of ids) update.run(now, id, userId, meetingId);
  }
  // The member's other tabs bring their count down too.
  tx.afterCommit(() => announceInbox(tx.ctx, userId, meetingId, "notification.read", null));
  return unreadCount(tx.ctx, userId, meetingId);
}

/** Counts a member's unread notifications in a meeting. */
export function inboxSummary(ctx: Pick<AppContext, "db">, userId: string, meetingId: string): InboxSummary {
  const rows = statement(
    ctx.db,
    "SELECT document_id, kind, COUNT(*) AS n FROM notifications WHERE user_id = ? AND meeting_id = ? AND read_at IS NULL GROUP BY document_id, kind",
  ).all(userId, meetingId) as Array<{ document_id: string | null; kind: NotificationKind; n: number }>;
  const byDocument = new Map<string, number>();
  const byKind: InboxSummary["byKind"] = {};
  let unread = 0;
  for (const r of rows) {
    unread += r.n;
    byKind[r.kind] = (byKind[r.kind] ?? 0) + r.n;
    if (r.document_id) byDocument.set(r.document_id, (byDocument.get(r.document_id) ?? 0) + r.n);
  }
  return { unread, byDocument: [...byDocument].map(([documentId, n]) => ({ documentId, unread: n })), byKind };
}

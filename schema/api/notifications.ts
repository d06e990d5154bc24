/**
 * Each member's inbox as the API gives it (docs/API.md, "Notifications"), and the payload
 * of its live events.
 */

/** What a notification tells. */
export const NOTIFICATION_KINDS = [
  "amendment_decided",
  "bracket_resolved",
  "signature_pending",
  "source_changed",
  "change_declined",
  "mention",
] as const;
/** One of the notification kinds. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Largest page of `GET /api/meetings/:id/notifications`, and most ids marked read at once. */
export const INBOX_PAGE_MAX = 100;

/** The panel of the document page a notification opens. */
export type NotificationPanel = "amendments" | "brackets" | "lifecycle" | "consolidation" | "comments" | "notes";

/** Where a notification leads: a document, and in it a paragraph, a panel and the thing in it. */
export interface NotificationLink {
  documentId: string;
  paragraphId: string | null;
  panel: NotificationPanel | null;
  targetId: string | null;
}

/** A notification as the API shows it. */
export interface Notification {
  id: number;
  kind: NotificationKind;
  meetingId: string;
  /** One English sentence. */
  summary: string;
  /** The facts the sentence was made from (amendment number, decision, symbol…), for an interface to word. */
  details: Record<string, unknown>;
  link: NotificationLink | null;
  /** Who caused it, when a person did. */
  actor: { username: string; delegation: string | null } | null;
  /** How many acts it stands for (repeated source changes are counted, not repeated). */
  times: number;
  createdAt: string;
  readAt: string | null;
}

/** `GET /api/meetings/:id/notifications`: one page, newest first. */
export interface InboxPage {
  notifications: Notification[];
  unread: number;
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: number | null;
}

/** `GET /api/meetings/:id/notifications/unread`: the unread, in all, by document and by kind. */
export interface InboxSummary {
  unread: number;
  byDocument: Array<{ documentId: string; unread: number }>;
  byKind: Partial<Record<NotificationKind, number>>;
}

/** The payload of `notification.read` (and, with the notification, of `notification.added`). */
export interface InboxChange {
  meetingId: string;
  unread: number;
}

/** `POST /api/meetings/:id/notifications/read`: how many of the caller's notifications are still unread. */
export interface InboxUnread {
  unread: number;
}

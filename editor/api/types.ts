/**
 * Shapes of the API answers the editor core reads (docs/API.md). The panels' own shapes
 * (amendments, versions, signatures…) live with the panels.
 */
/** A bracket as `GET /api/documents/:id/brackets` lists it (fields the page draws). */
export interface BracketInfo {
  id: string;
  paragraphId?: string;
  group?: string | null;
  label?: string;
  holders: string[];
  /** Delegations or groups supporting the wording (absent on older servers). */
  supporters?: string[];
  /** "Option 1" for a labelled alternative of whole paragraphs. */
  optionLabel?: string | null;
  state?: "open" | "resolved" | "removed";
}

/** Agreement status of a paragraph (docs/ARCHITECTURE.md §1). */
export type { ParagraphStatus } from "../../schema/status.js";

/** `GET /api/documents/:id/brackets`, as far as the text view needs it. */
export interface BracketsAnswer {
  clean?: boolean;
  brackets: BracketInfo[];
}

/** Where a comment thread stands in the text (docs/API.md, "Comments and delegation notes"). */
export interface CommentAnchor {
  paragraphId: string;
  paragraphRef: string | null;
  status: "range" | "paragraph" | "range_deleted" | "paragraph_deleted";
  from: number | null;
  to: number | null;
  quote: string | null;
  text: string | null;
  start: string | null;
  end: string | null;
}

/** One comment or reply of a thread. */
export interface CommentEntry {
  id: string;
  author: { id: string; username: string; displayName: string; delegation: string | null };
  body: string | null;
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

/** A comment thread or a delegation note thread, as `GET /api/documents/:id/comments` lists it. */
export interface CommentThread {
  id: string;
  documentId: string;
  note: boolean;
  delegation: string | null;
  anchor: CommentAnchor;
  resolved: { by: string; at: string } | null;
  comments: CommentEntry[];
}

/** The kinds of notification (docs/API.md, "Notifications"). */
export type NotificationKind = "amendment_decided" | "bracket_resolved" | "signature_pending" | "source_changed" | "change_declined" | "mention";

/** One notification of the member's inbox. */
export interface Notification {
  id: number;
  kind: NotificationKind;
  meetingId: string;
  summary: string;
  details: Record<string, unknown>;
  link: { documentId: string; paragraphId: string | null; panel: string | null; targetId: string | null } | null;
  actor: { username: string; delegation: string | null } | null;
  times: number;
  createdAt: string;
  readAt: string | null;
}

/** `GET /api/meetings/:id/notifications`. */
export interface InboxPage {
  notifications: Notification[];
  unread: number;
  next: number | null;
}

/** `GET /api/meetings/:id/notifications/unread`. */
export interface InboxSummary {
  unread: number;
  byDocument: Array<{ documentId: string; unread: number }>;
  byKind: Partial<Record<NotificationKind, number>>;
}

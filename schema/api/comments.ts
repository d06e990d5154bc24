/**
 * Comments and delegation notes as the API gives them (docs/API.md, "Comments and
 * delegation notes"): threads anchored to a paragraph or a range of its words, and the
 * payload of their live events.
 */

/** Longest comment or note, in characters. */
export const COMMENT_MAX_LENGTH = 4000;

/**
 * Where a thread stands in the text now. A range is kept as two Yjs relative positions,
 * which follow the words through every edit; offsets are worked out from them each time.
 */
export interface CommentAnchor {
  paragraphId: string;
  /** How the paragraph was cited when the thread was opened (OP3). */
  paragraphRef: string | null;
  /**
   * `range`: the commented words stand at `from`–`to`; `paragraph`: the thread is on the
   * whole paragraph; `range_deleted`: the commented words were deleted, the thread falls
   * back to its paragraph; `paragraph_deleted`: the paragraph itself is gone.
   */
  status: "range" | "paragraph" | "range_deleted" | "paragraph_deleted";
  /** UTF-16 offsets of the range in the paragraph's text now (null unless `range`). */
  from: number | null;
  to: number | null;
  /** The words commented on, as they stood when the thread was opened. */
  quote: string | null;
  /** The words in the range now (null unless `range`). */
  text: string | null;
  /** The relative positions, base64, for editors to follow the range live (null on a paragraph). */
  start: string | null;
  end: string | null;
}

/** One comment or reply as the API shows it. */
export interface CommentEntry {
  id: string;
  author: { id: string; username: string; displayName: string; delegation: string | null };
  /** Null once deleted (the thread keeps its place while replies stand). */
  body: string | null;
  /** Usernames it mentions who may read it. */
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

/** A thread: its anchor, whether it is resolved, and its comments, oldest first. */
export interface CommentThread {
  id: string;
  documentId: string;
  /** True for a delegation note (seen by `delegation` only). */
  note: boolean;
  delegation: string | null;
  anchor: CommentAnchor;
  resolved: { by: string; at: string } | null;
  comments: CommentEntry[];
}

/** `GET /api/documents/:id/comments`. */
export interface CommentThreads {
  threads: CommentThread[];
}

/** The payload of `comment.added`, `comment.edited`, `comment.deleted`, `comment.resolved`, `comment.reopened`. */
export interface CommentEvent {
  /** The comment acted on (the thread's first for resolve, reopen and delete of the thread). */
  id: string;
  /** The thread it replies in; null for a thread's first comment. */
  threadId: string | null;
  note: boolean;
  anchor: CommentAnchor;
  /** The comment's words ("" when none, e.g. deleted). */
  body: string;
  /** Usernames this act mentions for the first time (they are notified). */
  newlyMentioned: string[];
  /** The thread as it now stands. */
  thread: CommentThread;
}

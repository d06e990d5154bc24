import type * as Y from "yjs";
import { chairsDocument } from "../../schema/roles.js";
import { newId } from "../../schema/ids.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser, type DocumentRow } from "../documents/documents.js";
import { documentParagraph } from "../documents/paragraphs.js";
import { documentEvent, type EventAudience } from "../events/events.js";
import { badRequest, conflict, forbidden, notFound, tooLarge } from "../http/errors.js";
import { statement } from "../store/statements.js";
import { decodePosition, offsetIn, paragraphElement, paragraphPlainText, resolveRange, withText } from "../documents/anchors.js";
import { COMMENT_MAX_LENGTH, type CommentAnchor, type CommentEntry, type CommentEvent, type CommentThread } from "../../schema/api/comments.js";
import type { NewThreadBody } from "../../schema/api/requests/comments.js";
import type { EventOf } from "../../schema/api/events.js";

/** Most comments and notes (replies included) one document may carry. */
export const MAX_PER_DOCUMENT = 5000;

interface CommentRow {
  id: string;
  document_id: string;
  delegation: string | null;
  thread_id: string | null;
  paragraph_id: string;
  paragraph_ref: string | null;
  anchor_start: Buffer | null;
  anchor_end: Buffer | null;
  quote: string | null;
  body: string;
  mentions: string;
  author_id: string;
  author_delegation: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  author_username: string;
  author_name: string;
  resolver: string | null;
}

const SELECT = `SELECT c.*, u.username AS author_username, u.display_name AS author_name, r.username AS resolver
  FROM comments c JOIN users u ON u.id = c.author_id LEFT JOIN users r ON r.id = c.resolved_by`;

// ---- who may do what -----------------------------------------------------------------

/**
 * Whether `user` may write comments: every member but observers, who read the comments
 * of the documents they can read and speak through recommendations.
 */
export function commentDenial(user: User): string | null {
  return user.role === "observer" ? "observers read comments; they do not write them" : null;
}

/** The roles that speak for a delegation, and so share its notes. */
const NOTE_KEEPERS: ReadonlySet<User["role"]> = new Set(["delegate", "minister", "observer"]);

/**
 * Whether `user` keeps notes with a delegation: its delegate, its minister, and an
 * observer delegation's own members. Never the secretariat, nor a chair or rapporteur
 * (who act for the meeting, not for the delegation they come from).
 */
export function noteDenial(user: User): string | null {
  if (!NOTE_KEEPERS.has(user.role)) return "only a delegation's delegates, ministers and observers keep its notes";
  return user.delegation ? null : "only members of a delegation keep delegation notes";
}

/** Whether `user` sees the notes of `delegation`. */
export function seesNotesOf(user: User, delegation: string): boolean {
  return noteDenial(user) === null && user.delegation === delegation;
}

/** The open connections that may receive a thread's live events: everyone for a comment, the delegation for a note. */
function audienceOf(delegation: string | null): EventAudience | undefined {
  return delegation === null ? undefined : (user) => seesNotesOf(user, delegation);
}

// ---- reading -----------------------------------------------------------------------

function entryJson(row: CommentRow): CommentEntry {
  const deleted = row.deleted_at !== null;
  return {
    id: row.id,
    author: { id: row.author_id, username: row.author_username, displayName: row.author_name, delegation: row.author_delegation },
    body: deleted ? null : row.body,
    mentions: deleted ? [] : (JSON.parse(row.mentions) as string[]),
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted,
  };
}

function threadJson(root: CommentRow, replies: CommentRow[], anchor: CommentAnchor): CommentThread {
  return {
    id: root.id,
    documentId: root.document_id,
    note: root.delegation !== null,
    delegation: root.delegation,
    anchor,
    resolved: root.resolved_at ? { by: root.resolver ?? "", at: root.resolved_at } : null,
    comments: [root, ...replies].map(entryJson),
  };
}

/** Where a thread's stored anchor stands in `ydoc` now. */
function anchorNow(ydoc: Y.Doc, root: CommentRow): CommentAnchor {
  const base = {
    paragraphId: root.paragraph_id,
    paragraphRef: root.paragraph_ref,
    quote: root.quote,
    start: root.anchor_start ? Buffer.from(root.anchor_start).toString("base64") : null,
    end: root.anchor_end ? Buffer.from(root.anchor_end).toString("base64") : null,
  };
  const element = paragraphElement(ydoc, root.paragraph_id);
  if (!element) return { ...base, status: "paragraph_deleted", from: null, to: null, text: null };
  if (!root.anchor_start || !root.anchor_end) return { ...base, status: "paragraph", from: null, to: null, text: null };
  const start = decodePosition(new Uint8Array(root.anchor_start));
  const end = decodePosition(new Uint8Array(root.anchor_end));
  const range = start && end ? resolveRange(ydoc, element, start, end) : null;
  if (!range) return { ...base, status: "range_deleted", from: null, to: null, text: null };
  return { ...base, status: "range", ...range };
}

/**
 * Checks a range a client sends (two encoded relative positions, base64) against the text
 * as the server has it: both ends inside the paragraph, start before end. Returns the
 * positions to store and the words quoted.
 */
function checkRange(ydoc: Y.Doc, paragraphId: string, range: { start: string; end: string }): { start: Buffer; end: Buffer; quote: string } {
  const element = paragraphElement(ydoc, paragraphId);
  if (!element) throw badRequest("paragraphId: no such paragraph in this document");
  const [start, end] = [Buffer.from(range.start, "base64"), Buffer.from(range.end, "base64")];
  const [startPosition, endPosition] = [decodePosition(start), decodePosition(end)];
  if (!startPosition || !endPosition) throw badRequest("range: not an encoded Yjs relative position");
  const from = offsetIn(ydoc, element, startPosition);
  const to = offsetIn(ydoc, element, endPosition);
  if (from === null || to === null)
    throw badRequest("range: it does not point into this paragraph's text as the server has it (if you just typed it, try again in a moment)");
  if (from >= to) throw badRequest("range: select at least one character");
  return { start, end, quote: paragraphPlainText(element).slice(from, to) };
}

/**
 * Every thread of a document `user` may read: its comments and their own delegation's
 * notes, in document order of creation. A thread whose every comment was deleted is left out.
 */
export function listThreads(ctx: AppContext, user: User, documentId: string): CommentThread[] {
  const doc = documentForUser(ctx, user, documentId);
  const mine = noteDenial(user) === null ? user.delegation : null;
  const rows = ctx.db
    .prepare(`${SELECT} WHERE c.document_id = ? AND (c.delegation IS NULL OR c.delegation = ?) ORDER BY c.created_at, c.rowid`)
    .all(doc.id, mine) as CommentRow[];
  const replies = new Map<string, CommentRow[]>();
  for (const r of rows) if (r.thread_id) (replies.get(r.thread_id) ?? replies.set(r.thread_id, []).get(r.thread_id)!).push(r);
  const roots = rows.filter((r) => r.thread_id === null && (r.deleted_at === null || (replies.get(r.id) ?? []).some((x) => x.deleted_at === null)));
  if (roots.length === 0) return [];
  return withText(ctx, doc.id, (ydoc) => roots.map((root) => threadJson(root, replies.get(root.id) ?? [], anchorNow(ydoc, root))));
}

function row(ctx: Pick<AppContext, "db">, id: string): CommentRow | null {
  return (statement(ctx.db, `${SELECT} WHERE c.id = ?`).get(id) as CommentRow | undefined) ?? null;
}

/** One thread as it stands now. */
function threadNow(ctx: AppContext, rootId: string): CommentThread {
  const root = row(ctx, rootId)!;
  const replies = ctx.db.prepare(`${SELECT} WHERE c.thread_id = ? ORDER BY c.created_at, c.rowid`).all(rootId) as CommentRow[];
  return withText(ctx, root.document_id, (ydoc) => threadJson(root, replies, anchorNow(ydoc, root)));
}

/**
 * A comment `user` may see, with its document: 404 for another meeting's and for another
 * delegation's note alike, so that neither is confirmed to exist.
 */
function commentForUser(ctx: AppContext, user: User, id: string): { row: CommentRow; doc: DocumentRow } {
  const found = row(ctx, id);
  if (!found || (found.delegation !== null && !seesNotesOf(user, found.delegation))) throw notFound("comment");
  const doc = documentForUser(ctx, user, found.document_id);
  return { row: found, doc };
}

/** The thread of a visible comment `user` names (by any comment in it). */
export function threadForUser(ctx: AppContext, user: User, id: string): CommentThread {
  const { row: found } = commentForUser(ctx, user, id);
  return threadNow(ctx, found.thread_id ?? found.id);
}

// ---- mentions ----------------------------------------------------------------------

const MENTION = /(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g;

/**
 * The members a body mentions (`@username`) who may read it: any active member of the
 * meeting for a comment, the delegation's members for a note. Others are left out.
 */
function mentionsIn(ctx: AppContext, meetingId: string, delegation: string | null, body: string): string[] {
  const asked = new Set([...body.matchAll(MENTION)].map((m) => m[1]!.replace(/[.\-_]+$/, "").toLowerCase()));
  if (asked.size === 0) return [];
  // Usernames compare without case (the column's collation); a meeting may have thousands of members.
  const rows = statement(
    ctx.db,
    `SELECT u.username, m.role, d.code AS delegation FROM memberships m JOIN users u ON u.id = m.user_id
     LEFT JOIN delegations d ON d.id = m.delegation_id
     WHERE m.meeting_id = ? AND m.active = 1 AND u.username IN (SELECT value FROM json_each(?))`,
  ).all(meetingId, JSON.stringify([...asked])) as Array<{ username: string; role: User["role"]; delegation: string | null }>;
  return rows
    .filter((r) => delegation === null || (NOTE_KEEPERS.has(r.role) && r.delegation === delegation))
    .map((r) => r.username);
}

function cleanBody(body: string): string {
  const text = body.trim();
  if (text.length === 0) throw conflict("a comment needs some text");
  if (text.length > COMMENT_MAX_LENGTH) throw tooLarge(`a comment has at most ${COMMENT_MAX_LENGTH} characters`);
  return text;
}

// ---- commands -------------------------------------------------------------------


function announce(tx: CommandTx, user: User, type: EventOf<"comment">, thread: CommentThread, comment: CommentEntry | null, newlyMentioned: string[] = []): void {
  const data: CommentEvent = {
    id: comment?.id ?? thread.id,
    threadId: comment && comment.id !== thread.id ? thread.id : null,
    note: thread.note,
    anchor: thread.anchor,
    body: comment?.body ?? "",
    newlyMentioned,
    thread,
  };
  tx.publish(documentEvent(thread.documentId, type, data, user), audienceOf(thread.delegation));
}

// Comments are part of the negotiation's record and audited (without their words: the
// audit trail is the record of acts, the comment itself is kept here); a delegation's
// notes are its own working papers and are not, so that nobody outside it learns of them.
function audit(tx: CommandTx, user: User, doc: DocumentRow, action: string, c: { id: string; delegation: string | null; paragraphId: string; threadId: string | null }): void {
  if (c.delegation !== null) return;
  tx.audit(auditActor(user), {
    meetingId: doc.meeting_id,
    documentId: doc.id,
    action,
    targetType: "comment",
    targetId: c.id,
    details: { paragraphId: c.paragraphId, threadId: c.threadId },
  });
}

function insertComment(
  tx: CommandTx,
  user: User,
  doc: DocumentRow,
  c: { delegation: string | null; threadId: string | null; paragraphId: string; paragraphRef: string | null; start: Buffer | null; end: Buffer | null; quote: string | null; body: string; mentions: string[] },
): string {
  const count = statement(tx.db, "SELECT COUNT(*) AS n FROM comments WHERE document_id = ?").get(doc.id) as { n: number };
  if (count.n >= MAX_PER_DOCUMENT) throw tooLarge(`a document carries at most ${MAX_PER_DOCUMENT} comments and notes`);
  const id = newId("c");
  statement(
    tx.db,
    `INSERT INTO comments (id, document_id, delegation, thread_id, paragraph_id, paragraph_ref, anchor_start, anchor_end, quote, body,
       mentions, author_id, author_delegation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, doc.id, c.delegation, c.threadId, c.paragraphId, c.paragraphRef, c.start, c.end, c.quote, c.body, JSON.stringify(c.mentions), user.id, user.delegation, new Date().toISOString());
  return id;
}

/** Opens a thread on a paragraph or a range of it: a comment, or a note of the author's delegation. */
export function addThread(tx: CommandTx, user: User, documentId: string, input: NewThreadBody): CommentThread {
  const doc = documentForUser(tx.ctx, user, documentId);
  const denial = input.note ? noteDenial(user) : commentDenial(user);
  if (denial) throw forbidden(denial);
  const body = cleanBody(input.body);
  const delegation = input.note ? user.delegation : null;
  const place = withText(tx.ctx, doc.id, (ydoc) => {
    if (input.range) return checkRange(ydoc, input.paragraphId, input.range);
    if (!paragraphElement(ydoc, input.paragraphId)) throw notFound("paragraph");
    return null;
  });
  const paragraphRef = documentParagraph(tx.ctx, doc.id, input.paragraphId)?.ref ?? null;
  const mentions = mentionsIn(tx.ctx, doc.meeting_id, delegation, body);
  const id = insertComment(tx, user, doc, {
    delegation,
    threadId: null,
    paragraphId: input.paragraphId,
    paragraphRef,
    start: place?.start ?? null,
    end: place?.end ?? null,
    quote: place?.quote ?? null,
    body,
    mentions,
  });
  audit(tx, user, doc, "comment.added", { id, delegation, paragraphId: input.paragraphId, threadId: null });
  const thread = threadNow(tx.ctx, id);
  announce(tx, user, "comment.added", thread, thread.comments[0]!, mentions);
  return thread;
}

/** Replies in a thread (which a resolved thread accepts too: a reply may explain why it should reopen). */
export function reply(tx: CommandTx, user: User, commentId: string, text: string): CommentThread {
  const { row: found, doc } = commentForUser(tx.ctx, user, commentId);
  const root = found.thread_id ? row(tx.ctx, found.thread_id)! : found;
  const denial = root.delegation !== null ? noteDenial(user) : commentDenial(user);
  if (denial) throw forbidden(denial);
  const body = cleanBody(text);
  const mentions = mentionsIn(tx.ctx, doc.meeting_id, root.delegation, body);
  const id = insertComment(tx, user, doc, {
    delegation: root.delegation,
    threadId: root.id,
    paragraphId: root.paragraph_id,
    paragraphRef: root.paragraph_ref,
    start: null,
    end: null,
    quote: null,
    body,
    mentions,
  });
  audit(tx, user, doc, "comment.added", { id, delegation: root.delegation, paragraphId: root.paragraph_id, threadId: root.id });
  const thread = threadNow(tx.ctx, root.id);
  announce(tx, user, "comment.added", thread, thread.comments.find((c) => c.id === id)!, mentions);
  return thread;
}

/** Changes the words of one's own comment; newly mentioned members are told. */
export function editComment(tx: CommandTx, user: User, commentId: string, text: string): CommentThread {
  const { row: found, doc } = commentForUser(tx.ctx, user, commentId);
  if (found.author_id !== user.id) throw forbidden("only its author may edit a comment");
  if (found.deleted_at) throw conflict("this comment was deleted");
  const body = cleanBody(text);
  const before = new Set(JSON.parse(found.mentions) as string[]);
  const mentions = mentionsIn(tx.ctx, doc.meeting_id, found.delegation, body);
  statement(tx.db, "UPDATE comments SET body = ?, mentions = ?, edited_at = ? WHERE id = ?").run(body, JSON.stringify(mentions), new Date().toISOString(), found.id);
  audit(tx, user, doc, "comment.edited", { id: found.id, delegation: found.delegation, paragraphId: found.paragraph_id, threadId: found.thread_id });
  const thread = threadNow(tx.ctx, found.thread_id ?? found.id);
  announce(tx, user, "comment.edited", thread, thread.comments.find((c) => c.id === found.id)!, mentions.filter((m) => !before.has(m)));
  return thread;
}

/** Deletes one's own comment (its place in the thread stays while replies stand). */
export function deleteComment(tx: CommandTx, user: User, commentId: string): CommentThread {
  const { row: found, doc } = commentForUser(tx.ctx, user, commentId);
  if (found.author_id !== user.id) throw forbidden("only its author may delete a comment");
  if (found.deleted_at) throw conflict("this comment was already deleted");
  statement(tx.db, "UPDATE comments SET deleted_at = ? WHERE id = ?").run(new Date().toISOString(), found.id);
  audit(tx, user, doc, "comment.deleted", { id: found.id, delegation: found.delegation, paragraphId: found.paragraph_id, threadId: found.thread_id });
  const thread = threadNow(tx.ctx, found.thread_id ?? found.id);
  announce(tx, user, "comment.deleted", thread, null);
  return thread;
}

/**
 * Resolves or reopens a thread. A comment thread: its author, the chair of the owning
 * body or the secretariat. A note: any member of its delegation (only they see it).
 */
export function settleThread(tx: CommandTx, user: User, commentId: string, resolve: boolean): CommentThread {
  const { row: found, doc } = commentForUser(tx.ctx, user, commentId);
  const root = found.thread_id ? row(tx.ctx, found.thread_id)! : found;
  if (root.delegation === null && root.author_id !== user.id && !chairsDocument(user, { bodyId: doc.body_id }))
    throw forbidden(`only the thread's author, the chair or the secretariat may ${resolve ? "resolve" : "reopen"} it`);
  if (resolve === (root.resolved_at !== null)) throw conflict(`this thread is already ${resolve ? "resolved" : "open"}`);
  statement(tx.db, "UPDATE comments SET resolved_at = ?, resolved_by = ? WHERE id = ?").run(resolve ? new Date().toISOString() : null, resolve ? user.id : null, root.id);
  audit(tx, user, doc, resolve ? "comment.resolved" : "comment.reopened", { id: root.id, delegation: root.delegation, paragraphId: root.paragraph_id, threadId: null });
  const thread = threadNow(tx.ctx, root.id);
  announce(tx, user, resolve ? "comment.resolved" : "comment.reopened", thread, null);
  return thread;
}

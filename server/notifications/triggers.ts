import type { Role } from "../../schema/roles.js";
import type { CommandTx } from "../commands/command.js";
import type { DocumentEvent } from "../events/events.js";
import type { DocumentEventType } from "../../schema/api/events.js";
import { statement } from "../store/statements.js";
import { notify, type NewNotification } from "./inbox.js";

/**
 * Who is told what. Each trigger reads the event another feature announced (its data is
 * what that feature's API shows), finds the members concerned in the meeting's own tables
 * (memberships, delegations, chairs), and writes their notifications in the announcing
 * command's transaction. Nobody is told of their own act.
 */

interface DocumentFacts {
  meetingId: string;
  symbol: string;
  bodyId: string;
}

function documentFacts(tx: CommandTx, documentId: string): DocumentFacts | null {
  const row = statement(tx.db, "SELECT meeting_id, symbol, body_id FROM documents WHERE id = ?").get(documentId) as
    | { meeting_id: string; symbol: string; body_id: string }
    | undefined;
  return row ? { meetingId: row.meeting_id, symbol: row.symbol, bodyId: row.body_id } : null;
}

/** Active members of a meeting with one of `roles`, in one of `delegations` (any when null). */
function members(tx: CommandTx, meetingId: string, roles: readonly Role[], delegations: readonly string[] | null): Array<{ id: string; username: string }> {
  // A meeting may have thousands of members: the database picks the few concerned.
  return statement(
    tx.db,
    `SELECT u.id, u.username FROM memberships m JOIN users u ON u.id = m.user_id
     LEFT JOIN delegations d ON d.id = m.delegation_id
     WHERE m.meeting_id = ? AND m.active = 1 AND m.role IN (SELECT value FROM json_each(?))
       AND (? IS NULL OR d.code IN (SELECT value FROM json_each(?)))`,
  ).all(meetingId, JSON.stringify(roles), delegations ? 1 : null, JSON.stringify(delegations ?? [])) as Array<{ id: string; username: string }>;
}

/** The members who chair the body owning `documentId`. */
function chairsOf(tx: CommandTx, bodyId: string): Array<{ id: string; username: string }> {
  return statement(
    tx.db,
    `SELECT u.id, u.username FROM body_chairs c JOIN users u ON u.id = c.user_id
     JOIN bodies b ON b.id = c.body_id JOIN memberships m ON m.user_id = u.id AND m.meeting_id = b.meeting_id AND m.active = 1
     WHERE c.body_id = ?`,
  ).all(bodyId) as Array<{ id: string; username: string }>;
}

function send(tx: CommandTx, event: DocumentEvent, to: Array<{ id: string; username: string }>, n: NewNotification): void {
  const others = to.filter((m) => m.username !== event.actor?.username).map((m) => m.id);
  if (others.length > 0) notify(tx, others, n);
}

function actorOf(event: DocumentEvent): NewNotification["actor"] {
  return event.actor ? { username: event.actor.username, delegation: event.actor.delegation } : null;
}

const DECISION_WORDS: Record<string, string> = {
  accepted: "accepted",
  accepted_as_modified: "accepted as modified",
  rejected: "rejected",
};

/** A chair decided an amendment: its sponsor's and co-sponsors' delegates are told. */
function amendmentDecided(tx: CommandTx, event: DocumentEvent<"amendment.decided">, doc: DocumentFacts): void {
  const a = event.data;
  // Only a draft's notice is short, and a draft is never decided.
  if (!("cosponsors" in a)) return;
  const delegations = [a.sponsor, ...a.cosponsors];
  const decision = DECISION_WORDS[a.state] ?? a.state;
  send(tx, event, members(tx, doc.meetingId, ["delegate"], delegations), {
    kind: "amendment_decided",
    meetingId: doc.meetingId,
    summary: `${doc.symbol}: amendment ${a.number} to ${a.paragraphRef ?? "a paragraph"} (${a.sponsor}) was ${decision}`,
    details: { symbol: doc.symbol, number: a.number, paragraphRef: a.paragraphRef, sponsor: a.sponsor, decision: a.state, reason: a.decisionReason },
    link: { documentId: event.documentId, paragraphId: a.paragraphId, panel: "amendments", targetId: a.id },
    actor: actorOf(event),
  });
}

const BRACKET_ENDINGS: Record<string, string> = {
  kept: "its text kept",
  chosen: "chosen among the options",
  not_chosen: "another option was chosen",
  deleted: "its text deleted",
};

/** A chair resolved a bracket: the delegates of the delegations holding it (and of the one that opened it) are told. */
function bracketResolved(tx: CommandTx, event: DocumentEvent<"bracket.resolved">, doc: DocumentFacts): void {
  const b = event.data;
  const delegations = [...b.holders, ...(b.openedBy.delegation ? [b.openedBy.delegation] : [])];
  const how = b.closed?.how ?? "kept";
  send(tx, event, members(tx, doc.meetingId, ["delegate"], delegations), {
    kind: "bracket_resolved",
    meetingId: doc.meetingId,
    summary: `${doc.symbol}: bracket ${b.label} in ${b.paragraphRef ?? "a paragraph"} was resolved (${BRACKET_ENDINGS[how] ?? how})`,
    details: { symbol: doc.symbol, label: b.label, paragraphRef: b.paragraphRef, text: b.text, how, holders: b.holders },
    link: { documentId: event.documentId, paragraphId: b.paragraphId, panel: "brackets", targetId: b.id },
    actor: actorOf(event),
  });
}

/** A document was adopted: the ministers of every delegation whose signature is awaited are told. */
function documentAdopted(tx: CommandTx, event: DocumentEvent<"document.transitioned">, doc: DocumentFacts): void {
  const { transition } = event.data;
  if (transition.to !== "adopted" || !transition.awaitingSignatures?.length) return;
  send(tx, event, members(tx, doc.meetingId, ["minister"], transition.awaitingSignatures), {
    kind: "signature_pending",
    meetingId: doc.meetingId,
    summary: `${doc.symbol} was adopted; your signature is awaited`,
    details: { symbol: doc.symbol },
    link: { documentId: event.documentId, paragraphId: null, panel: "lifecycle", targetId: null },
    actor: actorOf(event),
  });
}

/**
 * A source of a consolidated document changed: its rapporteur is told (the meeting's
 * rapporteurs and whoever made the consolidation), once per consolidated document and
 * source while unread, counting the changes.
 */
function sourceChanged(tx: CommandTx, event: DocumentEvent<"provenance.source_changed">, doc: DocumentFacts): void {
  const data = event.data;
  const source = documentFacts(tx, data.sourceDocumentId);
  const maker = statement(
    tx.db,
    `SELECT u.id, u.username FROM versions v JOIN users u ON u.id = v.created_by WHERE v.document_id = ? ORDER BY v.number LIMIT 1`,
  ).get(event.documentId) as { id: string; username: string } | undefined;
  const to = [...members(tx, doc.meetingId, ["rapporteur"], null), ...(maker ? [maker] : [])];
  send(tx, event, to, {
    kind: "source_changed",
    meetingId: doc.meetingId,
    summary: `${doc.symbol}: its source ${source?.symbol ?? "document"} changed after consolidation`,
    details: { symbol: doc.symbol, sourceSymbol: source?.symbol ?? null, sourceDocumentId: data.sourceDocumentId },
    link: { documentId: event.documentId, paragraphId: data.paragraphIds[0] ?? null, panel: "consolidation", targetId: null },
    actor: actorOf(event),
    coalesceKey: `source_changed:${event.documentId}:${data.sourceDocumentId}`,
  });
}

/** The rapporteur declined a source change: the chairs of the source document's body are told. */
function changeDeclined(tx: CommandTx, event: DocumentEvent<"provenance.declined">, doc: DocumentFacts): void {
  const p = event.data;
  const source = documentFacts(tx, p.sourceDocumentId);
  if (!source) return;
  send(tx, event, chairsOf(tx, source.bodyId), {
    kind: "change_declined",
    meetingId: doc.meetingId,
    summary: `${doc.symbol}: the change to ${p.sourceSymbol} ${p.sourceRef ?? ""} was declined in ${p.ref ?? "the consolidated text"}`.replace(/\s+/g, " "),
    details: { symbol: doc.symbol, ref: p.ref, sourceSymbol: p.sourceSymbol, sourceRef: p.sourceRef },
    link: { documentId: event.documentId, paragraphId: p.paragraphId, panel: "consolidation", targetId: null },
    actor: actorOf(event),
  });
}

/** Someone was mentioned in a comment or note (the comment feature checked they may read it). */
function mentioned(tx: CommandTx, event: DocumentEvent<"comment.added" | "comment.edited">, doc: DocumentFacts): void {
  const c = event.data;
  if (!c.newlyMentioned?.length) return;
  // Usernames compare without case (the column's collation).
  const to = statement(
    tx.db,
    `SELECT u.id, u.username FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.meeting_id = ? AND m.active = 1 AND u.username IN (SELECT value FROM json_each(?))`,
  ).all(doc.meetingId, JSON.stringify(c.newlyMentioned)) as Array<{ id: string; username: string }>;
  const what = c.note ? "a delegation note" : "a comment";
  send(tx, event, to, {
    kind: "mention",
    meetingId: doc.meetingId,
    summary: `${event.actor?.username ?? "someone"} mentioned you in ${what} on ${doc.symbol} ${c.anchor.paragraphRef ?? ""}`.trim(),
    details: { symbol: doc.symbol, paragraphRef: c.anchor.paragraphRef, note: c.note, excerpt: c.body.slice(0, 200) },
    link: { documentId: event.documentId, paragraphId: c.anchor.paragraphId, panel: c.note ? "notes" : "comments", targetId: c.threadId ?? c.id },
    actor: actorOf(event),
  });
}

/** What reacts to one event, reading its payload as the contract types it. */
type Trigger<K extends DocumentEventType> = (tx: CommandTx, event: DocumentEvent<K>, doc: DocumentFacts) => void;

const TRIGGERS: { [K in DocumentEventType]?: Trigger<K> } = {
  "amendment.decided": amendmentDecided,
  "bracket.resolved": bracketResolved,
  "document.transitioned": documentAdopted,
  "provenance.source_changed": sourceChanged,
  "provenance.declined": changeDeclined,
  "comment.added": mentioned,
  "comment.edited": mentioned,
};

/** The event reaction that fills inboxes (installed by the notifications feature). */
export function notifyOnEvent(tx: CommandTx, event: DocumentEvent): void {
  // The table pairs each name with its own payload's trigger; TypeScript cannot follow that through a lookup.
  const trigger = TRIGGERS[event.type] as Trigger<DocumentEventType> | undefined;
  if (!trigger) return;
  const doc = documentFacts(tx, event.documentId);
  if (doc) trigger(tx, event, doc);
}

import type { BracketRef } from "../../schema/index.js";
import type { CommandTx } from "../commands/command.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { AppContext } from "../context.js";
import { announceBracket } from "./announce.js";
import { closeBracket } from "./close.js";
import { citation, documentText, documentParagraph, liveBlockReading } from "../documents/paragraphs.js";
import { paragraphsPlace } from "./open.js";
import {
  bracketLabel,
  bracketParagraphsOf,
  bracketRow,
  holdersOf,
  OPEN_BRACKETS,
  openBracketsOf,
  openBracketsRead,
  paragraphIdsOf,
  type BracketRow,
} from "./records.js";
import { statement } from "../store/statements.js";
import type { RemovalRule } from "../commands/hooks.js";

/**
 * Reaction to every accepted text change, client or server: an open bracket whose mark
 * is gone from its paragraph (its text deleted, or the paragraph removed) is closed as
 * `removed`, audited in the name of whoever made the change. Brackets still standing keep
 * their last-seen text (and, after structural changes, paragraph ref) current, so that a
 * removed one can say what it was and where.
 */
export function closeRemovedBrackets(tx: CommandTx, change: AcceptedTextChange): void {
  const ids = new Set([...change.change.touched, ...change.removedBlockIds]);
  const { room } = change;
  const update = statement(tx.db, "UPDATE brackets SET text = ? WHERE id = ?");
  for (const paragraphId of ids) {
    // The batch's updates are all in the live text already: once a paragraph's open
    // brackets are checked against it, they agree with it for the rest of the batch.
    if (!change.batch.first(`brackets\n${room.id}\n${paragraphId}`)) continue;
    const open = openBracketsRead(tx.ctx, change.batch.reads, room.id, paragraphId);
    if (open.length === 0) continue;
    const reading = change.removedBlockIds.has(paragraphId) ? null : liveBlockReading(room, paragraphId);
    const spans = new Map((reading?.brackets ?? []).map((b) => [b.id, b]));
    for (const row of open) {
      if (row.scope === "paragraphs") {
        if (spans.has(row.id)) continue;
        leaveParagraph(tx, change, row, paragraphId);
        // It left this paragraph, or was closed: the batch's later paragraphs read it again.
        change.batch.reads.forget(OPEN_BRACKETS, room.id);
        continue;
      }
      const span = spans.get(row.id);
      if (span && reading) {
        const text = reading.text.slice(span.from, span.to);
        if (text !== row.text) {
          update.run(text, row.id);
          // The batch's read row stays true (a span stands in this paragraph only).
          row.text = text;
        }
        continue;
      }
      // Closed: the batch's later paragraphs must not find it open.
      change.batch.reads.forget(OPEN_BRACKETS, room.id);
      const paragraph = reading ? documentParagraph(tx.ctx, room.id, paragraphId) : null;
      closeBracket(tx, change.user, room.meetingId, row, { how: "text_deleted", reason: null, text: row.text, paragraphRef: paragraph?.ref ?? null });
      announceBracket(tx, change.user, "bracket.removed", room.id, row.id);
    }
  }
  // Paragraphs added, removed or moved renumber others: keep open brackets' refs current, so
  // that one whose paragraph is deleted later still says where it stood.
  if (change.change.structural && change.batch.first(`bracket refs\n${room.id}`)) refreshRefs(tx, room.id);
}

/**
 * A bracket around whole paragraphs whose mark left one of them (the paragraph deleted,
 * joined into another or its text deleted): it goes on around the others; once it stands
 * in none it is closed as removed, like a span whose text went.
 */
function leaveParagraph(tx: CommandTx, change: AcceptedTextChange, row: BracketRow, paragraphId: string): void {
  const { room } = change;
  statement(tx.db, "DELETE FROM bracket_paragraphs WHERE bracket_id = ? AND paragraph_id = ?").run(row.id, paragraphId);
  const left = bracketParagraphsOf(tx.ctx, room.id, row.id).get(row.id) ?? [];
  const standing = left.filter((id) => liveBlockReading(room, id)?.brackets.some((b) => b.id === row.id));
  if (standing.length > 0) {
    if (row.paragraph_id !== standing[0]) statement(tx.db, "UPDATE brackets SET paragraph_id = ? WHERE id = ?").run(standing[0], row.id);
    return;
  }
  closeBracket(tx, change.user, room.meetingId, row, { how: "text_deleted", reason: null, text: row.text, paragraphRef: row.paragraph_ref });
  announceBracket(tx, change.user, "bracket.removed", room.id, row.id);
}

function refreshRefs(tx: CommandTx, documentId: string): void {
  const rows = openBracketsOf(tx.ctx, documentId);
  if (rows.length === 0) return;
  const paragraphs = documentText(tx.ctx, documentId).byId;
  const spanned = bracketParagraphsOf(tx.ctx, documentId);
  const update = statement(tx.db, "UPDATE brackets SET paragraph_ref = ? WHERE id = ?");
  for (const row of rows) {
    const p = paragraphs.get(row.paragraph_id);
    if (!p) continue;
    const ref = row.scope === "paragraphs" ? paragraphsPlace(paragraphIdsOf(row, spanned).flatMap((id) => paragraphs.get(id) ?? [])) : citation(p);
    if (ref !== row.paragraph_ref) update.run(ref, row.id);
  }
}

/** The original of a language version (documents.original_id), or null. */
function originalOf(ctx: AppContext, documentId: string): string | null {
  return (statement(ctx.db, "SELECT original_id FROM documents WHERE id = ?").get(documentId) as { original_id: string | null } | undefined)?.original_id ?? null;
}

/**
 * The server's rule on bracket marks in client updates: a mark must belong to an open
 * bracket the server opened, in this very paragraph, with its group. So a client cannot
 * invent a bracket, carry one into another paragraph, or bring back a closed one.
 */
export function bracketRule(ctx: AppContext): (documentId: string, blockId: string, bracket: BracketRef) => string | null {
  return (documentId, blockId, bracket) => {
    const row = bracketRow(ctx, bracket.id);
    // In a language version a bracket mark is the translator's counterpart of the
    // original's bracket in the same paragraph: it follows that bracket, whatever its state.
    const counterpart = row !== null && row !== undefined && row.document_id !== documentId && originalOf(ctx, documentId) === row.document_id;
    if (!row || (row.document_id !== documentId && !counterpart)) return `bracket "${bracket.id}" does not exist; brackets are opened through the server`;
    const label = bracketLabel(row);
    if (row.paragraph_id !== blockId && !(row.scope === "paragraphs" && paragraphIdsOf(row, bracketParagraphsOf(ctx, row.document_id, row.id)).includes(blockId)))
      return `bracket ${label} belongs to ${row.paragraph_ref ?? "another paragraph"}; a bracket stays inside its paragraph${row.scope === "paragraphs" ? "s" : ""}`;
    if (counterpart) return null;
    if (row.state !== "open") return `bracket ${label} is ${row.state}; its mark cannot come back`;
    if ((row.group_id ?? null) !== (bracket.group ?? null)) return `bracket ${label} has another option group`;
    return null;
  };
}

/**
 * The server's rule on deleting bracketed text: a bracket disappears from the text only
 * when no delegation but the editor's own still holds it. Otherwise a delegate could end
 * another delegation's objection by typing over its words, which only that delegation
 * (lifting its hold) and then the chair (resolving) may do.
 */
export function bracketRemovalRule(ctx: AppContext): RemovalRule {
  return (documentId, actor, paragraphId, present, reads) => {
    for (const row of openBracketsRead(ctx, reads, documentId, paragraphId)) {
      if (present?.has(row.id)) continue;
      const holders = holdersOf(ctx, documentId, row.id).get(row.id) ?? [];
      const others = holders.filter((code) => code !== actor?.delegation);
      if (others.length === 0) continue;
      return `bracket ${bracketLabel(row)} is held by ${others.join(", ")}: its text stays until the holders lift their holds and the chair resolves it`;
    }
    return null;
  };
}

/**
 * A delegate may not delete a whole paragraph that holds open brackets, even brackets only
 * its own delegation holds: what is in square brackets is under negotiation, and taking
 * it out of the text goes through the holders and the chair.
 */
export function bracketedParagraphRemovalRule(ctx: AppContext): RemovalRule {
  return (documentId, actor, paragraphId, present, reads) => {
    if (present !== null || actor?.role !== "delegate") return null;
    const open = openBracketsRead(ctx, reads, documentId, paragraphId);
    if (open.length === 0) return null;
    return `${open[0]!.paragraph_ref ?? "the paragraph"} holds open brackets (${open.map(bracketLabel).join(", ")}): a delegate cannot delete it; propose a deletion as an amendment`;
  };
}

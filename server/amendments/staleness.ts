import { textHash } from "../../schema/index.js";
import type { CommandTx } from "../commands/command.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { ReactionBatch } from "../commands/reaction-batch.js";
import type { Db } from "../store/db.js";
import { statement } from "../store/statements.js";
import { groupAcross } from "../collab/paragraph-reads.js";
import { liveBlockReading } from "../documents/paragraphs.js";
import type { AmendmentRow } from "./amendments.js";
import { recordAmendment } from "./record.js";
import { amendmentLabel } from "./rules.js";

/**
 * Takes a tabled amendment off the table as stale, with the reason its sponsor will read
 * ("OP2 changed after A3 was tabled", "paragraph deleted"). Audited as the system, naming
 * who caused it.
 */
export function markStale(tx: CommandTx, row: AmendmentRow, reason: string, causedBy: string | null): void {
  tx.db
    .prepare("UPDATE amendments SET state = 'stale', stale_reason = ?, updated_at = ? WHERE id = ? AND state = 'tabled'")
    .run(reason, new Date().toISOString(), row.id);
  recordAmendment(tx, null, row.id, "stale", { reason, causedBy });
}

// Asked on every accepted keystroke batch, for all its paragraphs at once: a statement
// compiled once per database.
function tabledAmendmentsOf(db: Db, documentId: string, paragraphIds: readonly string[]): Map<string, AmendmentRow[]> {
  const rows = statement(
    db,
    "SELECT * FROM amendments WHERE document_id = ? AND paragraph_id IN (SELECT value FROM json_each(?)) AND state = 'tabled' ORDER BY number",
  ).all(documentId, JSON.stringify(paragraphIds)) as AmendmentRow[];
  const out = new Map<string, AmendmentRow[]>();
  for (const row of rows) {
    const list = out.get(row.paragraph_id);
    if (list) list.push(row);
    else out.set(row.paragraph_id, [row]);
  }
  return out;
}

/**
 * `tabledAmendmentsOf` for the given paragraphs of several documents (a map by document,
 * then by paragraph), in one statement; rows of a paragraph not asked for in their
 * document are left out.
 */
export function tabledAmendmentsOfEach(db: Db, wanted: ReadonlyMap<string, readonly string[]>): Map<string, Map<string, AmendmentRow[]>> {
  if (wanted.size <= 1) return new Map([...wanted].map(([documentId, paragraphIds]) => [documentId, tabledAmendmentsOf(db, documentId, paragraphIds)]));
  const rows = statement(
    db,
    `SELECT * FROM amendments WHERE document_id IN (SELECT value FROM json_each(?))
       AND paragraph_id IN (SELECT value FROM json_each(?)) AND state = 'tabled' ORDER BY number`,
  ).all(JSON.stringify([...wanted.keys()]), JSON.stringify([...new Set([...wanted.values()].flat())])) as AmendmentRow[];
  return groupAcross(wanted, rows.map((row) => [row.paragraph_id, row] as const));
}

/**
 * The tabled amendments of one paragraph, through the batch's reads (of every document it declares at once). Marking one stale
 * changes only its own paragraph's rows, which the batch checks once: nothing to forget.
 */
function tabledAmendments(tx: CommandTx, batch: ReactionBatch, documentId: string, paragraphId: string): AmendmentRow[] {
  return batch.reads.readAcross("tabled amendments", documentId, paragraphId, (wanted) => tabledAmendmentsOfEach(tx.db, wanted), []);
}

/**
 * The text hook: after any accepted change (a delegate typing, a bracket resolved, an
 * amendment applied), every tabled amendment whose target paragraph was deleted, or whose
 * text no longer hashes to the amendment's base, becomes stale. Formatting alone (a
 * bracket opened, italics) leaves the text, and so the amendment, as it was.
 */
export function staleOnTextChange(tx: CommandTx, accepted: AcceptedTextChange): void {
  const { room, change, removedBlockIds, batch } = accepted;
  const causedBy = accepted.user?.username ?? null;
  // The batch's updates are all in the live text already: once checked against it, a
  // paragraph's tabled amendments agree with it for the rest of the batch.
  const first = (paragraphId: string) => batch.first(`amendments\n${room.id}\n${paragraphId}`);
  for (const paragraphId of removedBlockIds) {
    if (!first(paragraphId)) continue;
    for (const row of tabledAmendments(tx, batch, room.id, paragraphId)) {
      markStale(tx, row, `paragraph deleted (${row.paragraph_ref ?? paragraphId})`, causedBy);
    }
  }
  for (const paragraphId of change.touched) {
    if (removedBlockIds.has(paragraphId) || !first(paragraphId)) continue;
    const rows = tabledAmendments(tx, batch, room.id, paragraphId);
    if (rows.length === 0) continue;
    const reading = liveBlockReading(room, paragraphId);
    const hash = reading ? textHash(reading.text) : null;
    for (const row of rows) {
      if (hash === row.base_hash) continue;
      const where = row.paragraph_ref ?? paragraphId;
      markStale(tx, row, hash === null ? `paragraph deleted (${where})` : `${where} changed after ${amendmentLabel(row)} was tabled`, causedBy);
    }
  }
}

import type { Actor } from "../../schema/roles.js";
import type { AppContext } from "../context.js";

/**
 * A delegate may not delete a paragraph with amendments on the table (tabled or stale):
 * the room is about to decide on its wording, and deleting it is itself an amendment.
 */
export function amendedParagraphRemovalRule(
  ctx: AppContext,
): (documentId: string, actor: Actor | null, paragraphId: string, present: ReadonlySet<string> | null) => string | null {
  return (documentId, actor, paragraphId, present) => {
    if (present !== null || actor?.role !== "delegate") return null;
    const rows = ctx.db
      .prepare("SELECT number, paragraph_ref FROM amendments WHERE document_id = ? AND paragraph_id = ? AND state IN ('tabled', 'stale') ORDER BY number")
      .all(documentId, paragraphId) as Array<{ number: number | null; paragraph_ref: string | null }>;
    if (rows.length === 0) return null;
    const labels = rows.map((r) => `A${r.number}`).join(", ");
    return `${rows[0]!.paragraph_ref ?? "the paragraph"} has amendments on the table (${labels}): a delegate cannot delete it; propose a deletion as an amendment`;
  };
}

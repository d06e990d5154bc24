import type { AppContext } from "../context.js";
import type { AmendmentRow } from "./amendments.js";
import { documentText } from "../documents/paragraphs.js";

function sentence(row: Pick<AmendmentRow, "number" | "state">, ref: string): string {
  return row.state === "stale"
    ? `amendment A${row.number} on ${ref} is stale; its sponsor must rebase or withdraw it, or the chair reject it`
    : `amendment A${row.number} tabled on ${ref}`;
}

/**
 * What amendments keep a document from being agreed: every amendment still on the table
 * (tabled, or stale and awaiting a rebase) must be decided or withdrawn first.
 */
export function documentAmendmentBlockers(ctx: AppContext, documentId: string): string[] {
  const rows = ctx.db
    .prepare("SELECT number, state, paragraph_id, paragraph_ref FROM amendments WHERE document_id = ? AND state IN ('tabled', 'stale') ORDER BY number")
    .all(documentId) as Array<Pick<AmendmentRow, "number" | "state" | "paragraph_id" | "paragraph_ref">>;
  if (rows.length === 0) return [];
  const paragraphs = documentText(ctx, documentId).byId;
  return rows.map((r) => sentence(r, paragraphs.get(r.paragraph_id)?.ref ?? r.paragraph_ref ?? r.paragraph_id));
}

/** The same for one paragraph: the amendments on the table against it. */
export function paragraphAmendmentBlockers(ctx: AppContext, documentId: string, paragraphId: string): string[] {
  const rows = ctx.db
    .prepare("SELECT number, state, paragraph_id, paragraph_ref FROM amendments WHERE document_id = ? AND paragraph_id = ? AND state IN ('tabled', 'stale') ORDER BY number")
    .all(documentId, paragraphId) as Array<Pick<AmendmentRow, "number" | "state" | "paragraph_id" | "paragraph_ref">>;
  if (rows.length === 0) return [];
  const ref = documentText(ctx, documentId).byId.get(paragraphId)?.ref ?? rows[0]!.paragraph_ref ?? paragraphId;
  return rows.map((r) => sentence(r, ref));
}

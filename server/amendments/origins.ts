import type { AppContext } from "../context.js";
import { documentText } from "../documents/paragraphs.js";

/** Which accepted amendment produced a paragraph (API: `GET /api/documents/:id/paragraph-origins`). */
export interface ParagraphOrigin {
  paragraphId: string;
  /** How it is cited now; null once the paragraph is gone. */
  ref: string | null;
  present: boolean;
  amendmentId: string;
  number: string;
  sponsor: string;
  decision: "accepted" | "accepted_as_modified";
  decidedAt: string;
}

/**
 * The provenance of a document's paragraphs: for each paragraph an accepted amendment
 * wrote, which amendment, in the order of decision. A paragraph rewritten twice appears
 * twice, oldest first.
 */
export function paragraphOrigins(ctx: AppContext, documentId: string): ParagraphOrigin[] {
  const rows = ctx.db
    .prepare(
      `SELECT r.paragraph_id, a.id, a.number, a.sponsor, a.state, a.decided_at
       FROM amendment_results r JOIN amendments a ON a.id = r.amendment_id
       WHERE r.document_id = ? ORDER BY a.decided_at, a.number, r.position`,
    )
    .all(documentId) as Array<{ paragraph_id: string; id: string; number: number; sponsor: string; state: ParagraphOrigin["decision"]; decided_at: string }>;
  const paragraphs = documentText(ctx, documentId).byId;
  return rows.map((r) => {
    const now = paragraphs.get(r.paragraph_id);
    return {
      paragraphId: r.paragraph_id,
      ref: now?.ref ?? null,
      present: now !== undefined,
      amendmentId: r.id,
      number: `A${r.number}`,
      sponsor: r.sponsor,
      decision: r.state,
      decidedAt: r.decided_at,
    };
  });
}

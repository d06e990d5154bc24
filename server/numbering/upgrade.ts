import { SYSTEM } from "../audit/audit.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { freezeNumbersOnce } from "../documents/freeze.js";

/**
 * The data half of migration 027: documents already past the draft when a database gains
 * stable numbering have no frozen numbers, and SQL cannot compute them. Their numbers are
 * frozen as they stand, once, at the first start (audited as `numbering.frozen` by the
 * system), so that from then on they behave as if frozen when they left the draft.
 */
export function freezeDocumentsUnderNegotiation(ctx: AppContext): void {
  const ids = ctx.db
    .prepare(
      `SELECT id FROM documents
       WHERE state IN ('negotiation', 'agreed_ad_ref', 'referred')
         AND original_id IS NULL
         AND id NOT IN (SELECT document_id FROM document_numbering)`,
    )
    .pluck()
    .all() as string[];
  for (const id of ids) {
    try {
      runCommand(ctx, (tx) => freezeNumbersOnce(tx, SYSTEM, id));
    } catch (error) {
      // A text that cannot be read (quarantined) keeps its numbers in order; tried again at the next start.
      console.error(`numbers of document ${id} not frozen: ${(error as Error).message}`);
    }
  }
}

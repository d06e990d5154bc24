import { transitionRule } from "../../schema/lifecycle.js";
import { SYSTEM } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import { documentRow } from "../documents/documents.js";
import { moveDocument, type Moved } from "./move.js";
import { missingSignatories, requiredSignatories } from "./signatories.js";

/**
 * `adopted → signed`, made by the server itself once every required signatory has a
 * standing signature. Called after each signature and after the set of signatories
 * changes; does nothing otherwise.
 */
export function completeSignatureIfDue(tx: CommandTx, documentId: string): Moved | null {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc || doc.state !== "adopted") return null;
  if (missingSignatories(tx.ctx, documentId).length > 0) return null;
  const rule = transitionRule("adopted", "signed");
  if (!rule) return null;
  return moveDocument(tx, SYSTEM, doc, rule, null, { signatories: requiredSignatories(tx.ctx, documentId).delegations });
}

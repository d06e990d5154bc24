import { chairsDocument, FROZEN_STATES, textWriteDenial } from "../../schema/roles.js";
import type { User } from "../auth/users.js";
import type { DocumentRow } from "../documents/documents.js";
import { conflict, forbidden, coded } from "../http/errors.js";

/**
 * The delegation a bracket action speaks for. Holds belong to delegations, so only a
 * delegate (who speaks for one) may open, join or lift; chairs preside and resolve.
 */
export function delegationOf(user: User): string {
  if (user.role !== "delegate" || !user.delegation) throw coded(forbidden("only a delegate speaks for a delegation on brackets"), "bracket.delegates_only");
  return user.delegation;
}

/** New bracketed text may only appear while the document is drafted or negotiated. */
export function requireNegotiable(user: User, document: DocumentRow): void {
  const denial = textWriteDenial(user, { state: document.state, bodyId: document.body_id, kind: document.kind });
  if (denial) throw forbidden(denial);
  if (document.state !== "draft" && document.state !== "negotiation")
    throw coded(conflict(`the document is ${document.state}; brackets are opened only while it is negotiated`), "bracket.not_negotiated", { state: document.state });
}

/** Holds change only while the text may still change. */
export function requireNotFrozen(document: DocumentRow): void {
  if (FROZEN_STATES.has(document.state))
    throw coded(conflict(`the document is ${document.state}; its brackets can no longer change`), "bracket.frozen", { state: document.state });
}

/** Only the chair of the body that owns the document (or the secretariat) resolves. */
export function requireChair(user: User, document: DocumentRow): void {
  if (!chairsDocument(user, { bodyId: document.body_id }))
    throw coded(forbidden("only the chair of the body that owns the document resolves brackets; a delegation lifts its own hold"), "bracket.chair_only");
}

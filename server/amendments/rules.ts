import { chairsDocument } from "../../schema/roles.js";
import type { User } from "../auth/users.js";
import type { DocumentRow } from "../documents/documents.js";
import { conflict, forbidden, coded } from "../http/errors.js";
import type { AmendmentRow } from "./amendments.js";
import type { AmendmentState } from "../../schema/api/amendments.js";

/** Document states in which amendments may be drafted, tabled and decided. */
const AMENDABLE = new Set(["draft", "negotiation"]);

/** 409 unless the document may still be amended (nothing once agreed ad referendum or later). */
export function requireAmendable(doc: Pick<DocumentRow, "state">): void {
  if (!AMENDABLE.has(doc.state)) throw coded(conflict(`the document is ${doc.state}; it can no longer be amended`, [`document state: ${doc.state}`]), "document.not_amendable", { state: doc.state });
}

/** 403 unless the user speaks for a delegation (a delegate of a member or observer state). */
export function requireDelegate(user: User, doing: string): string {
  if (user.role !== "delegate" || !user.delegation) throw coded(forbidden(`only a delegation's delegate may ${doing}`), "amendment.delegates_only");
  return user.delegation;
}

/** 403 unless the user is a delegate of the amendment's sponsoring delegation. */
export function requireSponsor(user: User, row: Pick<AmendmentRow, "sponsor">, doing: string): void {
  if (user.role !== "delegate" || user.delegation !== row.sponsor) throw coded(forbidden(`only a delegate of ${row.sponsor}, its sponsor, may ${doing}`), "amendment.sponsor_only", { sponsor: row.sponsor });
}

/** 403 unless the user chairs the body that owns the document (or is the secretariat). */
export function requireChair(user: User, doc: Pick<DocumentRow, "body_id">, doing: string): void {
  if (!chairsDocument(user, { bodyId: doc.body_id })) throw coded(forbidden(`only the chair of the owning body may ${doing}`), "amendment.chair_only");
}

/** 409 unless the amendment is in one of `states`. */
export function requireState(row: Pick<AmendmentRow, "state" | "number">, states: readonly AmendmentState[], doing: string): void {
  if (!states.includes(row.state))
    throw conflict(`amendment ${amendmentLabel(row)} is ${row.state}; one can ${doing} only when it is ${states.join(" or ")}`, [
      `amendment state: ${row.state}`,
    ]);
}

/** How people name an amendment: its number, or "draft" before it is tabled. */
export function amendmentLabel(row: Pick<AmendmentRow, "number">): string {
  return row.number === null ? "(draft)" : `A${row.number}`;
}

/** Whether an amendment of this operation changes its target paragraph's own text. */
export function changesTarget(operation: AmendmentRow["operation"]): boolean {
  return operation === "replace" || operation === "delete";
}

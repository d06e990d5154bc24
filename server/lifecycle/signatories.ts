import { auditActor, type AuditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import { authoriseDocument } from "../auth/policy.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentRow, documentFacts } from "../documents/documents.js";
import { badRequest, conflict, notFound } from "../http/errors.js";

/** Who must sign a document, and whether that is the meeting's default. */
export interface Signatories {
  /** Delegation codes, sorted. */
  delegations: string[];
  /** True when no list was set: every member delegation of the meeting must sign. */
  isDefault: boolean;
}

/** The member delegations of a meeting, by code. */
function memberDelegations(ctx: Pick<AppContext, "db">, meetingId: string): string[] {
  return ctx.db.prepare("SELECT code FROM delegations WHERE meeting_id = ? AND is_member = 1 ORDER BY code").pluck().all(meetingId) as string[];
}

/** The delegations that must sign `documentId` (default: every member delegation of its meeting). */
export function requiredSignatories(ctx: Pick<AppContext, "db">, documentId: string): Signatories {
  const doc = documentRow(ctx, documentId);
  if (!doc) throw notFound("document");
  const set = ctx.db.prepare("SELECT delegation FROM document_signatories WHERE document_id = ? ORDER BY delegation").pluck().all(documentId) as string[];
  if (set.length > 0) return { delegations: set, isDefault: false };
  return { delegations: memberDelegations(ctx, doc.meeting_id), isDefault: true };
}

/** Required delegations that have no standing signature on the document yet, sorted. */
export function missingSignatories(ctx: Pick<AppContext, "db">, documentId: string): string[] {
  const signed = new Set(
    ctx.db.prepare("SELECT delegation FROM signatures WHERE document_id = ? AND voided_at IS NULL").pluck().all(documentId) as string[],
  );
  return requiredSignatories(ctx, documentId).delegations.filter((code) => !signed.has(code));
}

/**
 * Sets who must sign a document (`null`: back to every member delegation). Every code must
 * be a delegation of the document's meeting. Refused once the document is signed or
 * withdrawn, since the set decides when signing is complete. Audited with before/after.
 * Whether the new set completes the signing is for the caller to check.
 */
function setRequiredSignatories(tx: CommandTx, who: AuditActor, documentId: string, delegations: readonly string[] | null): Signatories {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc) throw notFound("document");
  if (doc.state === "signed" || doc.state === "withdrawn") throw conflict(`the document is ${doc.state}; its signatories can no longer change`);
  const before = requiredSignatories(tx.ctx, documentId);
  if (delegations) {
    const known = new Set(tx.db.prepare("SELECT code FROM delegations WHERE meeting_id = ?").pluck().all(doc.meeting_id) as string[]);
    const unknown = [...new Set(delegations)].filter((code) => !known.has(code));
    if (unknown.length > 0) throw badRequest(`not delegations of this meeting: ${unknown.join(", ")}`, unknown.map((c) => `${c} is not a delegation of this meeting`));
  }
  tx.db.prepare("DELETE FROM document_signatories WHERE document_id = ?").run(documentId);
  const insert = tx.db.prepare("INSERT INTO document_signatories (document_id, delegation) VALUES (?, ?)");
  for (const code of new Set(delegations ?? [])) insert.run(documentId, code);
  const after = requiredSignatories(tx.ctx, documentId);
  tx.audit(who, {
    meetingId: doc.meeting_id,
    documentId,
    action: "signatories.changed",
    targetType: "document",
    targetId: documentId,
    details: { before, after },
  });
  return after;
}

/** A member sets who must sign a document (the secretariat, per the policy); null restores the default. */
export function setSignatories(tx: CommandTx, user: User, documentId: string, delegations: readonly string[] | null): Signatories {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc || doc.meeting_id !== user.meetingId) throw notFound("document");
  authoriseDocument(user, "document.setSignatories", documentFacts(doc));
  return setRequiredSignatories(tx, auditActor(user), documentId, delegations);
}

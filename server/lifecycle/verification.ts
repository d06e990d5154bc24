import type { ChainCheck } from "../audit/audit.js";
import { checkAuditChain } from "./audit-check.js";
import type { AppContext } from "../context.js";
import { documentContent } from "../documents/documents.js";
import { adoptedVersion } from "./adopted.js";
import { reservationFootnotes, type ReservationFootnote } from "./reservations.js";
import { signatureSeal } from "./seal.js";
import { sealedFields, signatureInfo, signatureRows, type SignatureInfo } from "./signatures.js";
import { missingSignatories, requiredSignatories } from "./signatories.js";

/** One signature as checked: its stored fields, and whether it is intact and signed the adopted text. */
export interface CheckedSignature extends Partial<SignatureInfo> {
  delegation: string;
  hash: string;
  /** The signature stands, its row is intact, and it signed the adopted text. */
  valid: boolean;
  /** The row still hashes to its seal and to the seal its audit event recorded. */
  intact: boolean;
  /** The signed hash is the adopted version's hash. */
  matchesAdopted: boolean;
  /** The signed hash is the current text's hash. */
  matchesCurrent: boolean;
  voided: boolean;
  /** What is wrong with it (a voided signature is not valid, yet nothing is wrong with it). */
  problem?: string;
}

/** What `GET /api/documents/:id/verification` answers. */
export interface Verification {
  documentId: string;
  state: string;
  currentHash: string;
  adoptedHash: string | null;
  adoptedVersion: { id: string; symbol: string; createdAt: string; intact: boolean } | null;
  /** Standing signatures, then voided ones, then signatures the audit trail records but the table lost. */
  signatures: CheckedSignature[];
  required: string[];
  missing: string[];
  reservations: ReservationFootnote[];
  audit: ChainCheck;
  /** Everything is in order: the current text is the adopted one, no signature has a problem, the audit chain is unbroken. */
  ok: boolean;
  problems: string[];
}

interface SealRecord {
  target_id: string;
  action: string;
  details: string;
}

/**
 * Proves (or disproves) that the text on record is the text that was adopted and signed:
 * recomputes the current canonical hash, checks the adopted version's stored hash, every
 * signature's seal against its row and against the seal its audit event recorded, looks
 * for signatures the audit trail records but the table no longer has, and walks the
 * audit chain.
 */
export function verifyDocument(ctx: AppContext, documentId: string): Verification {
  const { canonical, hash: currentHash } = documentContent(ctx, documentId);
  const adopted = adoptedVersion(ctx, documentId);
  const adoptedHash = adopted?.hash ?? null;
  const problems: string[] = [];
  const state = (ctx.db.prepare("SELECT state FROM documents WHERE id = ?").pluck().get(documentId) as string | undefined) ?? "unknown";

  // The seal each signature had when the audit trail last recorded it (added, then voided).
  const recorded = new Map<string, { seal: string; delegation: string; hash: string }>();
  for (const r of ctx.db
    .prepare(
      `SELECT target_id, action, details FROM audit_events
       WHERE document_id = ? AND action IN ('signature.added', 'signature.voided') ORDER BY seq`,
    )
    .all(documentId) as SealRecord[]) {
    const details = JSON.parse(r.details) as { seal?: string; delegation?: string; hash?: string };
    recorded.set(r.target_id, { seal: details.seal ?? "", delegation: details.delegation ?? "", hash: details.hash ?? "" });
  }

  const rows = signatureRows(ctx, documentId);
  const checked: CheckedSignature[] = rows.map((row) => {
    const voided = row.voided_at !== null;
    const resealed = signatureSeal(sealedFields(row));
    const record = recorded.get(row.id);
    let problem: string | undefined;
    if (resealed !== row.seal) problem = `the stored signature of ${row.delegation} was changed after it was recorded`;
    else if (!record) problem = `the signature of ${row.delegation} has no record in the audit trail`;
    else if (record.seal !== row.seal) problem = `the signature of ${row.delegation} does not match its audit record`;
    const intact = problem === undefined;
    const matchesAdopted = adoptedHash !== null && row.hash === adoptedHash;
    if (intact && !voided && !matchesAdopted) problem = `${row.delegation} signed ${row.hash}, not the adopted text`;
    return {
      ...signatureInfo(ctx, row),
      valid: problem === undefined && !voided,
      intact,
      matchesAdopted,
      matchesCurrent: row.hash === currentHash,
      voided,
      ...(problem ? { problem } : {}),
    };
  });
  const present = new Set(rows.map((r) => r.id));
  for (const [id, record] of recorded) {
    if (present.has(id)) continue;
    checked.push({
      id,
      delegation: record.delegation,
      hash: record.hash,
      valid: false,
      intact: false,
      matchesAdopted: record.hash === adoptedHash,
      matchesCurrent: record.hash === currentHash,
      voided: false,
      problem: `the signature of ${record.delegation} recorded in the audit trail is missing from the signatures`,
    });
  }
  checked.sort((a, b) => Number(a.voided) - Number(b.voided));

  const audit = checkAuditChain(ctx.db);
  if (adopted && !adopted.intact) problems.push(`the adopted version ${adopted.symbol} no longer hashes to ${adopted.hash}`);
  if (adoptedHash && currentHash !== adoptedHash) problems.push(`the current text (${currentHash}) is not the adopted text (${adoptedHash})`);
  for (const s of checked) if (s.problem) problems.push(s.problem);
  if (!audit.ok) problems.push(`audit trail broken at event ${audit.brokenAt}: ${audit.problem}`);
  return {
    documentId,
    state,
    currentHash,
    adoptedHash,
    adoptedVersion: adopted ? { id: adopted.id, symbol: adopted.symbol, createdAt: adopted.createdAt, intact: adopted.intact } : null,
    signatures: checked,
    required: requiredSignatories(ctx, documentId).delegations,
    missing: missingSignatories(ctx, documentId),
    reservations: reservationFootnotes(ctx, documentId, canonical),
    audit,
    ok: problems.length === 0,
    problems,
  };
}

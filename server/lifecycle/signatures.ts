import { newId } from "../../schema/ids.js";
import { auditActor, type AuditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentContent, documentRow } from "../documents/documents.js";
import { documentEvent } from "../events/events.js";
import { badRequest, conflict, forbidden, notFound, coded } from "../http/errors.js";
import { adoptedLanguageVersions, adoptedVersion } from "./adopted.js";
import { completeSignatureIfDue } from "./completion.js";
import { insertReservation, reservationById, voidReservations, type ReservationInput } from "./reservations.js";
import { signatureSeal, type SealedSignature } from "./seal.js";
import { requiredSignatories } from "./signatories.js";
import { statementVerifies } from "./key-crypto.js";
import type { PublicJwk } from "../../schema/api/signatures.js";
import { confirmedKeyOf } from "./signing-keys.js";
import { expectedStatement, statementBasis } from "./statement.js";

export type { SignatureInfo } from "../../schema/api/signatures.js";
import type { SignatureInfo } from "../../schema/api/signatures.js";

/** A signature row as stored, with the reservation fields its seal covers. */
export interface SignatureRow {
  id: string;
  document_id: string;
  version_id: string;
  delegation: string;
  user_id: string;
  username: string;
  hash: string;
  signed_at: string;
  reservation_id: string | null;
  voided_at: string | null;
  voided_reason: string | null;
  seal: string;
  key_id: string | null;
  statement: string | null;
  signature: string | null;
  reservation_paragraph_id: string | null;
  reservation_text: string | null;
  key_fingerprint: string | null;
  key_public: string | null;
}

const SELECT = `SELECT s.*, r.paragraph_id AS reservation_paragraph_id, r.text AS reservation_text,
    k.fingerprint AS key_fingerprint, k.public_key AS key_public
  FROM signatures s LEFT JOIN reservations r ON r.id = s.reservation_id LEFT JOIN signing_keys k ON k.id = s.key_id`;

/** The fields of a stored row that its seal covers. */
export function sealedFields(row: SignatureRow): SealedSignature {
  return {
    id: row.id,
    documentId: row.document_id,
    versionId: row.version_id,
    delegation: row.delegation,
    userId: row.user_id,
    username: row.username,
    hash: row.hash,
    signedAt: row.signed_at,
    reservation: row.reservation_id
      ? { id: row.reservation_id, paragraphId: row.reservation_paragraph_id, text: row.reservation_text ?? "" }
      : null,
    voidedAt: row.voided_at,
    voidedReason: row.voided_reason,
    keyId: row.key_id ?? undefined,
    statement: row.statement ?? undefined,
    signature: row.signature ?? undefined,
  };
}

/** Every signature row of a document, voided ones included, in signing order. */
export function signatureRows(ctx: Pick<AppContext, "db">, documentId: string): SignatureRow[] {
  return ctx.db.prepare(`${SELECT} WHERE s.document_id = ? ORDER BY s.signed_at, s.rowid`).all(documentId) as SignatureRow[];
}

/** The API shape of a stored signature. */
export function signatureInfo(ctx: Pick<AppContext, "db">, row: SignatureRow): SignatureInfo {
  return {
    id: row.id,
    documentId: row.document_id,
    versionId: row.version_id,
    delegation: row.delegation,
    username: row.username,
    hash: row.hash,
    signedAt: row.signed_at,
    reservation: row.reservation_id ? reservationById(ctx, row.reservation_id) : null,
    voidedAt: row.voided_at,
    voidedReason: row.voided_reason,
    keyId: row.key_id,
    keyFingerprint: row.key_fingerprint,
  };
}

/** What a minister sends to sign. */
export interface SignInput {
  /** The hash of the text the minister was shown. */
  hash: string;
  /** Optional: the delegation signed for; must be the minister's own. */
  delegation?: string | undefined;
  reservation?: ReservationInput | undefined;
  /** The statement signed, exactly as signed (see `schema/signing-statement.ts`). */
  statement: string;
  /** The minister's key's signature of the statement: base64 of the 64-byte r‖s. */
  signature: string;
}

/**
 * A minister signs the adopted text for their own delegation. Accepted only when the hash
 * they were shown is the adopted version's (and the live text still has it); refused for
 * anyone but a minister of a required delegation that has not signed yet; and only with
 * the statement of this signature signed by the minister's confirmed key, which the
 * server verifies here and could not have made. When the last required signatory signs,
 * the document moves to `signed`.
 */
export function sign(tx: CommandTx, user: User, documentId: string, input: SignInput): SignatureInfo {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc || doc.meeting_id !== user.meetingId) throw notFound("document");
  if (user.role !== "minister") throw coded(forbidden("only ministers sign documents"), "signature.ministers_only");
  if (!user.delegation) throw forbidden("a minister must belong to a delegation to sign");
  if (input.delegation !== undefined && input.delegation !== user.delegation)
    throw forbidden(`a minister of ${user.delegation} may not sign for ${input.delegation}`);
  if (!requiredSignatories(tx.ctx, documentId).delegations.includes(user.delegation))
    throw coded(forbidden(`${user.delegation} is not among the signatories of this document`), "signature.not_signatory", { delegation: user.delegation });
  if (doc.state === "signed") throw conflict("every required signatory has signed this document already");
  if (doc.state !== "adopted") throw coded(conflict(`the document is ${doc.state}; only an adopted document is signed`), "signature.not_adopted", { state: doc.state });
  const adopted = adoptedVersion(tx.ctx, documentId);
  if (!adopted) throw conflict("the document has no adopted version to sign");
  if (input.hash !== adopted.hash)
    throw conflict("the text you were shown is not the adopted text; reload it and sign again", [
      `you sent ${input.hash}`,
      `the adopted version ${adopted.symbol} has ${adopted.hash}`,
    ]);
  const current = documentContent(tx.ctx, documentId);
  if (current.hash !== adopted.hash) throw conflict("the current text no longer matches the adopted version; nothing can be signed until this is resolved");
  for (const text of adoptedLanguageVersions(tx.ctx, documentId))
    if (documentContent(tx.ctx, text.documentId).hash !== text.hash)
      throw conflict(`the ${text.language} text no longer matches its adopted version; nothing can be signed until this is resolved`);
  const standing = tx.db.prepare("SELECT id FROM signatures WHERE document_id = ? AND delegation = ? AND voided_at IS NULL").get(documentId, user.delegation);
  if (standing) throw coded(conflict(`${user.delegation} has already signed this document`), "signature.already_signed", { delegation: user.delegation });
  const key = confirmedKeyOf(tx.ctx, user.id);
  if (!key)
    throw conflict("you have no confirmed signing key: create one in the Lifecycle panel and ask the secretariat to confirm it", [
      "a signature is made with a key only you hold, in your browser; the secretariat confirms its fingerprint once",
    ]);
  const statement = expectedStatement(statementBasis(tx.ctx, documentId, { username: user.username, delegation: user.delegation }), input.statement, input.reservation);
  if (!statementVerifies(JSON.parse(key.public_key) as PublicJwk, input.statement, input.signature))
    throw badRequest("the signature does not verify with your confirmed key", [
      `your confirmed key has the fingerprint ${key.fingerprint}`,
      "sign in the browser that holds that key, or ask the secretariat to revoke it and register a new one",
    ]);

  const reservation = input.reservation ? insertReservation(tx, user, doc, input.reservation, current) : null;
  const fields: SealedSignature = {
    id: newId("s"),
    documentId,
    versionId: adopted.id,
    delegation: user.delegation,
    userId: user.id,
    username: user.username,
    hash: input.hash,
    signedAt: new Date().toISOString(),
    reservation: reservation ? { id: reservation.id, paragraphId: reservation.paragraphId, text: reservation.text } : null,
    voidedAt: null,
    voidedReason: null,
    keyId: key.id,
    statement: input.statement,
    signature: input.signature,
  };
  const seal = signatureSeal(fields);
  tx.db
    .prepare(
      `INSERT INTO signatures (id, document_id, version_id, delegation, user_id, username, hash, signed_at, reservation_id, seal, key_id, statement, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      fields.id,
      documentId,
      adopted.id,
      fields.delegation,
      user.id,
      user.username,
      fields.hash,
      fields.signedAt,
      reservation?.id ?? null,
      seal,
      key.id,
      input.statement,
      input.signature,
    );
  tx.audit(auditActor(user), {
    meetingId: doc.meeting_id,
    documentId,
    action: "signature.added",
    targetType: "signature",
    targetId: fields.id,
    details: {
      delegation: fields.delegation,
      hash: fields.hash,
      versionId: adopted.id,
      reservation: fields.reservation,
      keyId: key.id,
      keyFingerprint: key.fingerprint,
      signedAt: statement.signedAt,
      seal,
    },
  });
  const info: SignatureInfo = {
    id: fields.id,
    documentId,
    versionId: adopted.id,
    delegation: fields.delegation,
    username: user.username,
    hash: fields.hash,
    signedAt: fields.signedAt,
    reservation: reservation ? { ...reservation, signatureId: fields.id } : null,
    voidedAt: null,
    voidedReason: null,
    keyId: key.id,
    keyFingerprint: key.fingerprint,
  };
  tx.publish(documentEvent(documentId, "signature.added", info, user));
  completeSignatureIfDue(tx, documentId);
  return info;
}

/**
 * Voids every standing signature of a document (when it is reopened), with the
 * reservations they carried. The rows stay on record, re-sealed, each voiding audited and
 * announced. Returns how many were voided.
 */
export function voidSignatures(tx: CommandTx, who: AuditActor, documentId: string, reason: string): number {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc) throw notFound("document");
  const at = new Date().toISOString();
  const standing = signatureRows(tx.ctx, documentId).filter((row) => row.voided_at === null);
  const update = tx.db.prepare("UPDATE signatures SET voided_at = ?, voided_reason = ?, seal = ? WHERE id = ?");
  for (const row of standing) {
    const voided: SignatureRow = { ...row, voided_at: at, voided_reason: reason };
    const seal = signatureSeal(sealedFields(voided));
    update.run(at, reason, seal, row.id);
    tx.audit(who, {
      meetingId: doc.meeting_id,
      documentId,
      action: "signature.voided",
      targetType: "signature",
      targetId: row.id,
      details: { delegation: row.delegation, hash: row.hash, reason, before: { voidedAt: null }, after: { voidedAt: at }, seal },
    });
    const actor = who.username && who.role ? { username: who.username, delegation: who.delegation, role: who.role } : null;
    tx.publish(documentEvent(documentId, "signature.voided", signatureInfo(tx.ctx, { ...voided, seal }), actor));
  }
  voidReservations(
    tx,
    standing.flatMap((row) => (row.reservation_id ? [row.reservation_id] : [])),
    at,
    reason,
  );
  return standing.length;
}

import { sha256Hex, stableStringify } from "../../schema/hash.js";

/** Every stored field of a signature that its seal covers, with the reservation it carries. */
export interface SealedSignature {
  id: string;
  documentId: string;
  versionId: string;
  delegation: string;
  userId: string;
  username: string;
  hash: string;
  signedAt: string;
  reservation: { id: string; paragraphId: string | null; text: string } | null;
  voidedAt: string | null;
  voidedReason: string | null;
  /** The minister's key, the statement signed and the browser's signature of it (absent on signatures made before ministers had keys). */
  keyId?: string | undefined;
  statement?: string | undefined;
  signature?: string | undefined;
}

/**
 * The seal of a signature: SHA-256 over its fields. It is stored with the row and in the
 * audit event that recorded the row's last change, so a row edited in the database file
 * matches neither, and forging both means breaking the audit chain. The key, statement and
 * signature are covered when present; a row without them keeps the seal it was made with.
 */
export function signatureSeal(fields: SealedSignature): string {
  return sha256Hex(stableStringify({ format: "accord.signature/1", ...fields }));
}

/**
 * Signatures, reservations and the verification of a document as the API gives them
 * (docs/API.md, "Signatures" and "Verification"), and the ministers' signing keys they are
 * made with.
 */
import type { ReasonCode } from "../lifecycle.js";

/** A P-256 public key as a JSON Web Key, as WebCrypto exports it. */
export interface PublicJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
}

/** Where a minister's key stands: registered, confirmed by the secretariat, or revoked. */
export type SigningKeyState = "pending" | "confirmed" | "revoked";

/** A minister's signing key as the API returns it (the public half only: the server never has the other). */
export interface SigningKeyInfo {
  id: string;
  username: string;
  displayName: string;
  delegation: string;
  publicKey: PublicJwk;
  fingerprint: string;
  state: SigningKeyState;
  registeredAt: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
  revokedAt: string | null;
  revokedReason: string | null;
}

/** `GET /api/signing-keys`: the caller's own keys (a minister), or every minister's of the meeting (the secretariat). */
export interface SigningKeyList {
  keys: SigningKeyInfo[];
}

/** A reservation as the API returns it. */
export interface ReservationInfo {
  id: string;
  documentId: string;
  delegation: string;
  /** The paragraph it is about; null for the whole document. */
  paragraphId: string | null;
  text: string;
  /** The canonical hash of the text it was made on. */
  textHash: string;
  createdAt: string;
  /** The signature it came with, if any. */
  signatureId: string | null;
  voidedAt: string | null;
  voidedReason: string | null;
}

/** A standing reservation as a footnote of the document: numbered, and placed by the paragraph's current reference. */
export interface ReservationFootnote extends ReservationInfo {
  footnote: number;
  /** How delegates cite the paragraph now (`OP3`), null for the whole document or a paragraph no longer in the text. */
  ref: string | null;
}

/** A signature as the API returns it. */
export interface SignatureInfo {
  id: string;
  documentId: string;
  versionId: string;
  delegation: string;
  username: string;
  /** The canonical hash of the text the minister signed. */
  hash: string;
  signedAt: string;
  reservation: ReservationInfo | null;
  voidedAt: string | null;
  voidedReason: string | null;
  /** The minister's key the signature was made with (null: signed before ministers had keys). */
  keyId: string | null;
  keyFingerprint: string | null;
}

/**
 * One signature as checked: its stored fields (absent for a signature the audit trail
 * records but the table lost), and whether it is intact and signed the adopted text.
 */
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
  /** The statement verifies with the minister's confirmed key and names this signature's document, text and delegation. */
  signedWithKey: boolean;
  /** What is wrong with it (a voided signature is not valid, yet nothing is wrong with it). */
  problem?: string;
  /** The stable code of `problem` and the values it names (docs/API.md, "Error codes"), for a client that words it in its language. */
  problemCode?: ReasonCode;
}

/** The audit chain check as verifications answer it: the walk, and the seal of its head. */
export interface SealedChainCheck {
  ok: boolean;
  /** How many events were checked. */
  checked: number;
  /** The first event where the chain breaks, and why. */
  brokenAt?: number;
  problem?: string;
  /** The id of the audit key the head is sealed with (null: not sealed). */
  sealedWith: string | null;
  /** The last event recorded outside the database, next to the key. */
  recordedSeq: number | null;
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
  audit: SealedChainCheck;
  /** Every stored version of the document still hashes to its hash, and to the hash the audit trail recorded. */
  versions: { checked: number; intact: boolean };
  /**
   * The other authentic texts: each language version's adopted hash (stored by the
   * adoption), whether its stored text still hashes to it, and its current hash.
   */
  authenticTexts: Array<{ language: string; documentId: string; versionId: string; adoptedHash: string; currentHash: string; intact: boolean }>;
  /** Everything is in order: the current text is the adopted one, no signature has a problem, the audit chain is unbroken. */
  ok: boolean;
  problems: string[];
  /** The code and values of each of `problems`, in its order (null for one without a code). */
  problemCodes: Array<ReasonCode | null>;
}

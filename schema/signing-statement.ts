/**
 * What a minister signs: a statement naming the document, the adopted text's fingerprint
 * (and that of each language version adopted with it), the delegation and the time,
 * serialised to one exact string. The browser signs that
 * string with the minister's own key; the server rebuilds it from its own facts and
 * compares byte for byte; anyone can verify it offline from an export.
 */
import { stableStringify } from "./hash.js";

/** The format tag of a statement: a verifier refuses any other. */
export const STATEMENT_FORMAT = "accord.signature-statement/1";

/** The signature algorithm of a minister's key, as WebCrypto and node:crypto name its parts. */
export const SIGNING_ALGORITHM = "ECDSA P-256 SHA-256 (IEEE P1363 signature)";

/** What the server knows before the minister signs: the document and the adopted text. */
export interface StatementBasis {
  format: typeof STATEMENT_FORMAT;
  documentId: string;
  title: string;
  /** The adopted version's symbol, with its revision (`… rev. 2`). */
  symbol: string;
  /** The revision number in the symbol (0 for none). */
  revision: number;
  versionId: string;
  /** When the text was adopted (the adopted version was stored). */
  adoptedAt: string;
  /** The canonical SHA-256 of the adopted text. */
  adoptedHash: string;
  /** The delegation the minister signs for. */
  delegation: string;
  /** The minister's username. */
  signer: string;
  /**
   * The other authentic texts adopted with it, one per language version (absent for a
   * document without language versions): the minister signs every language at once.
   */
  authenticTexts?: AuthenticText[];
}

/** One language version's adopted text, as a statement names it. */
export interface AuthenticText {
  language: string;
  documentId: string;
  /** The version of the language version stored by the adoption. */
  versionId: string;
  /** The canonical SHA-256 of its adopted text. */
  hash: string;
}

/** The full statement: the basis, when the minister signed, and the reservation they signed with. */
export interface SigningStatement extends StatementBasis {
  signedAt: string;
  reservation: { paragraphId: string | null; text: string } | null;
}

/** The exact string that is signed: sorted-key JSON without white space. */
export function statementText(statement: SigningStatement): string {
  return stableStringify(statement);
}

/** A key's fingerprint as people read it aloud: the SHA-256 hex in groups of four. */
export function groupedFingerprint(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(" ");
}

/**
 * The shapes the panels read from the API (`docs/API.md`). Amendments come from the
 * contract in schema/api/; brackets, reservations, signatures and provenance are still
 * declared here by hand, with optional fields, until they move there too.
 */
import type { DiffRun } from "../../../schema/diff.js";
import type { CanonicalDocument } from "../../../schema/canonical.js";

export type { DiffRun, CanonicalDocument };
export {
  AMENDMENT_OPERATIONS,
  AMENDMENT_STATES,
  type Amendment,
  type AmendmentOperation,
  type AmendmentState,
  type AmendmentWithDiff,
  type Recommendation,
} from "../../../schema/api/amendments.js";

/** A bracketed span and the delegations that hold it. */
export interface Bracket {
  id: string;
  /** Per-document label: B1, B2… */
  label?: string;
  paragraphId: string;
  /** How delegates cite the paragraph now (OP3). */
  paragraphRef?: string | null;
  group: string | null;
  text: string;
  holders: string[];
  /** Delegations or groups supporting the wording (absent on older servers). */
  supporters?: string[];
  /** `paragraphs` for a bracket around whole paragraphs (absent on older servers: `text`). */
  scope?: "text" | "paragraphs";
  /** Every paragraph it stands in, and how each is cited. */
  paragraphIds?: string[];
  paragraphRefs?: Array<string | null>;
  /** "Option 1" for a labelled alternative of whole paragraphs. */
  optionLabel?: string | null;
  noText?: boolean;
  state: "open" | "resolved" | "removed";
}

/** A paragraph annotation: "[Agreed ad ref]" or a facilitator's note. */
export interface Annotation {
  id: string;
  paragraphId: string;
  paragraphRef: string | null;
  kind: "agreed_ad_ref" | "facilitator";
  text: string;
}

/** `GET /api/documents/:id/brackets`. */
export interface BracketRegister {
  clean: boolean;
  brackets: Bracket[];
  byParagraph?: Record<string, unknown>;
  byHolder?: Record<string, unknown>;
  /** Why the document is not clean, where the server says. */
  reasons?: string[];
  /** Literal "[" and "]" in the text that are no real brackets (absent on older servers). */
  typed?: TypedBracket[];
}

/** A typed "[" (with its partner `close`, if any) or a lone "]" in a paragraph's text. */
export interface TypedBracket {
  paragraphId: string;
  paragraphRef: string | null;
  offset: number;
  close: number | null;
  excerpt: string;
}

export { PARAGRAPH_STATUSES, type ParagraphStatus, type ParagraphStatusInfo } from "../../../schema/status.js";

/** A reservation: a delegation's statement published as a footnote; it never changes the text. */
export interface Reservation {
  id?: string;
  delegation?: string;
  /** The paragraph it is about; null for the whole document. */
  paragraphId?: string | null;
  text: string;
  signatureId?: string | null;
  createdAt?: string;
}

/** A standing reservation as a numbered footnote, placed by its paragraph's current reference. */
export interface ReservationFootnote extends Reservation {
  footnote: number;
  ref: string | null;
}

/** One signature as the verification checks it. */
export interface SignatureCheck {
  id?: string;
  delegation: string;
  hash: string;
  /** Standing, intact, and of the adopted text. */
  valid: boolean;
  voided?: boolean;
  matchesCurrent?: boolean;
  problem?: string;
  username?: string;
  signedAt?: string;
  reservation?: Reservation | null;
}

/** `GET /api/documents/:id/verification`. */
export interface Verification {
  currentHash: string;
  adoptedHash: string | null;
  signatures: SignatureCheck[];
  audit?: { ok: boolean; brokenAt?: number | null };
  /** Delegations that must sign, and those that have not yet. */
  required?: string[];
  missing?: string[];
  reservations?: ReservationFootnote[];
  ok?: boolean;
  problems?: string[];
}

/** Provenance of one consolidated paragraph. */
export interface ProvenanceEntry {
  paragraphId: string;
  /** Its citation in the consolidated document (`OP3`), null for headings. */
  ref?: string | null;
  sourceDocumentId: string;
  sourceParagraphId: string;
  sourceSymbol?: string;
  sourceRef?: string | null;
  status: "same" | "changed" | "deleted";
  /** Whether the rapporteur still has to pull or decline this source change. */
  pending?: boolean;
  declined?: boolean;
  baseText?: string;
  sourceText?: string | null;
  diff?: DiffRun[];
  decision?: { action: "pulled" | "declined"; by: string | null; at: string };
}

/** A source paragraph that is not in the consolidated document. */
export interface OmittedParagraph {
  sourceDocumentId: string;
  sourceParagraphId: string;
  sourceRef: string | null;
  reason: "not_selected" | "added_to_source";
  text: string;
  inSource: boolean;
}

/** `GET /api/documents/:id/provenance`. */
export interface ProvenanceReport {
  sources?: Array<{ documentId: string; symbol: string; title: string; selection: "all" | "selected" }>;
  paragraphs: ProvenanceEntry[];
  omitted?: OmittedParagraph[];
  summary?: { same: number; changed: number; deleted: number; pending: number; omitted: number };
}


/**
 * The shapes the panels read from the API (`docs/API.md`). Amendments come from the
 * contract in schema/api/, and so do brackets, signatures and reservations; provenance is still
 * declared here by hand, with optional fields, until it moves there too.
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

export type { Bracket, BracketRegister, TypedBracket } from "../../../schema/api/brackets.js";

/** A paragraph annotation: "[Agreed ad ref]" or a facilitator's note. */
export interface Annotation {
  id: string;
  paragraphId: string;
  paragraphRef: string | null;
  kind: "agreed_ad_ref" | "facilitator";
  text: string;
}

export { PARAGRAPH_STATUSES, type ParagraphStatus, type ParagraphStatusInfo } from "../../../schema/status.js";

export type { CheckedSignature, ReservationFootnote, ReservationInfo, SealedChainCheck, SignatureInfo, Verification } from "../../../schema/api/signatures.js";

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


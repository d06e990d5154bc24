/**
 * The shapes the panels read from the API (`docs/API.md`). Amendments come from the
 * contract in schema/api/, and so do brackets, signatures, reservations and provenance;
 * annotations are still declared here by hand.
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

export type { OmittedParagraph, ParagraphProvenance, ProvenanceDecision, ProvenanceReport, ProvenanceStatus } from "../../../schema/api/provenance.js";

/**
 * The shapes the panels read from the API (`docs/API.md`). Amendments come from the
 * contract in schema/api/, and so do brackets, annotations, signatures, reservations and
 * provenance.
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

export type { Bracket, BracketHolders, BracketRegister, TypedBracket } from "../../../schema/api/brackets.js";

export type { Annotation, AnnotationKind } from "../../../schema/api/annotations.js";

export { PARAGRAPH_STATUSES, type ParagraphStatus, type ParagraphStatusInfo } from "../../../schema/status.js";

export type { CheckedSignature, ReservationFootnote, ReservationInfo, SealedChainCheck, SignatureInfo, SigningKeyInfo, SigningKeyList, Verification } from "../../../schema/api/signatures.js";

export type { Consolidation, OmittedParagraph, ParagraphProvenance, ProvenanceDecision, ProvenanceReport, ProvenanceStatus } from "../../../schema/api/provenance.js";

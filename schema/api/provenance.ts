/**
 * The provenance of a consolidated document as the API gives it (docs/API.md,
 * "Consolidation"): where each paragraph came from and how its source moved on since,
 * what a consolidation created, and the events that say so.
 */
import type { DiffRun } from "../diff.js";

/** Whether a source paragraph still reads as it did when copied (or last pulled). */
export type ProvenanceStatus = "same" | "changed" | "deleted";

/** The rapporteur's last decision on a source change. */
export interface ProvenanceDecision {
  action: "pulled" | "declined";
  /** Username of who decided. */
  by: string | null;
  at: string;
}

/** Where one consolidated paragraph came from and how its source has moved on since. */
export interface ParagraphProvenance {
  paragraphId: string;
  /** Its citation in the consolidated document (`OP3`), null for headings. */
  ref: string | null;
  sourceDocumentId: string;
  sourceParagraphId: string;
  /** The source document's current symbol. */
  sourceSymbol: string;
  /** The source paragraph's current citation, null when deleted or uncited. */
  sourceRef: string | null;
  status: ProvenanceStatus;
  /** Whether the rapporteur still has to pull or decline this source change. */
  pending: boolean;
  /** Whether the rapporteur declined exactly the source wording that stands now. */
  declined: boolean;
  /** The source wording as copied (or last pulled). */
  baseText: string;
  /** The source wording now; null when the source paragraph was deleted. */
  sourceText: string | null;
  /** Word diff from `baseText` to `sourceText`, when changed. */
  diff?: DiffRun[];
  decision?: ProvenanceDecision;
}

/** A source paragraph that is not in the consolidated document. */
export interface OmittedParagraph {
  sourceDocumentId: string;
  sourceParagraphId: string;
  sourceRef: string | null;
  /** `not_selected`: left out when consolidating; `added_to_source`: the source gained it since. */
  reason: "not_selected" | "added_to_source";
  /** Its current wording, or the wording when it was left out if it has since been deleted. */
  text: string;
  /** Whether it still exists in the source. */
  inSource: boolean;
}

/** A consolidated document's provenance report (`GET /api/documents/:id/provenance`). */
export interface ProvenanceReport {
  sources: Array<{
    documentId: string;
    symbol: string;
    title: string;
    selection: "all" | "selected";
    /** Canonical hash of the source when it was consolidated, and now. */
    hashAtCopy: string;
    currentHash: string;
  }>;
  paragraphs: ParagraphProvenance[];
  omitted: OmittedParagraph[];
  summary: { same: number; changed: number; deleted: number; pending: number; omitted: number };
}

/** What a consolidation created (`POST /api/meetings/:id/consolidations`, 201). */
export interface Consolidation {
  documentId: string;
  symbol: string;
  /** Paragraphs copied (section headings included). */
  copied: number;
  /** Source paragraphs deliberately left out. */
  omitted: number;
}

/** `consolidation.created` (on the new document and on each source): the new document and what it took from each source. */
export interface ConsolidationCreated {
  documentId: string;
  title: string;
  symbol: string;
  sources: Array<{
    documentId: string;
    symbol: string;
    selection: "all" | "selected";
    /** Canonical hash of the whole source as copied. */
    hash: string;
    copied: number;
    omitted: number;
  }>;
}

/** `provenance.source_changed` (on the consolidated document): source paragraphs it was copied from changed or were deleted. */
export interface SourceChanged {
  sourceDocumentId: string;
  sourceParagraphIds: string[];
  /** The consolidated paragraphs copied from them. */
  paragraphIds: string[];
}

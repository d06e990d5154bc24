/**
 * Language versions as the API gives them (docs/API.md, "Language versions"): each text of
 * a document with its paragraphs' translation status, and one version's paragraphs against
 * the original.
 */
import type { DiffRun } from "../diff.js";

/** Where a paragraph's translation stands against the original as it is now. */
export type TranslationStatus = "current" | "outdated" | "missing";

/** One paragraph of a language version, as `GET …/translation-status` answers it. */
export interface ParagraphTranslation {
  paragraphId: string;
  /** How the paragraph is cited (OP3, PP2, or its kind). */
  ref: string;
  status: TranslationStatus;
  /** For an outdated paragraph: the word diff of the original from the text translated to its text now. */
  originalDiff?: DiffRun[];
  /**
   * Brackets standing in the original paragraph that the translation does not mark yet
   * (a warning: the translator marks the corresponding words); absent when none.
   */
  missingBrackets?: string[];
}

/** Paragraph counts per status. */
export interface StatusCounts {
  current: number;
  outdated: number;
  missing: number;
}

/** One text of a document, as `GET /api/documents/:id/languages` lists it: the original or a language version. */
export interface LanguageEntry {
  language: string;
  documentId: string;
  original: boolean;
  paragraphs: StatusCounts;
}

/** `translation.changed` (on the version and on its original): a paragraph of the version `documentId` was marked translated. */
export interface TranslationChanged extends ParagraphTranslation {
  documentId: string;
  language: string;
}

/** `language.added` (on the original): the version `documentId` in `language` was added. */
export interface LanguageAdded {
  language: string;
  documentId: string;
}

/**
 * An import from Word or plain text as the API gives it (docs/API.md, "Import from Word or plain text"): the dry
 * run's account of what the file would become, and the document it created.
 */
import type { CanonicalDocument } from "../canonical.js";
import type { DocumentSummary } from "./documents.js";

/** Something the import could not place as the file meant it, named by where it is. */
export interface ImportWarning {
  /** How people cite the place ("OP3", "PP2", "title", `heading "Annex"`), or null for the whole file. */
  paragraph: string | null;
  warning: string;
}

/** The document fields printed above the title, as the file had them. Absent fields were not found. */
export interface Masthead {
  series?: string;
  symbol?: string;
  date?: string;
  originalLanguage?: string;
  distribution?: string;
  agendaItem?: string;
  sponsors?: string;
  /** Other lines of the masthead (the meeting's name, its dates and venue), in order. */
  lines: string[];
}

/** One of the masthead's named fields. */
export type MastheadField = Exclude<keyof Masthead, "lines">;

/** `POST /api/meetings/:id/documents/import?dryRun=1`: what the file would become, with everything found around it. Paragraphs are named as people cite them ("OP3"). */
export interface ImportDryRun {
  /** The canonical form of the document the import would create. */
  canonical: CanonicalDocument;
  warnings: ImportWarning[];
  title: string;
  symbol: string | null;
  masthead: Masthead;
  /** Numbers typed in the file's paragraphs ("3.", "(a)"), which the document numbers itself. */
  typedNumbers: Array<{ paragraph: string; typed: string }>;
  brackets: Array<{
    paragraph: string;
    paragraphs: string[];
    scope: "text" | "paragraphs";
    text: string;
    holders: string[];
    group: string | null;
    separator: string | null;
    optionLabel: string | null;
    noText: boolean;
  }>;
  footnotes: Array<{ paragraph: string; marker: string; text: string }>;
  annotations: Array<{ paragraph: string; kind: "agreed_ad_ref" | "facilitator"; annotation: string }>;
  counts: { blocks: number; leadIns: number; headings: number; preambular: number; operative: number; brackets: number; warnings: number };
}

/** `POST /api/meetings/:id/documents/import` (201): the document created, and what the import could not place. */
export interface ImportCreated {
  document: DocumentSummary;
  warnings: ImportWarning[];
}

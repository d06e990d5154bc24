/**
 * The neutral structure an imported file is read into, before it becomes a document:
 * blocks with their kind, level and typed number, text runs with bold, italic and the
 * brackets that enclose them, footnotes, the masthead, and every warning. It knows nothing
 * of ProseMirror or Yjs, so that the parser can be tested on its own and the document
 * model can grow without touching it.
 */
import type { ImportWarning, Masthead } from "../../schema/api/imports.js";

/** What a block is: the title, a lead-in ("THE GENERAL ASSEMBLY,", "RESOLVES:"), a section heading, a preambular or operative paragraph. */
export type ImportedKind = "title" | "lead-in" | "heading" | "pp" | "op";

/** What kind of section a heading opens, when the heading says so ("Annex", "Article 2", "Chapter III", "I."). */
export type SectionKind = "annex" | "article" | "chapter" | "part" | "section";

/** A run of text with the same formatting and the same enclosing brackets. */
export interface ImportedRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** Ids of the brackets enclosing this run, outermost first. */
  brackets?: string[];
}

/** A footnote: where its marker stood (UTF-16 offset into the block's text) and what it says. */
export interface ImportedFootnote {
  offset: number;
  /** The marker as the file had it ("1", "*"); Accord renumbers footnotes when printing. */
  marker: string;
  text: string;
}

/** One block of the imported document. */
export interface ImportedBlock {
  kind: ImportedKind;
  /** Sub-paragraph level (0 → "1.", 1 → "(a)", 2 → "(i)"); heading depth (1…3) for headings. */
  level: number;
  /** The number the file typed before the text ("2 bis", "(a)", "PP3"), stripped from the text; null when none was typed. */
  typedNumber: string | null;
  /** For a heading: the kind of section it opens, when recognisable. */
  section: SectionKind | null;
  /**
   * The label the typed number gives the paragraph within its group ("2 bis", "a", "iv";
   * "3" for a typed PP3), kept as its number; null when none was typed.
   */
  label: string | null;
  /**
   * The block's numbering rule when not the default: a section heading whose paragraphs
   * restart at 1 (`annex`, `article`, `chapter`, `section`), or `unnumbered` for an
   * operative paragraph printed without a number among numbered ones.
   */
  numbering?: string;
  runs: ImportedRun[];
  footnotes: ImportedFootnote[];
  /** Notes the file attached to the paragraph rather than to its text: "[Agreed ad ref]", a facilitator's "{…}". */
  annotations: ImportedAnnotation[];
  /** Where the block came from in the file ("paragraph 12", "line 40"), for warnings. */
  source: string;
}

/** A paragraph annotation: "[Agreed ad ref]" after the paragraph, or a facilitator's note in braces. */
export interface ImportedAnnotation {
  kind: "agreed_ad_ref" | "facilitator";
  /** "Agreed ad ref", or the note's words without its braces. */
  text: string;
}

/** A bracket found typed in the text, now a real one. */
export interface ImportedBracket {
  id: string;
  /** Index of its (first) block in `ImportedDocument.blocks`. */
  block: number;
  /** `text`: a span of its block; `paragraphs`: whole consecutive blocks (`blocks`). */
  scope: "text" | "paragraphs";
  /** Every block it stands in, in order (`[block]` for a span). */
  blocks: number[];
  /** "Option 1" for a labelled alternative of whole paragraphs; else null. */
  optionLabel: string | null;
  /** The option "No text". */
  noText: boolean;
  /** The option group it belongs to (`[a][b]`, `[a / b]`), or null for a lone bracket. */
  group: string | null;
  /** The text that separated it from the previous option of its group (" / "), or null. */
  separator: string | null;
  /** Delegations (or groups) named as holding it; empty: held by nobody, still open. */
  holders: string[];
  /** The bracketed words. */
  text: string;
}

/** What an import found in a file. */
export interface ImportedDocument {
  title: string;
  masthead: Masthead;
  blocks: ImportedBlock[];
  brackets: ImportedBracket[];
  warnings: ImportWarning[];
}

/** What the parser may know of the meeting: the codes a bracket's holder list may name. */
export interface ImportOptions {
  /** Upper-case codes of delegations and groups that may hold a bracket; when absent any code-like name is accepted. */
  holders?: ReadonlySet<string>;
  /** Title to use when the file has none. */
  title?: string;
}

/**
 * A file as read, before any structure is recognised: its paragraphs in order, each a list
 * of runs with formatting, the Word list it belongs to (if any) and where it stood in the
 * file. Both the DOCX and the plain-text readers produce this.
 */

/** A run of text as the file formatted it. A footnote reference is a run with `note` and no text. */
export interface SourceRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** The footnote anchored here: its marker and text. */
  note?: { marker: string; text: string };
}

/** One paragraph of the file. */
export interface SourceParagraph {
  runs: SourceRun[];
  /** Word's own list numbering: the list level (0-based) and whether it is numbered rather than bulleted. */
  list: { level: number; ordered: boolean } | null;
  /** Word's paragraph style name ("Heading 1", "Title"), or null. */
  style: string | null;
  /** Where it stood in the file ("paragraph 12", "line 40"). */
  source: string;
}

/** A file's paragraphs and what reading it already found wrong. */
export interface SourceDocument {
  paragraphs: SourceParagraph[];
  /** Footnotes typed at the end of a plain text ("1 See …" after a rule), by marker. */
  typedNotes: Map<string, string>;
  /** Warnings about the whole file (tracked changes, comments, macros…). */
  warnings: string[];
}

const BOLD = 1;
const ITALIC = 2;

/**
 * A paragraph flattened to one string with per-character formatting bits, and its
 * footnotes at character offsets: the form in which numbering and brackets are found.
 */
export interface FlatParagraph {
  text: string;
  /** Per UTF-16 unit: bit 1 bold, bit 2 italic. */
  format: Uint8Array;
  notes: Array<{ offset: number; marker: string; text: string }>;
  list: SourceParagraph["list"];
  style: string | null;
  source: string;
}

/** Flattens a paragraph; tabs and line breaks become spaces, leading and trailing space is trimmed. */
export function flatten(paragraph: SourceParagraph): FlatParagraph {
  let text = "";
  const bits: number[] = [];
  const notes: FlatParagraph["notes"] = [];
  for (const run of paragraph.runs) {
    if (run.note) notes.push({ offset: text.length, ...run.note });
    const clean = run.text.replace(/[\t\r\n\u000b\u00a0]/g, " ");
    const b = (run.bold ? BOLD : 0) | (run.italic ? ITALIC : 0);
    text += clean;
    for (let i = 0; i < clean.length; i++) bits.push(b);
  }
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  const trimmed = start < end ? text.slice(start, end) : "";
  return {
    text: trimmed,
    format: Uint8Array.from(bits.slice(start, Math.max(start, end))),
    notes: notes.map((n) => ({ ...n, offset: Math.min(Math.max(0, n.offset - start), trimmed.length) })),
    list: paragraph.list,
    style: paragraph.style,
    source: paragraph.source,
  };
}

/** Whether a format value is bold / italic. */
export const isBold = (f: number): boolean => (f & BOLD) !== 0;
/** @see isBold */
export const isItalic = (f: number): boolean => (f & ITALIC) !== 0;

/** Cuts the first `n` characters off a flat paragraph (a typed number), and the space after them. */
export function dropPrefix(flat: FlatParagraph, n: number): FlatParagraph {
  const rest = flat.text.slice(n);
  const skip = n + (rest.length - rest.trimStart().length);
  return {
    ...flat,
    text: flat.text.slice(skip),
    format: flat.format.slice(skip),
    notes: flat.notes.map((note) => ({ ...note, offset: Math.max(0, note.offset - skip) })),
  };
}

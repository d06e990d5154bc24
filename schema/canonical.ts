import { blockText, type Block } from "./blocks.js";
import { numberBlocks } from "./numbering.js";
import { sha256Hex, stableStringify } from "./hash.js";

/** Identifies the canonical format, so that a future change of form changes every hash. */
export const CANONICAL_FORMAT = "accord.canonical/1";

/** A bracket's span in a canonical paragraph: UTF-16 offsets into the NFC text. */
export interface CanonicalBracket {
  id: string;
  group: string | null;
  from: number;
  to: number;
}

/** One block of the canonical form. */
export interface CanonicalParagraph {
  id: string;
  kind: Block["kind"];
  level: number;
  number: string | null;
  ref: string | null;
  text: string;
  brackets: CanonicalBracket[];
}

/**
 * The text-only, history-free form of a document that is hashed, signed and compared:
 * every block in order with its id, kind, level, computed number, NFC text and bracket
 * spans. Formatting (italic, bold) and editing history do not enter it.
 */
export interface CanonicalDocument {
  format: typeof CANONICAL_FORMAT;
  paragraphs: CanonicalParagraph[];
}

/** The bracket spans of one block, sorted by start, then longest first, then id. */
export function bracketSpans(block: Block): CanonicalBracket[] {
  const spans = new Map<string, CanonicalBracket>();
  let offset = 0;
  for (const run of block.runs) {
    const text = run.text.normalize("NFC");
    for (const b of run.brackets ?? []) {
      const span = spans.get(b.id);
      if (span) span.to = offset + text.length;
      else spans.set(b.id, { id: b.id, group: b.group, from: offset, to: offset + text.length });
    }
    offset += text.length;
  }
  return [...spans.values()].sort((a, b) => a.from - b.from || b.to - a.to || (a.id < b.id ? -1 : 1));
}

/** The canonical form of a sequence of blocks. */
export function canonicalize(blocks: readonly Block[]): CanonicalDocument {
  const numbers = numberBlocks(blocks);
  return {
    format: CANONICAL_FORMAT,
    paragraphs: blocks.map((block, i) => ({
      id: block.id,
      kind: block.kind,
      level: block.level,
      number: numbers[i]!.number,
      ref: numbers[i]!.ref,
      text: blockText(block).normalize("NFC"),
      brackets: bracketSpans(block),
    })),
  };
}

/** SHA-256 (hex) of the canonical JSON (sorted keys, no white space) of a document. */
export function canonicalHash(canonical: CanonicalDocument): string {
  return sha256Hex(stableStringify(canonical));
}

/** Hash of a single paragraph's text, used to notice that an amendment's base moved. */
export function textHash(text: string): string {
  return sha256Hex(text.normalize("NFC"));
}

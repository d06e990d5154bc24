import { blockText, type Block } from "./blocks.js";
import { numberBlocks, numberBlocksV1, type BlockNumber, type FrozenLabel, type FrozenLabels } from "./numbering.js";
import { sha256Hex, stableStringify } from "./hash.js";

/**
 * The first canonical format: numbers computed from the order alone, no numbering rules.
 * A document that uses nothing the second adds is still written in it, byte for byte as
 * before, so its hashes (stored versions, signatures) stay what they were.
 */
export const CANONICAL_FORMAT_V1 = "accord.canonical/1";

/**
 * The current canonical format: every block also names its numbering rule (`numbering`),
 * and numbers may be frozen under negotiation ("7 bis"), restarted by sections ("Article 2
 * OP1", "Annex OP3"), absent (unnumbered paragraphs) or top-level letters ("OP(a)").
 */
export const CANONICAL_FORMAT = "accord.canonical/2";

/** One of the canonical formats (see docs/model.md). */
export type CanonicalFormat = typeof CANONICAL_FORMAT_V1 | typeof CANONICAL_FORMAT;

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
  /**
   * Format 2 only: the block's numbering rule, for a heading (`none`, `section`, `chapter`,
   * `article`, `annex`) or a paragraph (`numbered`, `unnumbered`); null for other blocks.
   */
  numbering?: string | null;
  text: string;
  brackets: CanonicalBracket[];
}

/**
 * The text-only, history-free form of a document that is hashed, signed and compared:
 * every block in order with its id, kind, level, computed number, NFC text and bracket
 * spans. Formatting (italic, bold) and editing history do not enter it.
 */
export interface CanonicalDocument {
  format: CanonicalFormat;
  paragraphs: CanonicalParagraph[];
}

/** A block's numbering rule as format 2 writes it: the default spelled out, null for blocks that have none. */
export function numberingRule(block: Pick<Block, "kind" | "numbering">): string | null {
  if (block.kind === "heading") return block.numbering ?? "none";
  if (block.kind === "pp" || block.kind === "op") return block.numbering ?? "numbered";
  return null;
}

/**
 * The format a document's canonical form is written in: the first when it says everything
 * (no block has a numbering rule other than the default, and the numbers are the ones the
 * first format's rule computes), else the current one.
 */
export function canonicalFormatOf(blocks: readonly Pick<Block, "kind" | "level" | "numbering">[], numbers: readonly Pick<BlockNumber, "number" | "ref">[]): CanonicalFormat {
  if (blocks.some((b) => b.numbering !== undefined)) return CANONICAL_FORMAT;
  const v1 = numberBlocksV1(blocks);
  for (let i = 0; i < v1.length; i++) if (v1[i]!.number !== numbers[i]!.number || v1[i]!.ref !== numbers[i]!.ref) return CANONICAL_FORMAT;
  return CANONICAL_FORMAT_V1;
}

/** One canonical paragraph in `format`: format 1 has no `numbering` key at all. */
export function canonicalParagraph(
  format: CanonicalFormat,
  block: Pick<Block, "id" | "kind" | "level" | "numbering">,
  number: Pick<BlockNumber, "number" | "ref">,
  text: string,
  brackets: CanonicalBracket[],
): CanonicalParagraph {
  const paragraph: CanonicalParagraph = { id: block.id, kind: block.kind, level: block.level, number: number.number, ref: number.ref, text, brackets };
  if (format !== CANONICAL_FORMAT_V1) paragraph.numbering = numberingRule(block);
  return paragraph;
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

/** The canonical form of a sequence of blocks, numbered with the document's frozen labels when it has them. */
export function canonicalize(blocks: readonly Block[], frozen?: FrozenLabels): CanonicalDocument {
  const numbers = numberBlocks(blocks, frozen);
  const format = canonicalFormatOf(blocks, numbers);
  return {
    format,
    paragraphs: blocks.map((block, i) => canonicalParagraph(format, block, numbers[i]!, blockText(block).normalize("NFC"), bracketSpans(block))),
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

/**
 * The labels a canonical form's numbers were given with, by paragraph id: what a stored
 * version's Yjs state is numbered with to show the numbers that were hashed ("7 bis" stays
 * "7 bis"). Unnumbered paragraphs have none.
 */
export function frozenLabelsOf(canonical: CanonicalDocument): Map<string, FrozenLabel> {
  const labels = new Map<string, FrozenLabel>();
  for (const p of canonical.paragraphs) {
    let label: string | null = null;
    if (p.kind === "op" && p.number !== null) label = p.number.replace(/^\((.*)\)$/, "$1");
    else if (p.kind === "pp" && p.ref !== null && p.numbering !== "unnumbered") label = /PP(.+)$/.exec(p.ref)?.[1] ?? null;
    if (label !== null) labels.set(p.id, { kind: p.kind, level: Math.max(0, Math.min(2, p.level)), label });
  }
  return labels;
}

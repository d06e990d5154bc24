import type { BlockType } from "./schema.js";
import type { ParagraphKind } from "./nodes/paragraph.js";

/** What a block is, as the negotiation sees it. */
export type BlockKind = "title" | "chapeau" | "heading" | ParagraphKind;

/** A bracket as it stands in a run of text. */
export interface BracketRef {
  id: string;
  group: string | null;
}

/** A run of text with the same marks. */
export interface Run {
  text: string;
  em?: boolean;
  strong?: boolean;
  /** The brackets enclosing this run, outermost first as stored. */
  brackets?: BracketRef[];
}

/**
 * A block of the document independent of ProseMirror and Yjs: the shape in which the
 * server reads, hashes, diffs and writes text.
 */
export interface Block {
  id: string;
  type: BlockType;
  kind: BlockKind;
  level: number;
  runs: Run[];
}

/** The plain text of a block (marks dropped, not normalised). */
export function blockText(block: Block): string {
  let text = "";
  for (const run of block.runs) text += run.text;
  return text;
}

/** The kind of a block given its node type and attributes. */
export function kindOf(type: BlockType, attrs: { kind?: unknown }): BlockKind {
  if (type === "paragraph") return attrs.kind === "pp" ? "pp" : "op";
  return type;
}

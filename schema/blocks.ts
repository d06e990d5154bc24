import type { BlockKind, BlockType } from "./nodes/index.js";
import { nodeDescriptor } from "./nodes/index.js";
import type { PlainMarkType } from "./marks/index.js";

export type { BlockKind } from "./nodes/index.js";

/** A bracket as it stands in a run of text. */
export interface BracketRef {
  id: string;
  group: string | null;
}

/**
 * A run of text with the same marks: one flag per plain mark (`em`, `strong`, …, from the
 * mark descriptors) and the brackets around it.
 */
export type Run = { text: string; /** The brackets enclosing this run, outermost first as stored. */ brackets?: BracketRef[] } & {
  [M in PlainMarkType]?: boolean;
};

/**
 * A block of the document independent of ProseMirror and Yjs: the shape in which the
 * server reads, hashes, diffs and writes text.
 */
export interface Block {
  id: string;
  type: BlockType;
  kind: BlockKind;
  level: number;
  /**
   * The block's numbering rule when not the default (`HEADING_NUMBERINGS`,
   * `PARAGRAPH_NUMBERINGS`); absent for the default.
   */
  numbering?: string;
  runs: Run[];
}

/** The plain text of a block (marks dropped, not normalised). */
export function blockText(block: Block): string {
  let text = "";
  for (const run of block.runs) text += run.text;
  return text;
}

/** The kind of a block given its node type and attributes. */
export function kindOf(type: BlockType, attrs: Readonly<Record<string, unknown>>): BlockKind {
  return nodeDescriptor(type)!.read(attrs).kind;
}

/** A block's kind and level read from its stored attributes, by its type's descriptor. */
export function readAttributes(type: BlockType, attrs: Readonly<Record<string, unknown>>): { kind: BlockKind; level: number; numbering?: string } {
  return nodeDescriptor(type)!.read(attrs);
}

/** The attributes stored for a block (ProseMirror JSON and Yjs alike), in spec order. */
export function attributesOf(block: Block): Record<string, string | number> {
  return nodeDescriptor(block.type)!.write(block);
}

/** The same runs without their brackets (formatting kept). */
export function withoutBrackets(runs: readonly Run[]): Run[] {
  return runs.map(({ brackets: _dropped, ...rest }) => rest);
}

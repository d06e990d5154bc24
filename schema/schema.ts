import { Schema, type MarkSpec, type NodeSpec } from "prosemirror-model";
import { NODES, nodeDescriptor, type BlockType } from "./nodes/index.js";
import { MARKS, type MarkType } from "./marks/index.js";
import { nodeSpecOf } from "./nodes/node.js";

export type { BlockType, BlockKind } from "./nodes/index.js";
export type { MarkType, PlainMarkType } from "./marks/index.js";

/**
 * The ProseMirror schema of an outcome document: a title, then chapeaux, section headings
 * and paragraphs in any order. Every block is a direct child of the document, so that a
 * paragraph's identity never depends on a wrapper, and sub-paragraphs are a `level`
 * attribute rather than nesting. Built from the node and mark descriptors
 * (`schema/nodes/`, `schema/marks/`); every block allows every mark.
 */
export const documentSchema = new Schema({
  nodes: {
    doc: { content: `${NODES.filter((n) => n.placement === "first").map((n) => n.name).join(" | ")} block*` },
    ...Object.fromEntries(NODES.map((n): [string, NodeSpec] => [n.name, nodeSpecOf(n)])),
    text: { group: "inline" },
  },
  marks: Object.fromEntries(MARKS.map((m): [string, MarkSpec] => [m.name, m.spec])),
});

/** Names of the block node types, in the order the schema declares them. */
export const BLOCK_TYPES: readonly BlockType[] = NODES.map((n) => n.name);

/** Names of the mark types. */
export const MARK_TYPES: readonly MarkType[] = MARKS.map((m) => m.name);

/** Whether `name` is a block node type of the document schema. */
export function isBlockType(name: string): name is BlockType {
  return nodeDescriptor(name) !== undefined;
}

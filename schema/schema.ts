import { Schema, type MarkSpec, type NodeSpec } from "prosemirror-model";
import { NODES, nodeDescriptor, type BlockType } from "./nodes/index.js";
import { MARKS } from "./marks/index.js";
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

/** Whether `name` is a block node type of the document schema. */
export function isBlockType(name: string): name is BlockType {
  return nodeDescriptor(name) !== undefined;
}

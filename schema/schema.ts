import { Schema } from "prosemirror-model";
import { title } from "./nodes/title.js";
import { chapeau } from "./nodes/chapeau.js";
import { heading } from "./nodes/heading.js";
import { paragraph } from "./nodes/paragraph.js";
import { bracket } from "./marks/bracket.js";
import { em, strong } from "./marks/emphasis.js";

/**
 * The ProseMirror schema of an outcome document: a title, then chapeaux, section headings
 * and paragraphs in any order. Every block is a direct child of the document, so that a
 * paragraph's identity never depends on a wrapper, and sub-paragraphs are a `level`
 * attribute rather than nesting.
 */
export const documentSchema = new Schema({
  nodes: {
    doc: { content: "title block*" },
    title,
    chapeau,
    heading,
    paragraph,
    text: { group: "inline" },
  },
  marks: { em, strong, bracket },
});

/** Names of the block node types, in the order the editor offers them. */
export const BLOCK_TYPES = ["title", "chapeau", "heading", "paragraph"] as const;
/** One of the block node types. */
export type BlockType = (typeof BLOCK_TYPES)[number];

/** Names of the mark types. */
export const MARK_TYPES = ["em", "strong", "bracket"] as const;
/** One of the mark types. */
export type MarkType = (typeof MARK_TYPES)[number];

/** Whether `name` is a block node type of the document schema. */
export function isBlockType(name: string): name is BlockType {
  return (BLOCK_TYPES as readonly string[]).includes(name);
}

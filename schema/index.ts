/**
 * The isomorphic core of Accord: schema, block model, numbering, canonical form and hash,
 * and the Yjs encoding of text. No I/O; used by the server and the editor alike.
 */
export * from "./schema.js";
export * from "./blocks.js";
export * from "./ids.js";
export * from "./numbering.js";
export * from "./canonical.js";
export * from "./hash.js";
export * from "./ykeys.js";
export * from "./rules.js";
export * from "./yfragment.js";
export * from "./pmjson.js";
export * from "./roles.js";
export { MAX_PARAGRAPH_LEVEL, PARAGRAPH_NUMBERINGS, type ParagraphKind, type ParagraphNumbering } from "./nodes/paragraph.js";
export { MAX_HEADING_LEVEL, HEADING_NUMBERINGS, type HeadingNumbering } from "./nodes/heading.js";
export * from "./diff.js";
export * from "./status.js";
export { NODES, nodeDescriptor, BLOCK_ATTRIBUTE_NAMES } from "./nodes/index.js";
export { MARKS, markDescriptor, PLAIN_MARKS, isPlainMark } from "./marks/index.js";
export type { NodeDescriptor, AttributeRule } from "./nodes/node.js";
export type { MarkDescriptor } from "./marks/mark.js";
export * from "./typed-brackets.js";

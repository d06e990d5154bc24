import { title } from "./title.js";
import { chapeau } from "./chapeau.js";
import { heading } from "./heading.js";
import { paragraph } from "./paragraph.js";
import type { NodeDescriptor } from "./node.js";

/**
 * Every block node type of an outcome document, in the order the schema declares them
 * (ProseMirror picks the first `block` type as the default block). The one list of block
 * types: the schema, `BlockType`, `BlockKind`, validation, the Yjs encoding and the
 * canonical form all come from here. A new block type is a descriptor file in this
 * folder and one entry here.
 */
export const NODES = [title, chapeau, heading, paragraph] as const;

/** One of the block node types. */
export type BlockType = (typeof NODES)[number]["name"];

/** What a block is, as the negotiation sees it (`paragraph` is `pp` or `op`). */
export type BlockKind = (typeof NODES)[number]["kinds"][number];

const BY_NAME = new Map<string, NodeDescriptor<BlockType, BlockKind>>(NODES.map((n) => [n.name, n]));

/** The descriptor of a block type by name, or undefined for a name the schema does not know. */
export function nodeDescriptor(name: string): NodeDescriptor<BlockType, BlockKind> | undefined {
  return BY_NAME.get(name);
}

/** Every attribute name any block type declares (a client may set no other). */
export const BLOCK_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(NODES.flatMap((n) => Object.keys(n.attributes)));

import type * as Y from "yjs";
import { blocksOfDoc, type Block } from "../../schema/index.js";

/** A paragraph as it stood before an update removed it from the text. */
export interface RemovedParagraph {
  block: Block;
  /** Its index among the document's blocks (the title is 0). */
  position: number;
  /** The blocks on either side of it then (null at an end). */
  previousId: string | null;
  nextId: string | null;
}

/** The paragraphs `ids` as they stood in `before` (the text just before they were removed). */
export function removedParagraphs(before: Y.Doc, ids: ReadonlySet<string>): RemovedParagraph[] {
  const blocks = blocksOfDoc(before);
  const removed: RemovedParagraph[] = [];
  blocks.forEach((block, position) => {
    if (!ids.has(block.id)) return;
    removed.push({ block, position, previousId: blocks[position - 1]?.id ?? null, nextId: blocks[position + 1]?.id ?? null });
  });
  return removed;
}

import { withoutBrackets, type Block, type Run } from "../../schema/blocks.js";
import { newId } from "../../schema/ids.js";
import { MAX_HEADING_LEVEL } from "../../schema/nodes/heading.js";

/**
 * Runs as a consolidated document takes them from a source: wording and emphasis kept,
 * brackets dropped, because a bracket belongs to the negotiation of its own document (its
 * holders are rows there) and would stand unexplained anywhere else.
 */
export function plainRuns(runs: readonly Run[]): Run[] {
  return withoutBrackets(runs);
}

/**
 * A source block as it stands in the consolidated document, with a fresh id: the source's
 * title becomes its section heading, and the source's own headings sit one level below it.
 */
export function copyOf(block: Block): Block {
  if (block.type === "title") return { id: newId("p"), type: "heading", kind: "heading", level: 1, runs: plainRuns(block.runs) };
  if (block.type === "heading") {
    const level = Math.min(MAX_HEADING_LEVEL, block.level + 1);
    return { id: newId("p"), type: "heading", kind: "heading", level, runs: plainRuns(block.runs) };
  }
  return { ...block, id: newId("p"), runs: plainRuns(block.runs) };
}

import { Plugin, PluginKey } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import { kindOf, type BlockKind } from "../../../schema/blocks.js";
import { isBlockType } from "../../../schema/schema.js";
import { numberBlocks } from "../../../schema/numbering.js";

/** Key of the numbering plugin. */
const numberingKey = new PluginKey<DecorationSet>("accord-numbering");

/** The negotiation kind of a top-level block of the document. */
function blockKind(block: PMNode): BlockKind {
  const name = block.type.name;
  return isBlockType(name) ? kindOf(name, block.attrs) : "chapeau";
}

/** How the label of an operative paragraph is printed: "1." for a paragraph, "(a)" as is. */
export function printedNumber(number: string): string {
  return number.startsWith("(") ? number : `${number}.`;
}

/**
 * Operative numbers ("1.", "(a)", "(i)") and citations ("OP1(a)", "PP3") as attributes on
 * each paragraph, drawn by the style sheet in the margin. They are computed by
 * `numberBlocks`, the same function the server's canonical form uses, so the page and
 * the hash never disagree, and they are never part of the text.
 */
function numberDecorations(doc: PMNode): DecorationSet {
  const blocks: Array<{ kind: BlockKind; level: number; pos: number; node: PMNode }> = [];
  doc.forEach((node, pos) => blocks.push({ kind: blockKind(node), level: Number(node.attrs.level ?? 0), pos, node }));
  const numbers = numberBlocks(blocks);
  const decorations: Decoration[] = [];
  blocks.forEach((block, i) => {
    const { number, ref } = numbers[i]!;
    if (number === null && ref === null) return;
    const attrs: Record<string, string> = {};
    if (number !== null) attrs["data-number"] = printedNumber(number);
    if (ref !== null) attrs["data-ref"] = ref;
    decorations.push(Decoration.node(block.pos, block.pos + block.node.nodeSize, attrs));
  });
  return DecorationSet.create(doc, decorations);
}

/** Renumbers on every change of the text; a 300-paragraph document takes well under a millisecond. */
export function numberingPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: numberingKey,
    state: {
      init: (_config, state) => numberDecorations(state.doc),
      apply: (tr, previous) => (tr.docChanged ? numberDecorations(tr.doc) : previous),
    },
    props: {
      decorations: (state) => numberingKey.getState(state),
    },
  });
}

import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import { readAttributes } from "../../../schema/blocks.js";
import { isBlockType } from "../../../schema/schema.js";
import { numberBlocks, type FrozenLabels, type NumberedBlock } from "../../../schema/numbering.js";

/** What the numbering plugin keeps: the frozen labels it numbers with and the decorations drawn from them. */
interface NumberingState {
  frozen: FrozenLabels;
  decorations: DecorationSet;
}

/** Key of the numbering plugin. */
const numberingKey = new PluginKey<NumberingState>("accord-numbering");

/** How the label of an operative paragraph is printed: "1." and "7 bis." for a paragraph, "(a)" as is. */
export function printedNumber(number: string): string {
  return number.startsWith("(") ? number : `${number}.`;
}

/**
 * Operative numbers ("1.", "7 bis.", "(a)", "(i)") and citations ("OP1(a)", "PP3",
 * "Annex OP2") as attributes on each paragraph, drawn by the style sheet in the margin.
 * They are computed by `numberBlocks` with the document's frozen labels (under
 * negotiation), the same function and labels the server's canonical form uses, so the page
 * and the hash never disagree, and they are never part of the text.
 */
function numberDecorations(doc: PMNode, frozen: FrozenLabels): DecorationSet {
  const blocks: Array<NumberedBlock & { pos: number; node: PMNode }> = [];
  doc.forEach((node, pos) => {
    const name = node.type.name;
    const read = isBlockType(name) ? readAttributes(name, node.attrs) : { kind: "chapeau" as const, level: 0 };
    blocks.push({ ...read, id: typeof node.attrs.id === "string" ? node.attrs.id : undefined, pos, node });
  });
  const numbers = numberBlocks(blocks, frozen);
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

/** A transaction that numbers the text with the document's frozen labels from now on (as `GET /api/documents/:id/numbering` gives them). */
export function setFrozenLabels(state: EditorState, frozen: FrozenLabels): Transaction {
  return state.tr.setMeta(numberingKey, frozen);
}

/** The frozen labels the text is numbered with now. */
export function frozenLabelsOfState(state: EditorState): FrozenLabels {
  return numberingKey.getState(state)?.frozen ?? new Map();
}

/** Renumbers on every change of the text and of the frozen labels; a 300-paragraph document takes well under a millisecond. */
export function numberingPlugin(): Plugin<NumberingState> {
  return new Plugin<NumberingState>({
    key: numberingKey,
    state: {
      init: (_config, state) => ({ frozen: new Map(), decorations: numberDecorations(state.doc, new Map()) }),
      apply: (tr, previous) => {
        const frozen = tr.getMeta(numberingKey) as FrozenLabels | undefined;
        if (frozen) return { frozen, decorations: numberDecorations(tr.doc, frozen) };
        return tr.docChanged ? { frozen: previous.frozen, decorations: numberDecorations(tr.doc, previous.frozen) } : previous;
      },
    },
    props: {
      decorations: (state) => numberingKey.getState(state)?.decorations,
    },
  });
}

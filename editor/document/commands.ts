import { TextSelection, type Command, type EditorState } from "prosemirror-state";
import { splitBlockAs, toggleMark } from "prosemirror-commands";
import type { Node as PMNode } from "prosemirror-model";
import { documentSchema, type PlainMarkType } from "../../schema/schema.js";
import { MAX_PARAGRAPH_LEVEL, type ParagraphKind } from "../../schema/nodes/paragraph.js";
import type { HeadingNumbering } from "../../schema/nodes/heading.js";

const paragraphType = documentSchema.nodes.paragraph!;
const headingType = documentSchema.nodes.heading!;

/** The top-level block the selection starts in, with its position. */
function currentBlock(state: EditorState): { node: PMNode; pos: number } | null {
  const $from = state.selection.$from;
  if ($from.depth < 1) return null;
  return { node: $from.node(1), pos: $from.before(1) };
}

/**
 * The kind a new paragraph takes below a title, chapeau or heading: that of the nearest
 * paragraph after it (the section it opens), else before it, else operative.
 */
function kindNear(doc: PMNode, index: number): ParagraphKind {
  for (let i = index + 1; i < doc.childCount; i++) {
    const child = doc.child(i);
    if (child.type === paragraphType) return child.attrs.kind as ParagraphKind;
  }
  for (let i = index - 1; i >= 0; i--) {
    const child = doc.child(i);
    if (child.type === paragraphType) return child.attrs.kind as ParagraphKind;
  }
  return "op";
}

/**
 * Enter: splits the block. A paragraph continues as a paragraph of the same kind and
 * level; at the end of a title, chapeau or heading a paragraph follows (not another
 * chapeau, ProseMirror's default). The new block's id is left empty for the id plugin.
 */
export const splitParagraph: Command = (state, dispatch) =>
  splitBlockAs((node, atEnd, $from) => {
    if (node.type === paragraphType) return { type: paragraphType, attrs: { ...node.attrs, id: null } };
    if (atEnd) return { type: paragraphType, attrs: { id: null, kind: kindNear(state.doc, $from.index(0)), level: 0 } };
    return { type: node.type, attrs: { ...node.attrs, id: null } };
  })(state, dispatch);

/**
 * Adds an empty preambular or operative paragraph after the block the caret is in and
 * puts the caret in it. An operative paragraph below an operative one keeps its level, so
 * that adding under "(a)" gives "(b)".
 */
export function addParagraph(kind: ParagraphKind): Command {
  return (state, dispatch) => {
    const block = currentBlock(state);
    if (!block) return false;
    const level = kind === "op" && block.node.type === paragraphType && block.node.attrs.kind === "op" ? Number(block.node.attrs.level) : 0;
    const at = block.pos + block.node.nodeSize;
    if (dispatch) {
      const tr = state.tr.insert(at, paragraphType.create({ id: null, kind, level }));
      tr.setSelection(TextSelection.create(tr.doc, at + 1)).scrollIntoView();
      dispatch(tr);
    }
    return true;
  };
}

/** Changes the level of every paragraph the selection touches by `delta` (indent +1, outdent −1). */
function shiftLevel(delta: 1 | -1): Command {
  return (state, dispatch) => {
    const { from, to } = state.selection;
    const changes: Array<{ pos: number; node: PMNode; level: number }> = [];
    state.doc.nodesBetween(from, to, (node, pos) => {
      if (node.type !== paragraphType) return false;
      const level = Number(node.attrs.level) + delta;
      if (level >= 0 && level <= MAX_PARAGRAPH_LEVEL) changes.push({ pos, node, level });
      return false;
    });
    if (changes.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      for (const { pos, node, level } of changes) tr.setNodeMarkup(pos, undefined, { ...node.attrs, level });
      dispatch(tr);
    }
    return true;
  };
}

/** Makes the paragraph a sub-paragraph one level deeper: "2." → "(a)" → "(i)". */
export const indentParagraph: Command = shiftLevel(1);

/** Brings the paragraph one level up: "(i)" → "(a)" → "2.". */
export const outdentParagraph: Command = shiftLevel(-1);

/**
 * Turns the paragraphs the selection touches from preambular into operative or back (all
 * take the opposite of the first one's kind), e.g. when a clause is moved to the other part.
 */
export const toggleParagraphKind: Command = (state, dispatch) => {
  const paragraphs = blocksOfType(state, paragraphType);
  if (paragraphs.length === 0) return false;
  const kind: ParagraphKind = paragraphs[0]!.node.attrs.kind === "pp" ? "op" : "pp";
  if (dispatch) {
    const tr = state.tr;
    for (const { pos, node } of paragraphs) tr.setNodeMarkup(pos, undefined, { ...node.attrs, kind });
    dispatch(tr);
  }
  return true;
};

/** The top-level blocks of `type` the selection touches, with their positions. */
function blocksOfType(state: EditorState, type: typeof paragraphType): Array<{ pos: number; node: PMNode }> {
  const { from, to } = state.selection;
  const found: Array<{ pos: number; node: PMNode }> = [];
  state.doc.nodesBetween(from, to, (node, pos) => {
    if (node.type === type) found.push({ pos, node });
    return false;
  });
  return found;
}

/**
 * Makes the paragraphs the selection touches unnumbered or numbered again (all take the
 * opposite of the first one's rule), e.g. a closing paragraph printed without a number.
 * The count skips an unnumbered paragraph; it is cited by the one before it ("after OP5").
 */
export const toggleParagraphNumbering: Command = (state, dispatch) => {
  const paragraphs = blocksOfType(state, paragraphType);
  if (paragraphs.length === 0) return false;
  const numbering = paragraphs[0]!.node.attrs.numbering === "unnumbered" ? "numbered" : "unnumbered";
  if (dispatch) {
    const tr = state.tr;
    for (const { pos, node } of paragraphs) tr.setNodeMarkup(pos, undefined, { ...node.attrs, numbering });
    dispatch(tr);
  }
  return true;
};

/**
 * Gives the headings the selection touches a numbering rule: `none` lets the numbers run
 * on, `section`, `chapter`, `article` and `annex` restart them after the heading (see
 * schema/numbering.ts). False when the selection touches no heading.
 */
export function setHeadingNumbering(numbering: HeadingNumbering): Command {
  return (state, dispatch) => {
    const headings = blocksOfType(state, headingType);
    if (headings.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      for (const { pos, node } of headings) tr.setNodeMarkup(pos, undefined, { ...node.attrs, numbering });
      dispatch(tr);
    }
    return true;
  };
}

/** Turns a plain mark (from the mark descriptors) on or off over the selection. */
export function togglePlainMark(name: PlainMarkType): Command {
  return toggleMark(documentSchema.marks[name]!);
}

/** Italic on or off (titles of instruments: the *Palermo Protocol*). */
export const toggleItalic: Command = togglePlainMark("em");

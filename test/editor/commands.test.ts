import { describe, expect, it } from "vitest";
import { EditorState, TextSelection } from "prosemirror-state";
import type { Node as PMNode } from "prosemirror-model";
import { documentSchema } from "../../schema/schema.js";
import { repairIdentity, blockIdentityPlugin } from "../../editor/document/plugins/ids.js";
import { bracketPlugin, bracketSpansOf } from "../../editor/document/plugins/brackets.js";
import { addParagraph, indentParagraph, outdentParagraph, splitParagraph, toggleParagraphKind } from "../../editor/document/commands.js";

const s = documentSchema;
const bracket = (id: string) => s.marks.bracket!.create({ id, group: null });
const para = (id: string | null, text: string, attrs: { kind?: string; level?: number } = {}, marks: Array<[number, number, string]> = []) => {
  const content: PMNode[] = [];
  let at = 0;
  for (const [from, to, bid] of marks) {
    if (from > at) content.push(s.text(text.slice(at, from)));
    content.push(s.text(text.slice(from, to), [bracket(bid)]));
    at = to;
  }
  if (at < text.length) content.push(s.text(text.slice(at)));
  return s.nodes.paragraph!.create({ id, kind: attrs.kind ?? "op", level: attrs.level ?? 0 }, content);
};
const doc = (...blocks: PMNode[]) => s.nodes.doc!.create(null, [s.nodes.title!.create({ id: "t" }, s.text("Title")), ...blocks]);

/** A state with the identity plugin and the caret at `pos`. */
function stateOf(d: PMNode, pos = 1): EditorState {
  const state = EditorState.create({ doc: d, plugins: [blockIdentityPlugin()] });
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos)));
}

/** Runs a command and returns the resulting state (with appended transactions). */
function run(state: EditorState, command: (s: EditorState, d: (tr: import("prosemirror-state").Transaction) => void) => boolean): EditorState {
  let next = state;
  expect(command(state, (tr) => (next = state.apply(tr)))).toBe(true);
  return next;
}

const ids = (d: PMNode) => {
  const out: string[] = [];
  d.forEach((b) => out.push(String(b.attrs.id)));
  return out;
};

describe("block identity", () => {
  it("gives duplicated and missing block ids fresh ones, keeping the first holder's", () => {
    const state = EditorState.create({ doc: doc(para("p1", "One"), para("p1", "Two"), para(null, "Three")) });
    const tr = repairIdentity(state)!;
    const repaired = ids(tr.doc);
    expect(repaired[1]).toBe("p1");
    expect(repaired[2]).not.toBe("p1");
    expect(repaired[3]).toMatch(/^p[A-Za-z0-9]{12}$/);
    expect(new Set(repaired).size).toBe(repaired.length);
    expect(repairIdentity(state.apply(tr))).toBeNull();
  });

  it("Enter inside a bracket gives the new paragraph a fresh id and keeps the bracket in its own paragraph", () => {
    const text = "To urge [member states] to act.";
    const start = stateOf(doc(para("p1", text, {}, [[8, 23, "b1"]])));
    // Caret inside the bracketed words, between "member" and " states".
    const inside = 1 + "Title".length + 1 + 1 + "To urge [member".length - 1;
    const state = run(start.apply(start.tr.setSelection(TextSelection.create(start.doc, inside))), splitParagraph);
    expect(state.doc.childCount).toBe(3);
    const [, first, second] = ids(state.doc);
    expect(first).toBe("p1");
    expect(second).not.toBe("p1");
    const spans = bracketSpansOf(state.doc);
    expect(spans.map((b) => [b.id, b.paragraphId])).toEqual([["b1", "p1"]]);
  });
});

describe("a bracket of whole paragraphs while typing", () => {
  // Both plugins in the editor's order: identity first, then brackets.
  const withBoth = (d: PMNode) => EditorState.create({ doc: d, plugins: [blockIdentityPlugin(), bracketPlugin()] });
  const typeAt = (state: EditorState, pos: number, text: string) => state.applyTransaction(state.tr.insertText(text, pos)).state;
  const covers = (state: EditorState) => bracketSpansOf(state.doc).map((b) => [b.paragraphId, b.to - b.from]);

  it("keeps the bracket on the whole of every paragraph, the words typed at either end included", () => {
    const [op1, op2] = ["To urge member states;", "To strengthen cooperation."];
    let state = withBoth(doc(para("p1", op1, {}, [[0, op1.length, "b1"]]), para("p2", op2, {}, [[0, op2.length, "b1"]])));
    // The end of the first paragraph, then the end of the second (after " now" grew the first).
    state = typeAt(state, 1 + "Title".length + 1 + 1 + op1.length, " now");
    expect(covers(state)).toEqual([["p1", op1.length + 4], ["p2", op2.length]]);
    const op2End = 1 + "Title".length + 1 + (op1.length + 4 + 2) + 1 + op2.length;
    state = typeAt(state, op2End, " here");
    expect(covers(state)).toEqual([["p1", op1.length + 4], ["p2", op2.length + 5]]);
    expect(state.doc.child(2).textContent).toBe(`${op2} here`);
  });

  it("leaves a span's end where it was: words typed after its closing bracket are outside it", () => {
    const text = "RECOGNIZING a grave crime;";
    let state = withBoth(doc(para("p1", text, {}, [[12, text.length, "b1"]])));
    state = typeAt(state, 1 + "Title".length + 1 + 1 + text.length, " X");
    expect(bracketSpansOf(state.doc).map((b) => [b.paragraphId, state.doc.textBetween(b.from, b.to)])).toEqual([["p1", "a grave crime;"]]);
  });
});

describe("paragraph commands", () => {
  it("Enter at the end of the title starts a paragraph of the kind that follows, not a chapeau", () => {
    const state = run(stateOf(doc(para("p1", "RECOGNIZING", { kind: "pp" })), 1 + "Title".length), splitParagraph);
    const added = state.doc.child(1);
    expect(added.type.name).toBe("paragraph");
    expect(added.attrs.kind).toBe("pp");
    expect(added.attrs.id).toBeTruthy();
  });

  it("adds an operative paragraph at the level of the one the caret is in, and a preambular one at level 0", () => {
    const base = stateOf(doc(para("p1", "sub", { level: 1 })), 9);
    const op = run(base, addParagraph("op"));
    expect(op.doc.child(2).attrs).toMatchObject({ kind: "op", level: 1 });
    const pp = run(base, addParagraph("pp"));
    expect(pp.doc.child(2).attrs).toMatchObject({ kind: "pp", level: 0 });
    expect(op.selection.$from.parent).toBe(op.doc.child(2));
  });

  it("indents down to (i) and no further, and outdents back to a numbered paragraph", () => {
    let state = stateOf(doc(para("p1", "Text")), 9);
    state = run(state, indentParagraph);
    state = run(state, indentParagraph);
    expect(state.doc.child(1).attrs.level).toBe(2);
    expect(indentParagraph(state)).toBe(false);
    state = run(run(state, outdentParagraph), outdentParagraph);
    expect(state.doc.child(1).attrs.level).toBe(0);
    expect(outdentParagraph(state)).toBe(false);
  });

  it("switches a paragraph between preambular and operative", () => {
    const state = run(stateOf(doc(para("p1", "To urge")), 9), toggleParagraphKind);
    expect(state.doc.child(1).attrs.kind).toBe("pp");
    expect(run(state, toggleParagraphKind).doc.child(1).attrs.kind).toBe("op");
  });
});

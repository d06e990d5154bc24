import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Mark, Node as PMNode } from "prosemirror-model";
import { ySyncPluginKey } from "y-prosemirror";
import type { Bracket } from "../../api/types.js";
import { t } from "../../i18n/index.js";

/** A bracket's span in the document, in ProseMirror positions. */
export interface BracketSpan {
  id: string;
  group: string | null;
  paragraphId: string;
  from: number;
  to: number;
}

/** What the bracket plugin knows: the register's entries by bracket id, and the decorations. */
interface BracketState {
  register: ReadonlyMap<string, Bracket>;
  decorations: DecorationSet;
}

/** Key of the bracket plugin. */
export const bracketKey = new PluginKey<BracketState>("accord-brackets");

/** Every bracket mark's span in the document, in document order (a bracket lives in one block). */
export function bracketSpansOf(doc: PMNode): BracketSpan[] {
  const spans: BracketSpan[] = [];
  doc.forEach((block, offset) => {
    const inBlock = new Map<string, BracketSpan>();
    block.forEach((child, childOffset) => {
      const from = offset + 1 + childOffset;
      for (const mark of child.marks) {
        if (mark.type.name !== "bracket") continue;
        const id = String(mark.attrs.id);
        const span = inBlock.get(id);
        if (span) span.to = from + child.nodeSize;
        else inBlock.set(id, { id, group: (mark.attrs.group as string | null) ?? null, paragraphId: String(block.attrs.id), from, to: from + child.nodeSize });
      }
    });
    spans.push(...[...inBlock.values()].sort((a, b) => a.from - b.from || b.to - a.to));
  });
  return spans;
}

/** The hover text of a bracket: its label, its option group, who holds it. */
function bracketDescription(span: BracketSpan, info: Bracket | undefined, ordinal: number): string {
  const label = info?.label ?? t("bracketGlyph.label", { n: ordinal });
  const option = info?.optionLabel ? ` (${info.optionLabel})` : span.group ? ` ${t("bracketGlyph.option")}` : "";
  if (!info) return `${label}${option}`;
  const holders = info.holders.length > 0 ? t("bracketGlyph.heldBy", { holders: info.holders.join(", ") }) : t("bracketGlyph.nobody");
  const supporters = info.supporters.length ? `; ${t("brackets.supportedBy", { supporters: info.supporters.join(", ") })}` : "";
  return `${label}${option}: ${holders}${supporters}`;
}

/** An option's label ("Option 2:") drawn before its first paragraph's "[": part of the page, not of the text. */
function optionLabel(text: string): () => HTMLElement {
  return () => {
    const el = document.createElement("span");
    el.className = "bracket-option-label";
    el.textContent = `${text}: `;
    el.dataset.decoration = "bracket";
    return el;
  };
}

/** A square bracket drawn at one end of a bracketed span: part of the page, not of the text. */
function glyph(text: "[" | "]", description: string, id: string): () => HTMLElement {
  return () => {
    const el = document.createElement("span");
    el.className = `bracket-glyph bracket-${text === "[" ? "open" : "close"}`;
    el.textContent = text;
    el.title = description;
    el.dataset.decoration = "bracket";
    el.dataset.bracketGlyph = id;
    return el;
  };
}

function bracketDecorations(doc: PMNode, register: ReadonlyMap<string, Bracket>): DecorationSet {
  const decorations: Decoration[] = [];
  const spans = bracketSpansOf(doc);
  // A bracket around several whole paragraphs is one bracket: "[" before the first, "]" after the last.
  const first = new Map<string, BracketSpan>();
  const last = new Map<string, BracketSpan>();
  for (const span of spans) {
    if (!first.has(span.id)) first.set(span.id, span);
    last.set(span.id, span);
  }
  const ordinals = new Map([...first.keys()].map((id, i) => [id, i]));
  spans.forEach((span) => {
    const i = ordinals.get(span.id)!;
    const info = register.get(span.id);
    const description = bracketDescription(span, info, i + 1);
    const held = info ? (info.holders.length > 0 ? "held" : "unheld") : "unknown";
    // The key changes with what is drawn, so a glyph is rebuilt only when its text changes.
    const key = `${span.id}:${description}`;
    // "[" after the caret position at its start and "]" before the one at its end: a caret
    // beside a glyph is outside the bracket, as the mark (inclusive: false) is.
    if (first.get(span.id) === span) {
      if (info?.optionLabel)
        decorations.push(Decoration.widget(span.from, optionLabel(info.optionLabel), { side: 0, marks: [], key: `l:${span.id}:${info.optionLabel}`, ignoreSelection: true }));
      decorations.push(Decoration.widget(span.from, glyph("[", description, span.id), { side: 1, marks: [], key: `o:${key}`, ignoreSelection: true }));
    }
    if (last.get(span.id) === span)
      decorations.push(Decoration.widget(span.to, glyph("]", description, span.id), { side: -1, marks: [], key: `c:${key}`, ignoreSelection: true }));
    decorations.push(
      Decoration.inline(span.from, span.to, {
        class: `bracket-span bracket-${held}${span.group ? " bracket-option" : ""}`,
        title: description,
      }),
    );
  });
  return DecorationSet.create(doc, decorations);
}

/**
 * Whether a bracket encloses whole paragraphs: as the register says, or, before the register
 * has arrived, because its mark stands in more than one block (a span lives in one).
 */
function enclosesWholeParagraphs(id: string, spans: readonly BracketSpan[], register: ReadonlyMap<string, Bracket>): boolean {
  const scope = register.get(id)?.scope;
  if (scope) return scope === "paragraphs";
  return new Set(spans.filter((s) => s.id === id).map((s) => s.paragraphId)).size > 1;
}

/**
 * A transaction that puts a bracket of whole paragraphs back on the whole text of each of
 * its paragraphs, or null when it already is. The mark is not inclusive (words typed after
 * a span's "]" are outside it), so words typed at the start or end of such a paragraph
 * arrive without it; the paragraph is the bracket's whole, so they belong inside.
 */
function wholeParagraphsKept(state: EditorState, register: ReadonlyMap<string, Bracket>): Transaction | null {
  const spans = bracketSpansOf(state.doc);
  const whole = new Set(spans.map((s) => s.id).filter((id, i, ids) => ids.indexOf(id) === i && enclosesWholeParagraphs(id, spans, register)));
  if (whole.size === 0) return null;
  const tr = state.tr;
  state.doc.forEach((block, offset) => {
    if (!block.isTextblock) return;
    const marks = new Map<string, Mark>();
    block.forEach((child) => {
      for (const mark of child.marks) if (mark.type.name === "bracket" && whole.has(String(mark.attrs.id))) marks.set(String(mark.attrs.id), mark);
    });
    for (const mark of marks.values()) {
      let covered = true;
      block.forEach((child) => {
        if (child.isText && !mark.isInSet(child.marks)) covered = false;
      });
      if (!covered) tr.addMark(offset + 1, offset + 1 + block.content.size, mark);
    }
  });
  return tr.docChanged ? tr : null;
}

/**
 * Brackets drawn as real square brackets around each bracketed span, with the bracket's
 * label and holders on hover. The mark in the text carries only the bracket's identity;
 * holders come from the server's register, handed in with `setBracketRegister`.
 */
export function bracketPlugin(): Plugin<BracketState> {
  return new Plugin<BracketState>({
    key: bracketKey,
    state: {
      init: (_config, state) => ({ register: new Map(), decorations: bracketDecorations(state.doc, new Map()) }),
      apply(tr, previous): BracketState {
        const next = tr.getMeta(bracketKey) as ReadonlyMap<string, Bracket> | undefined;
        if (next) return { register: next, decorations: bracketDecorations(tr.doc, next) };
        if (!tr.docChanged) return previous;
        return { register: previous.register, decorations: bracketDecorations(tr.doc, previous.register) };
      },
    },
    // Only this editor's own edits: a peer's arrive already kept whole by its own editor.
    appendTransaction: (transactions, _previous, state) =>
      transactions.some((tr) => tr.docChanged && !tr.getMeta(ySyncPluginKey)?.isChangeOrigin)
        ? wholeParagraphsKept(state, bracketKey.getState(state)?.register ?? new Map())
        : null,
    props: {
      decorations: (state) => bracketKey.getState(state)?.decorations,
    },
  });
}

/** A transaction that replaces the known bracket register. */
export function setBracketRegister(state: EditorState, brackets: readonly Bracket[]): Transaction {
  return state.tr.setMeta(bracketKey, new Map(brackets.map((b) => [b.id, b])));
}

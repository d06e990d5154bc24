import type { CanonicalBracket, CanonicalParagraph } from "../../schema/index.js";
import type { AppContext } from "../context.js";
import { conflict } from "../http/errors.js";
import { documentText } from "../documents/paragraphs.js";
import { bracketLabel, bracketParagraphsOf, holdersOf, openBracketsOf, supportersOf } from "./records.js";
import { openBracketReasons } from "./register.js";

/** One paragraph of a derived view of the text. */
export interface ViewParagraph {
  id: string;
  kind: CanonicalParagraph["kind"];
  number: string | null;
  ref: string | null;
  text: string;
}

/** The clean text: the document as it would be agreed, when nothing is in brackets. */
export interface CleanText {
  hash: string;
  paragraphs: ViewParagraph[];
  /** The whole text, one block a line, operative numbers printed. */
  text: string;
}

/** A bracket as the compilation text names it. */
export interface CompiledBracket {
  id: string;
  label: string;
  group: string | null;
  holders: string[];
  supporters: string[];
}

/** The compilation text: every bracket drawn `[…]` and followed by `{B1: ARG, CAN}`. */
export interface CompilationText {
  hash: string;
  paragraphs: Array<ViewParagraph & { brackets: CompiledBracket[] }>;
  text: string;
}

function printed(p: ViewParagraph): string {
  if (p.number === null) return p.text;
  // "2." and "2 bis." take the dot, "(a)" does not.
  return p.number.startsWith("(") ? `${p.number} ${p.text}` : `${p.number}. ${p.text}`;
}

/**
 * The clean text of a document, which exists only when no bracket is open: 409 listing
 * every open bracket otherwise. `hash` is the canonical hash of the same text.
 */
export function cleanText(ctx: AppContext, documentId: string): CleanText {
  const current = documentText(ctx, documentId);
  const reasons = openBracketReasons(ctx, documentId, current.byId);
  if (reasons.length > 0)
    throw conflict(`the clean text exists once no bracket is open; ${reasons.length} ${reasons.length === 1 ? "is" : "are"} open`, reasons);
  const view = current.paragraphs.map(({ id, kind, number, ref, text }) => ({ id, kind, number, ref, text }));
  return { hash: current.hash, paragraphs: view, text: view.map(printed).join("\n") };
}

/**
 * Draws brackets into a paragraph's text: `[` where each opens and `]` + `{label: holders}`
 * where it closes, nested ones inside their outer ones, adjacent options side by side.
 */
export function drawBrackets(
  text: string,
  spans: readonly CanonicalBracket[],
  note: (id: string) => string,
  edges: (id: string) => { open: boolean; close: boolean } = () => ({ open: true, close: true }),
): string {
  const marks: Array<{ at: number; close: boolean; span: CanonicalBracket }> = [];
  for (const span of spans) {
    const edge = edges(span.id);
    if (edge.open) marks.push({ at: span.from, close: false, span });
    if (edge.close) marks.push({ at: span.to, close: true, span });
  }
  // At one offset: brackets close before others open (adjacent options); inner brackets
  // close before outer ones, outer ones open before inner ones.
  marks.sort((a, b) => a.at - b.at || Number(b.close) - Number(a.close) || (a.close ? b.span.from - a.span.from : b.span.to - a.span.to));
  let out = "";
  let at = 0;
  for (const m of marks) {
    out += text.slice(at, m.at) + (m.close ? `]${note(m.span.id)}` : "[");
    at = m.at;
  }
  return out + text.slice(at);
}

/** What follows a bracket's "]" in the compilation text: `{B1: ARG, CAN; supported by MEX}`. */
export function compiledNote(b: Pick<CompiledBracket, "label" | "holders" | "supporters">): string {
  const held = b.holders.length ? `: ${b.holders.join(", ")}` : "";
  const supported = b.supporters.length ? `${held ? ";" : ":"} supported by ${b.supporters.join(", ")}` : "";
  return `{${b.label}${held}${supported}}`;
}

/** The compilation text of a document: every open bracket shown with its holders. */
export function compilationText(ctx: AppContext, documentId: string): CompilationText {
  const current = documentText(ctx, documentId);
  const rows = new Map(openBracketsOf(ctx, documentId).map((r) => [r.id, r]));
  const holders = holdersOf(ctx, documentId);
  const supporters = supportersOf(ctx, documentId);
  const compiled = (id: string): CompiledBracket => {
    const row = rows.get(id);
    return { id, label: row ? bracketLabel(row) : id, group: row?.group_id ?? null, holders: holders.get(id) ?? [], supporters: supporters.get(id) ?? [] };
  };
  const note = (id: string) => compiledNote(compiled(id));
  // A bracket around whole paragraphs opens before the first and closes after the last;
  // a labelled option's label stands before its first paragraph.
  const spanned = bracketParagraphsOf(ctx, documentId);
  const drawn = current.paragraphs.map(({ id, kind, number, ref, text, brackets }) => {
    const edges = (bracketId: string) => {
      const list = spanned.get(bracketId);
      return list ? { open: list[0] === id, close: list[list.length - 1] === id } : { open: true, close: true };
    };
    const labels = brackets.flatMap((b) => {
      const row = rows.get(b.id);
      return row?.option_label && edges(b.id).open ? [`${row.option_label}: `] : [];
    });
    return { id, kind, number, ref, text: labels.join("") + drawBrackets(text, brackets, note, edges), brackets: brackets.map((b) => compiled(b.id)) };
  });
  return { hash: current.hash, paragraphs: drawn, text: drawn.map(printed).join("\n") };
}

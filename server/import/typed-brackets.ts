import { newId } from "../../schema/ids.js";
import { isBold, isItalic, type FlatParagraph } from "./source.js";
import { shorten, type PlacedWarning } from "./structure.js";
import { fromSuperscript } from "./text-reader.js";
import type { ImportedBracket, ImportedFootnote, ImportedRun } from "./types.js";

/** A block's text once its typed brackets are real ones. */
export interface BracketedBlock {
  runs: ImportedRun[];
  footnotes: ImportedFootnote[];
  annotations: string[];
}

interface Pair {
  open: number;
  close: number;
  /** Where the pair's trailing holder list ends (close + 1 when there is none). */
  after: number;
  holders: string[];
  children: Pair[];
  /** The option spans it became: [from, to) of content, separator before each but the first. */
  options: Array<{ from: number; to: number; separator: string | null }>;
  group: string | null;
}

// "(USA, CAN)", "(G77)", "(EU / USA)" right after a closing bracket: who holds it.
const HOLDER_LIST = /^ ?\(([A-Z][A-Z0-9]{1,7}(?:\s*(?:,|;|\/|and|y)\s*[A-Z][A-Z0-9]{1,7})*)\)/;
const AD_REF = /^\s*(?:agreed\s+)?ad\s+ref(?:erendum)?\.?\s*$/i;
const SEPARATOR = /\s+\/\s+/g;

/**
 * Turns the typed square brackets of every block into real brackets: nested ones stay
 * nested; adjacent ones (`[a][b]`, `[a] [b]`) and "/"-separated alternatives inside one
 * (`[a / b]`) become option groups, the separator kept on the option it precedes; a
 * holder list after the closing bracket (`[…] (USA, CAN)`) names the holders (none named:
 * held by nobody, still open). A bracket opened at the start of one paragraph and closed
 * at the end of a later one brackets those whole paragraphs. "[Agreed ad ref]" becomes a
 * paragraph annotation; "[3]" or "³" a footnote when the file has footnote 3. Whatever
 * cannot be paired (unbalanced, crossing paragraphs mid-text, empty) stays as typed text,
 * which the register then reports as typed brackets, and is warned of.
 */
export function convertBrackets(
  flats: readonly FlatParagraph[],
  typedNotes: ReadonlyMap<string, string>,
  knownHolders: ReadonlySet<string> | undefined,
  warnings: PlacedWarning[],
): { blocks: BracketedBlock[]; brackets: ImportedBracket[] } {
  const warn = (block: number | null, warning: string) => warnings.push({ block, warning });
  // First pass: pairs inside each paragraph, and what is left unpaired.
  const perBlock = flats.map((flat) => pairUp(flat.text));
  // Brackets across paragraphs.
  const whole = new Set<number>();
  const literalKept = flats.map(() => new Set<number>());
  const pending: Array<{ block: number; at: number }> = [];
  perBlock.forEach(({ unopened, unclosed }, b) => {
    for (const at of unopened) {
      const open = pending.pop();
      if (!open) {
        literalKept[b]!.add(at);
        warn(b, `a "]" at character ${at + 1} closes no bracket; it is kept as a typed bracket`);
        continue;
      }
      const clean = (i: number) => perBlock[i]!.unopened.length === 0 && perBlock[i]!.unclosed.length === 0;
      const middle = Array.from({ length: b - open.block - 1 }, (_, k) => open.block + 1 + k);
      const atEnd = flats[b]!.text.slice(at + 1).replace(HOLDER_LIST, "").trim().replace(/^[.;,]$/, "") === "";
      if (open.at === 0 && atEnd && unopened.length === 1 && perBlock[open.block]!.unclosed.length === 1 && middle.every(clean)) {
        for (let i = open.block; i <= b; i++) whole.add(i);
        warn(open.block, `a bracket around ${b - open.block + 1} whole paragraphs was split into one bracket per paragraph`);
      } else {
        literalKept[open.block]!.add(open.at);
        literalKept[b]!.add(at);
        warn(open.block, `a "[" opened here closes in a later paragraph, not around whole paragraphs; both are kept as typed brackets`);
      }
    }
    for (const at of unclosed) pending.push({ block: b, at });
  });
  for (const open of pending) {
    literalKept[open.block]!.add(open.at);
    warn(open.block, `a "[" at character ${open.at + 1} is never closed; it is kept as a typed bracket`);
  }

  const usedNotes = new Set<string>();
  const brackets: ImportedBracket[] = [];
  const wholeBrackets: Array<ImportedBracket | undefined> = [];
  const blocks = flats.map((flat, b) => {
    const result = convertBlock(flat, b, perBlock[b]!.pairs, whole.has(b), literalKept[b]!, typedNotes, usedNotes, knownHolders, warn);
    brackets.push(...result.brackets);
    wholeBrackets[b] = result.whole;
    return result.block;
  });
  // The holders named after the last paragraph of a whole-paragraph bracket hold every part of it.
  for (let b = wholeBrackets.length - 1, holders: string[] = []; b >= 0; b--) {
    const w = wholeBrackets[b];
    if (!w) holders = [];
    else if (w.holders.length) holders = w.holders;
    else w.holders = [...holders];
  }
  for (const [marker, text] of typedNotes) {
    if (usedNotes.has(marker) || blocks.length === 0) continue;
    const last = blocks[blocks.length - 1]!;
    last.footnotes.push({ offset: last.runs.reduce((n, r) => n + r.text.length, 0), marker, text });
    warn(blocks.length - 1, `footnote ${marker} has no marker in the text; it was attached to the end of the last paragraph`);
  }
  return { blocks, brackets };
}

function pairUp(text: string): { pairs: Pair[]; unopened: number[]; unclosed: number[] } {
  const stack: Pair[] = [];
  const roots: Pair[] = [];
  const unopened: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91) stack.push({ open: i, close: -1, after: -1, holders: [], children: [], options: [], group: null });
    else if (c === 93) {
      const pair = stack.pop();
      if (!pair) {
        unopened.push(i);
        continue;
      }
      pair.close = i;
      pair.after = i + 1;
      (stack.length ? stack[stack.length - 1]!.children : roots).push(pair);
    }
  }
  // Unclosed "[" are literal; their children were real pairs and stay so.
  const unclosed: number[] = [];
  while (stack.length) {
    const pair = stack.shift()!;
    unclosed.push(pair.open);
    roots.push(...pair.children);
  }
  roots.sort((a, b) => a.open - b.open);
  return { pairs: roots, unopened, unclosed };
}

function convertBlock(
  flat: FlatParagraph,
  b: number,
  roots: Pair[],
  wholeBracket: boolean,
  literal: ReadonlySet<number>,
  typedNotes: ReadonlyMap<string, string>,
  usedNotes: Set<string>,
  knownHolders: ReadonlySet<string> | undefined,
  warn: (block: number | null, warning: string) => void,
): { block: BracketedBlock; brackets: ImportedBracket[]; whole?: ImportedBracket } {
  const text = flat.text;
  const removed = new Uint8Array(text.length);
  const annotations: string[] = [];
  const notes: Array<{ at: number; marker: string; text: string }> = flat.notes.map((n) => ({ at: n.offset, marker: n.marker, text: n.text }));
  const spans: Array<{ id: string; from: number; to: number; group: string | null; separator: string | null; holders: string[] }> = [];
  const removeRange = (from: number, to: number) => removed.fill(1, from, to);
  let wholeId: string | undefined;

  if (wholeBracket) {
    // The "[" or "]" that stood at an edge of this paragraph (unpaired within it).
    let from = 0;
    let to = text.length;
    if (text[0] === "[" && !literal.has(0) && !roots.some((p) => p.open === 0)) (removed[0] = 1), (from = 1);
    const last = text.lastIndexOf("]");
    let holders: string[] = [];
    if (last >= 0 && !roots.some((p) => p.close === last) && !literal.has(last)) {
      removed[last] = 1;
      const h = holderList(text, last, knownHolders);
      if (h.holders) (holders = h.holders), removeRange(last + 1, h.end);
      to = last;
    }
    wholeId = newId("b");
    spans.push({ id: wholeId, from, to, group: null, separator: null, holders });
  }

  const visit = (pairs: Pair[]) => {
    const kept: Pair[] = [];
    for (const pair of pairs) {
      const inner = text.slice(pair.open + 1, pair.close);
      if (AD_REF.test(inner) && pair.children.length === 0) {
        annotations.push("agreed ad ref");
        let from = pair.open;
        while (from > 0 && text[from - 1] === " ") from--;
        removeRange(from, pair.close + 1);
        continue;
      }
      const marker = inner.trim();
      if (/^\d{1,3}$/.test(marker) && typedNotes.has(marker) && !usedNotes.has(marker)) {
        usedNotes.add(marker);
        notes.push({ at: pair.open, marker, text: typedNotes.get(marker)! });
        removeRange(pair.open, pair.close + 1);
        continue;
      }
      if (inner.trim() === "") {
        warn(b, `empty brackets "${text.slice(pair.open, pair.close + 1)}" at character ${pair.open + 1} are kept as typed brackets`);
        continue;
      }
      removed[pair.open] = 1;
      removed[pair.close] = 1;
      const h = holderList(text, pair.close, knownHolders);
      if (h.holders) {
        pair.holders = h.holders;
        pair.after = h.end;
        removeRange(pair.close + 1, h.end);
      } else if (h.unknown) warn(b, `"${h.unknown}" after the bracket "${shorten(inner, 30)}" names no delegation or group of this meeting; it is kept as text and the bracket is held by nobody`);
      visit(pair.children);
      splitAlternatives(pair, text, removed);
      kept.push(pair);
    }
    // Adjacent brackets of one level are alternatives of one option group.
    for (let i = 1; i < kept.length; i++) {
      const a = kept[i - 1]!;
      const c = kept[i]!;
      if (text.slice(a.after, c.open).trim() !== "") continue;
      const group = a.group ?? c.group ?? newId("g");
      a.group = group;
      c.group = group;
    }
    for (const pair of kept) {
      if (pair.options.length > 1 && !pair.group) pair.group = newId("g");
      pair.options.forEach((o) =>
        spans.push({ id: newId("b"), from: o.from, to: o.to, group: pair.group, separator: o.separator, holders: pair.holders }),
      );
    }
  };
  visit(roots);

  // Typed superscript footnote markers ("…victims.²") of a plain text.
  if (typedNotes.size > 0)
    for (const m of text.matchAll(/[¹²³⁴⁵⁶⁷⁸⁹⁰]+/g)) {
      const marker = fromSuperscript(m[0]);
      if (!typedNotes.has(marker) || usedNotes.has(marker)) continue;
      usedNotes.add(marker);
      notes.push({ at: m.index, marker, text: typedNotes.get(marker)! });
      removeRange(m.index, m.index + m[0].length);
    }

  // Output: runs by formatting and enclosing brackets; offsets mapped past removed characters.
  spans.sort((x, y) => x.from - y.from || y.to - x.to);
  const enclosing: string[][] = Array.from({ length: text.length }, () => []);
  for (const s of spans) for (let i = s.from; i < s.to; i++) enclosing[i]!.push(s.id);
  const newOffset = new Uint32Array(text.length + 1);
  const runs: ImportedRun[] = [];
  const spanText = new Map<string, string>();
  let out = 0;
  let key = "";
  for (let i = 0; i < text.length; i++) {
    newOffset[i] = out;
    if (removed[i]) continue;
    const ids = enclosing[i]!;
    const f = flat.format[i] ?? 0;
    const k = `${f}|${ids.join(",")}`;
    const ch = text[i]!;
    for (const id of ids) spanText.set(id, (spanText.get(id) ?? "") + ch);
    if (k === key) runs[runs.length - 1]!.text += ch;
    else {
      const run: ImportedRun = { text: ch };
      if (isBold(f)) run.bold = true;
      if (isItalic(f)) run.italic = true;
      if (ids.length) run.brackets = [...ids];
      runs.push(run);
      key = k;
    }
    out++;
  }
  newOffset[text.length] = out;
  const brackets: ImportedBracket[] = [];
  for (const s of spans) {
    const visible = spanText.get(s.id);
    if (!visible) {
      warn(b, "a bracket held nothing but a footnote or an annotation; it was left out");
      continue;
    }
    brackets.push({ id: s.id, block: b, group: s.group, separator: s.separator, holders: s.holders, text: visible });
  }
  const footnotes = notes
    .map((n) => ({ offset: newOffset[Math.min(n.at, text.length)]!, marker: n.marker, text: n.text }))
    .sort((x, y) => x.offset - y.offset);
  return { block: { runs, footnotes, annotations }, brackets, whole: brackets.find((x) => x.id === wholeId) };
}

/** Splits `[a / b]` into options at its own level's separators (not inside nested brackets). */
function splitAlternatives(pair: Pair, text: string, removed: Uint8Array): void {
  const from = pair.open + 1;
  const to = pair.close;
  const inner = text.slice(from, to);
  const cuts: Array<{ start: number; end: number; text: string }> = [];
  for (const m of inner.matchAll(SEPARATOR)) {
    const start = from + m.index;
    if (pair.children.some((c) => c.open <= start && start <= c.close)) continue;
    cuts.push({ start, end: start + m[0].length, text: m[0] });
  }
  const options: Pair["options"] = [];
  let at = from;
  let separator: string | null = null;
  for (const cut of cuts) {
    options.push({ from: at, to: cut.start, separator });
    at = cut.end;
    separator = cut.text;
  }
  options.push({ from: at, to, separator });
  if (options.some((o) => text.slice(o.from, o.to).trim() === "")) {
    pair.options = [{ from, to, separator: null }];
    return;
  }
  for (const cut of cuts) removed.fill(1, cut.start, cut.end);
  pair.options = options;
}

/** The holder list right after the closing bracket at `close`, if any. */
function holderList(text: string, close: number, known: ReadonlySet<string> | undefined): { holders?: string[]; end: number; unknown?: string } {
  const m = HOLDER_LIST.exec(text.slice(close + 1));
  if (!m) return { end: close + 1 };
  const names = m[1]!.split(/\s*(?:,|;|\/|\band\b|\by\b)\s*/).filter(Boolean);
  const unknown = known ? names.filter((n) => !known.has(n)) : [];
  if (unknown.length) return { end: close + 1, unknown: unknown.join(", ") };
  return { holders: [...new Set(names)], end: close + 1 + m[0].length };
}

import { newId } from "../../schema/ids.js";
import { isBold, isItalic, type FlatParagraph } from "./source.js";
import { shorten, type PlacedWarning } from "./structure.js";
import { fromSuperscript } from "./text-reader.js";
import type { ImportedAnnotation, ImportedBracket, ImportedFootnote, ImportedRun } from "./types.js";

/** A block's text once its typed brackets are real ones. */
export interface BracketedBlock {
  runs: ImportedRun[];
  footnotes: ImportedFootnote[];
  annotations: ImportedAnnotation[];
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
/** What stands between adjacent alternatives typed with nothing between them ("[a][b]"). */
const ADJACENT_SEPARATOR = " ";

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
  input: readonly FlatParagraph[],
  typedNotes: ReadonlyMap<string, string>,
  knownHolders: ReadonlySet<string> | undefined,
  warnings: PlacedWarning[],
): { blocks: BracketedBlock[]; brackets: ImportedBracket[] } {
  const warn = (block: number | null, warning: string) => warnings.push({ block, warning });
  // Labelled alternative paragraphs first: their labels are not text.
  const { flats, options } = optionParagraphs(input, warn);
  // First pass: pairs inside each paragraph, and what is left unpaired.
  const perBlock = flats.map((flat) => pairUp(flat.text));
  // Brackets across paragraphs: one bracket around the whole paragraphs.
  const whole = new Map<number, WholeBracket>(options);
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
      const range = Array.from({ length: b - open.block + 1 }, (_, k) => open.block + k);
      if (open.at === 0 && atEnd && unopened.length === 1 && perBlock[open.block]!.unclosed.length === 1 && middle.every(clean) && !range.some((i) => whole.has(i))) {
        const id = newId("b");
        for (const i of range) whole.set(i, { id, group: null, optionLabel: null, noText: false, typed: true });
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
  const wholeBrackets = new Map<string, ImportedBracket>();
  const blocks = flats.map((flat, b) => {
    const result = convertBlock(flat, b, perBlock[b]!.pairs, whole.get(b), literalKept[b]!, typedNotes, usedNotes, knownHolders, warn);
    brackets.push(...result.brackets);
    // The parts of a bracket around whole paragraphs are one bracket: its text one paragraph a line.
    const part = result.whole;
    if (part) {
      const first = wholeBrackets.get(part.id);
      if (!first) wholeBrackets.set(part.id, part);
      else {
        first.blocks.push(b);
        first.text += `\n${part.text}`;
        // The holders named after the last paragraph hold all of it.
        if (part.holders.length) first.holders = part.holders;
      }
    }
    return result.block;
  });
  brackets.push(...wholeBrackets.values());
  brackets.sort((x, y) => x.block - y.block);
  for (const [marker, text] of typedNotes) {
    if (usedNotes.has(marker) || blocks.length === 0) continue;
    const last = blocks[blocks.length - 1]!;
    last.footnotes.push({ offset: last.runs.reduce((n, r) => n + r.text.length, 0), marker, text });
    warn(blocks.length - 1, `footnote ${marker} has no marker in the text; it was attached to the end of the last paragraph`);
  }
  return { blocks, brackets };
}

/** A bracket around a whole paragraph, alone or with the paragraphs around it: typed across them, or a labelled option. */
interface WholeBracket {
  id: string;
  group: string | null;
  optionLabel: string | null;
  noText: boolean;
  /** Typed "[" and "]" stand at the edges of its paragraphs (an option's label stands instead). */
  typed: boolean;
}

// "Option 1:", "Option 2 –", "Opción A:", "Alternative 2." at the start of a paragraph.
const OPTION_LABEL = /^(Option|Opción|Opcion|Alternative|Alt\.)\s+(\d{1,2}|[A-Z])\s*(?:[:.\u2013\u2014-]\s*|$)/i;
const NO_TEXT = /^(?:no text|sin texto|ningún texto)\.?$/i;

/**
 * Labelled alternative paragraphs: a run of paragraphs starting "Option 1:", "Option 2:"…
 * (numbers or letters in sequence) is one option group; the paragraphs after an option's
 * labelled one, up to the next label, belong to it (the last option is its labelled
 * paragraph only); an option reading "No text" is the option of no text. Labels leave the
 * text. A lone "Option 1" with no "Option 2" is kept as text and warned of.
 */
function optionParagraphs(
  input: readonly FlatParagraph[],
  warn: (block: number | null, warning: string) => void,
): { flats: FlatParagraph[]; options: Map<number, WholeBracket> } {
  const labels = input.map((f) => OPTION_LABEL.exec(f.text));
  const options = new Map<number, WholeBracket>();
  const flats = [...input];
  const ordinal = (m: RegExpExecArray) => (/^\d+$/.test(m[2]!) ? Number(m[2]) : m[2]!.toUpperCase().charCodeAt(0) - 64);
  for (let i = 0; i < input.length; i++) {
    const m = labels[i];
    if (!m || ordinal(m) !== 1) continue;
    // The labelled paragraphs of this group, in sequence.
    const starts = [i];
    for (let j = i + 1; j < input.length; j++) {
      const n = labels[j];
      if (!n) continue;
      if (ordinal(n) === starts.length + 1) starts.push(j);
      else break;
    }
    if (starts.length < 2) {
      warn(i, `"${m[0].trim()}" starts no group of options (no "Option 2" follows); it is kept as text`);
      continue;
    }
    const group = newId("g");
    starts.forEach((start, k) => {
      const end = k + 1 < starts.length ? starts[k + 1]! - 1 : start;
      const label = labels[start]!;
      const rest = stripPrefix(input[start]!, label[0].length);
      const noText = NO_TEXT.test(rest.text.trim());
      const bracket: WholeBracket = { id: newId("b"), group, optionLabel: `${label[1]!.replace(/^alt\.$/i, "Alternative")} ${label[2]}`, noText, typed: false };
      flats[start] = rest;
      for (let b = start; b <= end; b++) options.set(b, bracket);
    });
    i = starts[starts.length - 1]!;
  }
  return { flats, options };
}

/** A paragraph without its first `length` characters (and the space after them). */
function stripPrefix(flat: FlatParagraph, length: number): FlatParagraph {
  const text = flat.text.slice(length);
  const cut = flat.text.length - text.trimStart().length;
  return {
    ...flat,
    text: flat.text.slice(cut),
    format: flat.format.slice(cut),
    notes: flat.notes.map((n) => ({ ...n, offset: Math.max(0, n.offset - cut) })),
  };
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
  wholeBracket: WholeBracket | undefined,
  literal: ReadonlySet<number>,
  typedNotes: ReadonlyMap<string, string>,
  usedNotes: Set<string>,
  knownHolders: ReadonlySet<string> | undefined,
  warn: (block: number | null, warning: string) => void,
): { block: BracketedBlock; brackets: ImportedBracket[]; whole?: ImportedBracket } {
  const text = flat.text;
  const removed = new Uint8Array(text.length);
  const annotations: ImportedAnnotation[] = [];
  // Text to insert before a character: the separator between adjacent alternatives "[a][b]".
  const inserted = new Map<number, string>();
  const notes: Array<{ at: number; marker: string; text: string }> = flat.notes.map((n) => ({ at: n.offset, marker: n.marker, text: n.text }));
  const spans: Array<{ id: string; from: number; to: number; group: string | null; separator: string | null; holders: string[] }> = [];
  // A facilitator's note in braces is a paragraph annotation, not text: "{To be revisited}".
  for (const m of text.matchAll(/\{([^{}]*)\}/g)) {
    const note = m[1]!.trim();
    if (!note) continue;
    annotations.push({ kind: "facilitator", text: note });
    let from = m.index;
    while (from > 0 && text[from - 1] === " ") from--;
    removed.fill(1, from, m.index + m[0].length);
  }
  const removeRange = (from: number, to: number) => removed.fill(1, from, to);
  let wholeId: string | undefined;

  if (wholeBracket) {
    let from = 0;
    let to = text.length;
    let holders: string[] = [];
    if (wholeBracket.typed) {
      // The "[" or "]" that stood at an edge of this paragraph (unpaired within it).
      if (text[0] === "[" && !literal.has(0) && !roots.some((p) => p.open === 0)) (removed[0] = 1), (from = 1);
      const last = text.lastIndexOf("]");
      if (last >= 0 && !roots.some((p) => p.close === last) && !literal.has(last)) {
        removed[last] = 1;
        const h = holderList(text, last, knownHolders);
        if (h.holders) (holders = h.holders), removeRange(last + 1, h.end);
        to = last;
      }
    }
    wholeId = wholeBracket.id;
    spans.push({ id: wholeId, from, to, group: wholeBracket.group, separator: null, holders });
  }

  const visit = (pairs: Pair[]) => {
    const kept: Pair[] = [];
    for (const pair of pairs) {
      const inner = text.slice(pair.open + 1, pair.close);
      if (AD_REF.test(inner) && pair.children.length === 0) {
        annotations.push({ kind: "agreed_ad_ref", text: "Agreed ad ref" });
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
      const within = h.holders ? null : innerHolders(text, pair, knownHolders);
      if (h.holders) {
        pair.holders = h.holders;
        pair.after = h.end;
        removeRange(pair.close + 1, h.end);
      } else if (within) {
        // "[text (EU)]": the holders named inside, at the end.
        pair.holders = within.holders;
        removeRange(within.from, pair.close);
      } else if (h.unknown) warn(b, `"${h.unknown}" after the bracket "${shorten(inner, 30)}" names no delegation or group of this meeting; it is kept as text and the bracket is held by nobody`);
      visit(pair.children);
      splitAlternatives(pair, text, within ? within.from : pair.close);
      kept.push(pair);
    }
    // Adjacent brackets of one level are alternatives of one option group, with a visible
    // separator between them: what was typed between ("[a] [b]"), else a space ("[a][b]").
    for (let i = 1; i < kept.length; i++) {
      const a = kept[i - 1]!;
      const c = kept[i]!;
      const gap = text.slice(a.after, c.open);
      if (gap.trim() !== "" && gap.trim() !== "/") continue;
      const group = a.group ?? c.group ?? newId("g");
      a.group = group;
      c.group = group;
      if (gap === "") inserted.set(c.open, ADJACENT_SEPARATOR);
      c.options[0]!.separator = gap === "" ? ADJACENT_SEPARATOR : gap;
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
  const emit = (ch: string, f: number, ids: readonly string[]) => {
    const k = `${f}|${ids.join(",")}`;
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
    out += ch.length;
  };
  for (let i = 0; i < text.length; i++) {
    newOffset[i] = out;
    const before = inserted.get(i);
    // Between two options: enclosed by what encloses both, in neither.
    if (before) emit(before, flat.format[i] ?? 0, enclosing[i]!);
    if (removed[i]) continue;
    emit(text[i]!, flat.format[i] ?? 0, enclosing[i]!);
  }
  newOffset[text.length] = out;
  const brackets: ImportedBracket[] = [];
  for (const s of spans) {
    const visible = spanText.get(s.id);
    if (!visible) {
      warn(b, "a bracket held nothing but a footnote or an annotation; it was left out");
      continue;
    }
    const isWhole = s.id === wholeId;
    brackets.push({
      id: s.id,
      block: b,
      scope: isWhole ? "paragraphs" : "text",
      blocks: [b],
      group: s.group,
      separator: s.separator,
      optionLabel: isWhole ? (wholeBracket?.optionLabel ?? null) : null,
      noText: isWhole ? (wholeBracket?.noText ?? false) : false,
      holders: s.holders,
      text: visible,
    });
  }
  const footnotes = notes
    .map((n) => ({ offset: newOffset[Math.min(n.at, text.length)]!, marker: n.marker, text: n.text }))
    .sort((x, y) => x.offset - y.offset);
  const wholePart = brackets.find((x) => x.id === wholeId);
  return { block: { runs, footnotes, annotations }, brackets: brackets.filter((x) => x !== wholePart), whole: wholePart };
}

/**
 * Splits `[a / b]` into options at its own level's separators (not inside nested brackets).
 * The separators stay in the text, between the options and in none of them.
 */
function splitAlternatives(pair: Pair, text: string, to: number): void {
  const from = pair.open + 1;
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
  pair.options = options;
}

/**
 * Holders named inside a bracket, at its end: "[text (EU)]", "[text (G77, EU)]". Only codes
 * of the meeting count (any code-like name when the meeting's are not known), so that
 * "[Regulation (EU) 2019/1020]" keeps its words; `from` is where the list (and the space
 * before it) starts.
 */
function innerHolders(text: string, pair: Pair, known: ReadonlySet<string> | undefined): { holders: string[]; from: number } | null {
  const inner = text.slice(pair.open + 1, pair.close);
  const m = /\s*\(([A-Z][A-Z0-9]{1,11}(?:\s*(?:,|;|\/|and|y)\s*[A-Z][A-Z0-9]{1,11})*)\)$/.exec(inner);
  if (!m || m.index === 0 || pair.children.some((c) => c.close >= pair.open + 1 + m.index)) return null;
  const names = m[1]!.split(/\s*(?:,|;|\/|\band\b|\by\b)\s*/).filter(Boolean);
  if (!known || names.some((n) => !known.has(n))) return null;
  return { holders: [...new Set(names)], from: pair.open + 1 + m.index };
}

/** The holder list right after the closing bracket at `close`, if any. */
function holderList(text: string, close: number, known: ReadonlySet<string> | undefined): { holders?: string[]; end: number; unknown?: string } {
  const m = HOLDER_LIST.exec(text.slice(close + 1));
  if (!m) {
    // "[text]G77": a code of the meeting written right after the bracket.
    const attached = /^([A-Z][A-Z0-9]{1,11})(?![\p{L}\p{N}])/u.exec(text.slice(close + 1));
    if (attached && known?.has(attached[1]!)) return { holders: [attached[1]!], end: close + 1 + attached[0].length };
    return { end: close + 1 };
  }
  const names = m[1]!.split(/\s*(?:,|;|\/|\band\b|\by\b)\s*/).filter(Boolean);
  const unknown = known ? names.filter((n) => !known.has(n)) : [];
  if (unknown.length) return { end: close + 1, unknown: unknown.join(", ") };
  return { holders: [...new Set(names)], end: close + 1 + m[0].length };
}

/**
 * Lines that belong to a paragraph next to them, joined to it before the structure is
 * read: a facilitator's note alone on its line ("{To be revisited}") to the paragraph
 * before it, and an option's label alone on its line ("Option 2:") to the paragraph after
 * it. Otherwise the one would be read as a paragraph and the other as a lead-in.
 */
export function attachSideLines(flats: readonly FlatParagraph[]): FlatParagraph[] {
  const out: FlatParagraph[] = [];
  let label: FlatParagraph | null = null;
  for (const f of flats) {
    const previous = out[out.length - 1];
    if (/^\{[^{}]*\}$/.test(f.text) && previous && label === null) {
      out[out.length - 1] = joinFlats(previous, f);
      continue;
    }
    const m = OPTION_LABEL.exec(f.text);
    if (m && m[0].length === f.text.length) {
      if (label) out.push(label);
      label = f;
      continue;
    }
    if (label) {
      out.push(labelled(label, f));
      label = null;
    } else if (m) out.push(labelled(slice(f, 0, m[0].trimEnd().length), slice(f, m[0].length, f.text.length)));
    else out.push(f);
  }
  if (label) out.push(label);
  return out;
}

// A typed paragraph number at the start of a text: "2.", "2 bis.", "(a)", "b)", "OP3".
const TYPED_NUMBER = /^(?:\d+(?:\s+(?:bis|ter|quater))?[.)]|\([a-z0-9]{1,4}\)|[a-z][.)]|(?:PP|OP)\s?\d+[.:]?)\s+/i;

/** An option's label joined to its paragraph, after the paragraph's typed number so that the number is still read as one. */
function labelled(label: FlatParagraph, f: FlatParagraph): FlatParagraph {
  const number = TYPED_NUMBER.exec(f.text)?.[0] ?? "";
  if (!number) return joinFlats(label, f);
  return joinFlats(slice(f, 0, number.trimEnd().length), joinFlats(label, slice(f, number.length, f.text.length)));
}

/** The characters [from, to) of a paragraph, with their formatting and the notes among them. */
function slice(f: FlatParagraph, from: number, to: number): FlatParagraph {
  return {
    ...f,
    text: f.text.slice(from, to),
    format: f.format.slice(from, to),
    notes: f.notes.filter((n) => n.offset >= from && (n.offset < to || to === f.text.length)).map((n) => ({ ...n, offset: n.offset - from })),
  };
}

/** Two paragraphs as one, a space between them (and ": " after a bare label). */
function joinFlats(a: FlatParagraph, b: FlatParagraph): FlatParagraph {
  const glue = OPTION_LABEL.test(a.text) && !/[:.\u2013\u2014-]$/.test(a.text) ? ": " : " ";
  const text = a.text + glue + b.text;
  const format = new Uint8Array(text.length);
  format.set(a.format, 0);
  format.set(b.format, a.text.length + glue.length);
  const shift = a.text.length + glue.length;
  return { ...a, text, format, notes: [...a.notes, ...b.notes.map((n) => ({ ...n, offset: n.offset + shift }))], list: b.list ?? a.list, style: b.style ?? a.style };
}

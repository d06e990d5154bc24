import { dropPrefix, type FlatParagraph } from "./source.js";
import { mastheadField } from "./masthead.js";
import { typedNumber, type TypedNumber } from "./typed-numbers.js";
import { letter, roman } from "../../schema/numbering.js";
import type { HeadingNumbering } from "../../schema/index.js";
import type { ImportedKind, SectionKind } from "./types.js";
import type { Masthead } from "../../schema/api/imports.js";

/** A paragraph of the file once its place in the document is known; its typed number is stripped. */
export interface PlacedParagraph {
  flat: FlatParagraph;
  kind: ImportedKind;
  level: number;
  typedNumber: string | null;
  section: SectionKind | null;
  /**
   * The label its typed number gives within its group ("2 bis", "a", "iv", "3" for PP3),
   * which the document keeps as its frozen number; null when none was typed.
   */
  label: string | null;
  /** A heading's numbering rule or `unnumbered`, when not the default. */
  numbering?: string;
}

/** A warning about one placed paragraph (by index) or the whole file (null). */
export interface PlacedWarning {
  block: number | null;
  warning: string;
}

/** What structure recognition found. */
export interface Structure {
  title: FlatParagraph | null;
  masthead: Masthead;
  paragraphs: PlacedParagraph[];
  warnings: PlacedWarning[];
}

// The words that open the operative part, English, Spanish and French, without accents.
const OPERATIVE_VERBS = new Set(
  (
    "RESOLVES RESOLVE DECIDES DECIDE DECLARES DECLARE AGREE AGREES RECOMMEND RECOMMENDS ADOPTS ADOPT COMMIT COMMITS " +
    "URGE URGES REQUESTS REQUEST AFFIRM AFFIRMS REAFFIRM PLEDGE PLEDGES UNDERTAKE " +
    "RESUELVE RESUELVEN DECIDE DECIDEN DECLARA DECLARAN ACUERDA ACUERDAN RECOMIENDA RECOMIENDAN ADOPTA ADOPTAN " +
    "SE EXHORTA EXHORTAN INSTA INSTAN AFIRMAN REAFIRMAN " +
    "RESOUT DECIDENT CONVIENNENT RECOMMANDE RECOMMANDENT"
  ).split(" "),
);
// The first word of a lead-in that names who speaks: "THE GENERAL ASSEMBLY,", "We, the Ministers,".
const SPEAKER_WORDS = new Set("THE WE LA EL LOS LAS NOSOTROS NOSOTRAS LE LES NOUS".split(" "));

const SECTION_PATTERNS: Array<[RegExp, SectionKind, number]> = [
  [/^(?:annex|anexo|appendix|ap[eé]ndice|annexe)\b/i, "annex", 1],
  [/^(?:chapter|cap[ií]tulo|chapitre)\s+(?:[IVXLC]+|\d+)\b/i, "chapter", 1],
  [/^(?:part|parte|partie)\s+(?:[IVXLC]+|\d+|one|two|three|four|five)\b/i, "part", 1],
  [/^(?:article|art[ií]culo)\s+(?:\d+|[IVXLC]+)\b/i, "article", 2],
  [/^[IVXLC]{1,6}\.\s+\S/, "section", 1],
  [/^[A-H]\.\s+\S/, "section", 2],
];

// What numbering rule a section heading takes when the paragraphs under it restart at 1.
const RESTART_RULES: Record<SectionKind, HeadingNumbering> = { annex: "annex", article: "article", chapter: "chapter", part: "section", section: "section" };

/** The label of a typed number at its level: "2 bis", "a", "a bis", "iv". */
function labelOf(typed: TypedNumber): string {
  const base = typed.style === "letter" ? letter(typed.value) : typed.style === "roman" ? roman(typed.value) : String(typed.value);
  return typed.suffix ? `${base} ${typed.suffix}` : base;
}

const plain = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
const words = (s: string) => s.split(/\s+/).filter(Boolean);
const firstWord = (s: string) => plain(words(s)[0] ?? "").replace(/[^A-Za-z]/g, "").toUpperCase();
const hasLetters = (s: string) => /\p{L}/u.test(s);
const allCaps = (s: string) => hasLetters(s) && s === s.toUpperCase();
const endsClause = (s: string) => /[,;:]$/.test(s);

/** The section a heading line opens and its depth, or null when the line is no heading. */
function sectionOf(p: FlatParagraph): { section: SectionKind | null; level: number } | null {
  const text = p.text;
  const style = /^heading\s*(\d)/i.exec(p.style ?? "");
  for (const [pattern, section, level] of SECTION_PATTERNS) {
    if (!pattern.test(text) || words(text).length > 25 || /[;,]$/.test(text)) continue;
    if (section === "section" && level === 1 && !/^[IVXLC]+\./.test(text)) continue;
    return { section, level: style ? Math.min(3, Number(style[1])) : level };
  }
  if (style) return { section: null, level: Math.max(1, Math.min(3, Number(style[1]))) };
  return null;
}

/**
 * Recognises what each paragraph of a file is: the masthead lines, the title, lead-ins
 * (and the one that switches to the operative part: "RESOLVES:", "DECLARE:", "ACUERDAN:"),
 * headings and sections, preambular and operative paragraphs with their typed numbers
 * turned into levels, and warns of numbering gaps, restarts and what it had to guess.
 */
export function recogniseStructure(all: readonly FlatParagraph[]): Structure {
  const warnings: PlacedWarning[] = [];
  const masthead: Masthead = { lines: [] };
  const items = all.filter((p) => p.text !== "");

  // The masthead: the opening lines up to the last one that is a masthead field.
  let lastField = -1;
  for (let i = 0; i < Math.min(items.length, 20); i++) {
    const text = items[i]!.text;
    if (mastheadField(text)) lastField = i;
    else if (endsClause(text) || typedNumber(text, 0) || words(text).length > 40) break;
  }
  for (let i = 0; i <= lastField; i++) {
    const text = items[i]!.text;
    const field = mastheadField(text);
    if (field && masthead[field[0]] === undefined) masthead[field[0]] = field[1];
    else masthead.lines.push(text);
  }

  // The title: the next line that reads as one, with the all-capital lines that continue it.
  let next = lastField + 1;
  let title: FlatParagraph | null = null;
  const first = items[next];
  if (first && (/^title$/i.test(first.style ?? "") || (!endsClause(first.text) && !typedNumber(first.text, 0) && words(first.text).length <= 40))) {
    title = first;
    next += 1;
    while (next < items.length) {
      const p = items[next]!;
      if (!allCaps(p.text) || endsClause(p.text) || words(p.text).length > 20 || typedNumber(p.text, 0) || sectionOf(p)) break;
      title = joinFlat(title, p);
      next += 1;
    }
  }

  const paragraphs: PlacedParagraph[] = [];
  let part: "front" | "preamble" | "operative" = "front";
  let typedOps = 0;
  const untypedOps: number[] = [];
  let lastTop = 0;
  let lastLetter = 0;
  let lastRoman = 0;
  let lastPP = 0;
  // The section heading met since the last top-level operative paragraph, and the section
  // kinds whose paragraphs restart at 1 (each such heading then restarts the numbering).
  let sectionSinceOp: { section: SectionKind; at: number } | null = null;
  const restarting = new Set<SectionKind>();
  // Annexes whose paragraphs run on from the body's numbers (an annex has its own otherwise).
  const continuingAnnexes = new Set<number>();
  const warn = (block: number | null, warning: string) => warnings.push({ block, warning });
  const place = (flat: FlatParagraph, kind: ImportedKind, level: number, typed: string | null, section: SectionKind | null = null, label: string | null = null) =>
    paragraphs.push({ flat, kind, level, typedNumber: typed, section, label }) - 1;

  for (; next < items.length; next++) {
    const p = items[next]!;
    const text = p.text;
    const typed = typedNumber(text, lastLetter);
    // A Word heading style wins over a typed number: "1. Introduction" styled as a heading is one.
    const heading = typed && !/^heading/i.test(p.style ?? "") ? null : sectionOf(p);
    if (heading) {
      const at = place(p, "heading", heading.level, null, heading.section);
      if (heading.section) sectionSinceOp = { section: heading.section, at };
      continue;
    }
    const previous = paragraphs[paragraphs.length - 1];
    if (previous?.kind === "heading" && !typed && !p.list && !/[.;,:]$/.test(text) && words(text).length <= 15) {
      // "Terms of reference of the working group" under "Annex": the section's own title.
      place(p, "heading", Math.min(3, previous.level + 1), null);
      continue;
    }
    if (!typed && !p.list?.ordered && text.endsWith(":") && words(text).length <= 15) {
      const isSwitch = OPERATIVE_VERBS.has(firstWord(text)) || (part !== "operative" && nextStartsOperative(items, next + 1));
      place(p, "lead-in", 0, null);
      if (isSwitch) part = "operative";
      else if (part === "front") part = "preamble";
      continue;
    }
    if (!typed && !p.list && part === "front" && paragraphs.every((x) => x.kind !== "pp" && x.kind !== "op") && text.endsWith(",") && SPEAKER_WORDS.has(firstWord(text))) {
      place(p, "lead-in", 0, null);
      part = "preamble";
      continue;
    }
    if (part === "front" && /^\(.*\)$/.test(text) && !typed) {
      // "(Adopted at the fourth plenary session …)": a line of its own, not a clause.
      place(p, "lead-in", 0, null);
      continue;
    }
    if (!typed && !p.list && allCaps(text) && !endsClause(text) && !/[.]$/.test(text) && words(text).length <= 12) {
      place(p, "heading", 1, null);
      continue;
    }

    // Preambular and operative paragraphs.
    if (typed?.style === "pp" || (!typed && !p.list?.ordered && part !== "operative")) {
      const flat = typed ? dropPrefix(p, typed.length) : p;
      const at = place(flat, "pp", 0, typed?.label ?? null, null, typed ? labelOf(typed) : null);
      if (typed) {
        if (typed.value !== lastPP + 1 && !typed.suffix) warn(at, `typed "${typed.label}" where PP${lastPP + 1} was expected`);
        lastPP = typed.value;
      } else lastPP += 1;
      if (part === "front") part = "preamble";
      continue;
    }
    if (typed && (typed.style === "letter" || typed.style === "roman") && part !== "operative" && paragraphs.some((x) => x.kind === "pp")) {
      const at = place(dropPrefix(p, typed.length), "pp", 1, typed.label);
      warn(at, `the preambular sub-item "${typed.label}" is kept as a clause beneath the one above; Accord does not print letters in the preamble`);
      continue;
    }
    part = "operative";
    if (!typed) {
      const level = p.list ? Math.min(2, p.list.level) : 0;
      const at = place(p, "op", level, null);
      // In a file that types its numbers, one printed without is an unnumbered paragraph: it takes no number.
      if (!p.list) untypedOps.push(at);
      if (!p.list && typedOps > 0) continue;
      if (level === 0) (lastTop += 1), (lastLetter = 0), (lastRoman = 0), (sectionSinceOp = null);
      else if (level === 1) (lastLetter += 1), (lastRoman = 0);
      continue;
    }
    const flat = dropPrefix(p, typed.length);
    typedOps += 1;
    if (typed.style === "arabic" || typed.style === "op") {
      const at = place(flat, "op", 0, typed.label, null, labelOf(typed));
      checkTop(typed, at);
      lastLetter = 0;
      lastRoman = 0;
      sectionSinceOp = null;
    } else if (typed.style === "letter") {
      // A lettered item with no numbered paragraph above it is a top-level item, cited OP(a).
      const at = place(flat, "op", 1, typed.label, null, labelOf(typed));
      if (typed.suffix ? typed.value !== lastLetter : typed.value !== lastLetter + 1)
        warn(at, `typed "${typed.label}" where (${String.fromCharCode(97 + Math.min(25, lastLetter))}) was expected: a gap in the lettering, kept as typed`);
      lastLetter = typed.value;
      lastRoman = 0;
    } else {
      const at = place(flat, "op", 2, typed.label, null, labelOf(typed));
      if (typed.value !== lastRoman + 1 && !typed.suffix) warn(at, `typed "${typed.label}" where the next item was number ${lastRoman + 1}: a gap in the numbering, kept as typed`);
      lastRoman = typed.value;
    }
  }

  function checkTop(typed: TypedNumber, at: number) {
    if (typed.value === 1 && !typed.suffix && lastTop > 0 && sectionSinceOp !== null) {
      // "1." again under "Article 2" or "Annex": that kind of section has its own numbering.
      restarting.add(sectionSinceOp.section);
      lastTop = 0;
    } else if (sectionSinceOp?.section === "annex" && lastTop > 0 && typed.value === lastTop + 1) continuingAnnexes.add(sectionSinceOp.at);
    if (typed.suffix) {
      if (typed.value !== lastTop) warn(at, `"${typed.label}" does not follow paragraph ${typed.value}`);
    } else if (typed.value !== lastTop + 1)
      warn(at, `typed number ${typed.label} where ${lastTop + 1} was expected: a gap in the numbering, kept as typed`);
    lastTop = typed.suffix ? lastTop : typed.value;
  }

  // Sections whose paragraphs restart at 1 restart the numbering, every heading of their kind.
  paragraphs.forEach((p, at) => {
    if (p.kind === "heading" && p.section && (restarting.has(p.section) || (p.section === "annex" && !continuingAnnexes.has(at)))) p.numbering = RESTART_RULES[p.section];
  });
  if (typedOps > 0) for (const at of untypedOps) if (paragraphs[at]!.level === 0) paragraphs[at]!.numbering = "unnumbered";
  if (!title) warn(null, "no title was found at the top of the file");
  return { title, masthead, paragraphs, warnings };
}

function nextStartsOperative(items: readonly FlatParagraph[], i: number): boolean {
  const p = items[i];
  if (!p) return false;
  const typed = typedNumber(p.text, 0);
  return !!p.list?.ordered || (typed !== null && (typed.style === "arabic" || typed.style === "op") && typed.value === 1);
}

function joinFlat(a: FlatParagraph, b: FlatParagraph): FlatParagraph {
  const format = new Uint8Array(a.format.length + 1 + b.format.length);
  format.set(a.format, 0);
  format.set(b.format, a.format.length + 1);
  const shift = a.text.length + 1;
  return { ...a, text: `${a.text} ${b.text}`, format, notes: [...a.notes, ...b.notes.map((n) => ({ ...n, offset: n.offset + shift }))] };
}

/** A long text cut for a warning. */
export function shorten(text: string, max = 50): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}


import type { Block, BlockKind } from "./blocks.js";

/** How a block is cited: `number` as printed before it, `ref` as delegates cite it. */
export interface BlockNumber {
  /** Label of an operative paragraph as printed: "1", "7 bis", "(a)", "(a bis)", "(i)" (print adds the dot after "1"); null otherwise. */
  number: string | null;
  /**
   * Citation: "OP1", "OP7 bis", "OP1(a)", "OP1(a)(ii)", "OP(a)" (a lettered item with no
   * numbered paragraph above it), "PP3", "PP3 bis", "Annex OP3", "Article 2 OP1", "after
   * OP5" (an unnumbered paragraph); null for title, chapeau and headings.
   */
  ref: string | null;
  /**
   * The paragraph's own label within its sibling group, the value frozen under negotiation:
   * "7", "7 bis", "a", "i", and "3" for PP3; null for unnumbered paragraphs and other blocks.
   */
  label: string | null;
}

/** A frozen label: the one a paragraph had when its document's numbers were frozen, with the kind and level it had then. */
export interface FrozenLabel {
  kind: BlockKind;
  level: number;
  label: string;
}

/** Frozen labels of a document by paragraph id (empty: numbers follow the order, as in a draft). */
export type FrozenLabels = ReadonlyMap<string, FrozenLabel>;

/** What `numberBlocks` reads of a block. `id` is needed only to find frozen labels. */
export type NumberedBlock = Pick<Block, "kind" | "level"> & { id?: string; numbering?: string | undefined };

const ROMAN: Array<[number, string]> = [
  [1000, "m"], [900, "cm"], [500, "d"], [400, "cd"], [100, "c"], [90, "xc"],
  [50, "l"], [40, "xl"], [10, "x"], [9, "ix"], [5, "v"], [4, "iv"], [1, "i"],
];

/** Lower-case Roman numeral of a positive integer (1 → "i", 14 → "xiv"). */
export function roman(n: number): string {
  let out = "";
  for (const [value, digits] of ROMAN) {
    while (n >= value) {
      out += digits;
      n -= value;
    }
  }
  return out;
}

/** Letters for sub-paragraphs: 1 → "a", 26 → "z", 27 → "aa" (the UN convention). */
export function letter(n: number): string {
  const base = String.fromCharCode(97 + ((n - 1) % 26));
  return base.repeat(Math.floor((n - 1) / 26) + 1);
}

/**
 * Latin suffixes of paragraphs inserted under negotiation, in order: after 7 come "7 bis",
 * "7 ter", "7 quater" … (UN and OAS practice).
 */
export const SUFFIXES = [
  "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies",
  "undecies", "duodecies", "terdecies", "quaterdecies", "quindecies", "sexdecies",
  "septdecies", "octodecies", "novodecies", "vicies",
] as const;

/** The n-th suffix from 0 ("bis"); past "vicies" the Latin runs out and a count is used ("7 (21)"). */
function suffixAt(i: number): string {
  return SUFFIXES[i] ?? `(${i + 2})`;
}

/** A label's base and the index of its suffix (-1 for none): "7 ter" → ["7", 1]. */
function splitLabel(label: string): [string, number] {
  const space = label.indexOf(" ");
  if (space < 0) return [label, -1];
  const suffix = label.slice(space + 1);
  const known = (SUFFIXES as readonly string[]).indexOf(suffix);
  const counted = /^\((\d+)\)$/.exec(suffix);
  return [label.slice(0, space), known >= 0 ? known : counted ? Number(counted[1]) - 2 : 0];
}

/** How a numbered kind and level print their label: arabic for OP and PP, letters, Roman numerals. */
function ordinal(kind: "pp" | "op", level: number, n: number): string {
  if (kind === "pp" || level === 0) return String(n);
  return level === 1 ? letter(n) : roman(n);
}

/** The designation of the n-th restart heading of its rule: "Section II", "Chapter I", "Article 2". */
function designation(rule: string, n: number): string {
  if (rule === "article") return `Article ${n}`;
  return `${rule === "chapter" ? "Chapter" : "Section"} ${roman(n).toUpperCase()}`;
}

interface Group {
  /** Whether any member has a frozen label that applies: then new members take suffixes. */
  frozen: boolean;
  /** Members numbered so far, in order (for ordinal numbering). */
  count: number;
  /** The previous member's label. */
  previous: string | null;
  /** Every label given in the group, frozen or new, so that no two members share one. */
  used: Set<string>;
}

/**
 * Numbers every block of a document, in order: the one numbering rule shared by the
 * editor's margin numbers, the paragraph read-model, the canonical form, the exports and
 * the import's citations.
 *
 * - Operative paragraphs are numbered 1, 2, 3 … through the document; a level-1
 *   sub-paragraph restarts at "(a)" under each numbered paragraph, a level-2 at "(i)"
 *   under each lettered one. Lettered items with no numbered paragraph above them (a
 *   decision made only of (a), (b) …) are top-level items cited "OP(a)".
 * - Preambular paragraphs are unnumbered in print but cited in order: PP1, PP2, ….
 * - A heading whose numbering is `section`, `chapter` or `article` restarts operative
 *   numbering at 1 and its paragraphs are cited with its designation ("Article 2 OP1");
 *   `annex` restarts preambular and operative numbering and the section counts, and its
 *   paragraphs are cited "Annex OP1" ("Annex II OP1" when there are several annexes).
 * - An `unnumbered` paragraph is printed without a number, skipped by the count, and cited
 *   by the numbered paragraph it follows: "after OP5", "after OP5 (2)" for the second;
 *   "unnumbered OP" before any.
 * - With `frozen` labels (a document under negotiation), a paragraph keeps the label it was
 *   frozen with while its kind and level stay the same, so a deleted one leaves its number
 *   unused; a paragraph that has none follows its predecessor in its group with the next
 *   free suffix ("7 bis", "(a bis)", "PP3 bis"; "0 bis" before the first). A group with no
 *   frozen member (the sub-paragraphs of a new paragraph) is numbered in order.
 * - Citations are unique: where sub-paragraphs with no parent above them would be cited
 *   alike (a new lettered and a new Roman item both "OP(0 bis)"), the later one is cited
 *   with its count, "OP(0 bis) (2)", as unnumbered paragraphs are.
 */
export function numberBlocks(blocks: readonly NumberedBlock[], frozen: FrozenLabels = new Map()): BlockNumber[] {
  const annexes = blocks.filter((b) => b.kind === "heading" && b.numbering === "annex").length;
  const kept = (b: NumberedBlock): string | null => {
    if (b.id === undefined || (b.kind !== "pp" && b.kind !== "op")) return null;
    const f = frozen.get(b.id);
    return f && f.kind === b.kind && f.level === clampLevel(b) ? f.label : null;
  };

  // First pass: every numbered paragraph's sibling group, whether that group has frozen
  // members, and which frozen labels still apply (a label already taken in its group, by a
  // paragraph moved under another parent, does not).
  const groupOf: Array<string | null> = [];
  const keptAt: Array<string | null> = [];
  const groups = new Map<string, Group>();
  {
    let annex = 0;
    let scope = 0;
    let parent0: string | null = null;
    let parent1: string | null = null;
    blocks.forEach((b, i) => {
      groupOf.push(null);
      keptAt.push(null);
      if (b.kind === "heading" && b.numbering && b.numbering !== "none") {
        scope += 1;
        if (b.numbering === "annex") annex += 1;
        parent0 = parent1 = null;
        return;
      }
      if ((b.kind !== "pp" && b.kind !== "op") || b.numbering === "unnumbered") return;
      let key: string;
      if (b.kind === "pp") key = `pp:${annex}`;
      else {
        const level = clampLevel(b);
        if (level === 0) {
          key = `op:${scope}`;
          parent0 = `${i}`;
          parent1 = null;
        } else if (level === 1) {
          key = `op1:${parent0 ?? `top${scope}`}`;
          parent1 = `${i}`;
        } else key = `op2:${parent1 ?? parent0 ?? `top${scope}`}`;
      }
      groupOf[i] = key;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { frozen: false, count: 0, previous: null, used: new Set() }));
      const label = kept(b);
      if (label !== null && !group.used.has(label)) {
        group.frozen = true;
        group.used.add(label);
        keptAt[i] = label;
      }
    });
  }

  return uniqueCitations(citeBlocks(blocks, groups, groupOf, keptAt, annexes));
}

/** Gives a citation already used earlier in the document its count: "OP(0 bis) (2)". */
function uniqueCitations(numbers: BlockNumber[]): BlockNumber[] {
  const seen = new Map<string, number>();
  return numbers.map((n) => {
    if (n.ref === null) return n;
    const k = (seen.get(n.ref) ?? 0) + 1;
    seen.set(n.ref, k);
    return k === 1 ? n : { ...n, ref: `${n.ref} (${k})` };
  });
}

/** Second pass: labels, printed numbers and citations. */
function citeBlocks(
  blocks: readonly NumberedBlock[],
  groups: Map<string, Group>,
  groupOf: ReadonlyArray<string | null>,
  keptAt: ReadonlyArray<string | null>,
  annexes: number,
): BlockNumber[] {
  let annex = 0;
  let sections = new Map<string, number>();
  let prefix = "";
  let annexPrefix = "";
  let ref0: string | null = null;
  let ref1: string | null = null;
  let lastOp: string | null = null;
  let lastPp: string | null = null;
  let unnumberedOp = 0;
  let unnumberedPp = 0;
  return blocks.map((b, i) => {
    if (b.kind === "heading") {
      if (b.numbering && b.numbering !== "none") {
        if (b.numbering === "annex") {
          annex += 1;
          annexPrefix = annexes > 1 ? `Annex ${roman(annex).toUpperCase()} ` : "Annex ";
          prefix = annexPrefix;
          sections = new Map();
          lastPp = null;
          unnumberedPp = 0;
        } else {
          const n = (sections.get(b.numbering) ?? 0) + 1;
          sections.set(b.numbering, n);
          prefix = `${annexPrefix}${designation(b.numbering, n)} `;
        }
        ref0 = ref1 = lastOp = null;
        unnumberedOp = 0;
      }
      return { number: null, ref: null, label: null };
    }
    if (b.kind !== "pp" && b.kind !== "op") return { number: null, ref: null, label: null };
    if (b.numbering === "unnumbered") {
      if (b.kind === "pp") {
        unnumberedPp += 1;
        return { number: null, ref: unnumberedRef(lastPp, `${prefix}PP`, unnumberedPp), label: null };
      }
      unnumberedOp += 1;
      return { number: null, ref: unnumberedRef(lastOp, `${prefix}OP`, unnumberedOp), label: null };
    }
    const group = groups.get(groupOf[i]!)!;
    const level = b.kind === "pp" ? 0 : clampLevel(b);
    const label = labelIn(group, b.kind, level, keptAt[i]!);
    if (b.kind === "pp") {
      lastPp = `${prefix}PP${label}`;
      unnumberedPp = 0;
      return { number: null, ref: lastPp, label };
    }
    unnumberedOp = 0;
    if (level === 0) {
      ref0 = `${prefix}OP${label}`;
      ref1 = null;
      lastOp = ref0;
      return { number: label, ref: ref0, label };
    }
    const parent = level === 1 ? ref0 : (ref1 ?? ref0);
    const ref = `${parent ?? `${prefix}OP`}(${label})`;
    if (level === 1) ref1 = ref;
    lastOp = ref;
    return { number: `(${label})`, ref, label };
  });
}

function clampLevel(b: Pick<Block, "level">): number {
  return Math.max(0, Math.min(2, b.level));
}

/** The label of the next member of a group: its frozen one, the next in order, or the next free suffix after its predecessor. */
function labelIn(group: Group, kind: "pp" | "op", level: number, frozenLabel: string | null): string {
  let label: string;
  if (frozenLabel !== null) label = frozenLabel;
  else if (!group.frozen) label = ordinal(kind, level, group.count + 1);
  else {
    const [base, suffix] = group.previous === null ? ["0", -1] : splitLabel(group.previous);
    let next = suffix + 1;
    while (group.used.has(`${base} ${suffixAt(next)}`)) next += 1;
    label = `${base} ${suffixAt(next)}`;
  }
  group.count += 1;
  group.previous = label;
  group.used.add(label);
  return label;
}

function unnumberedRef(anchor: string | null, scope: string, k: number): string {
  const nth = k > 1 ? ` (${k})` : "";
  return anchor === null ? `unnumbered ${scope.trimEnd()}${nth}` : `after ${anchor}${nth}`;
}

/**
 * The numbering of Accord's first canonical form (`accord.canonical/1`), kept so that a
 * document that uses nothing the current rules add is still hashed exactly as before:
 * operative paragraphs continuously through the document, preambular ones cited in order,
 * and a sub-paragraph with no numbered paragraph above it cited under "OP0".
 */
export function numberBlocksV1(blocks: readonly Pick<Block, "kind" | "level">[]): Array<Pick<BlockNumber, "number" | "ref">> {
  let op = 0;
  let sub = 0;
  let subsub = 0;
  let pp = 0;
  let lastOp = "";
  let lastSub = "";
  return blocks.map((block) => {
    if (block.kind === "pp") {
      pp += 1;
      return { number: null, ref: `PP${pp}` };
    }
    if (block.kind !== "op") return { number: null, ref: null };
    const level = Math.max(0, Math.min(2, block.level));
    if (level === 0) {
      op += 1;
      sub = 0;
      subsub = 0;
      lastOp = `OP${op}`;
      lastSub = lastOp;
      return { number: String(op), ref: lastOp };
    }
    if (level === 1) {
      sub += 1;
      subsub = 0;
      lastSub = `${lastOp || "OP0"}(${letter(sub)})`;
      return { number: `(${letter(sub)})`, ref: lastSub };
    }
    subsub += 1;
    return { number: `(${roman(subsub)})`, ref: `${lastSub || "OP0"}(${roman(subsub)})` };
  });
}

import type { CanonicalDocument, CanonicalParagraph } from "./canonical.js";
import { wordDiff, type DiffRun } from "./diff.js";

/** How a paragraph fared between two states of a document. */
export type ParagraphChange = "added" | "deleted" | "moved" | "changed" | "same";

/** What besides its place can differ in a paragraph that exists on both sides. */
export type ParagraphAspect = "text" | "kind" | "level" | "brackets";

/** One paragraph of a comparison, matched by id. */
export interface ParagraphComparison {
  id: string;
  change: ParagraphChange;
  kind: CanonicalParagraph["kind"];
  /** Operative label before / after ("2", "(a)"); null when absent on that side or unnumbered. */
  fromNumber: string | null;
  toNumber: string | null;
  /** Citation before / after ("OP2", "PP3"); null when absent on that side or not cited. */
  fromRef: string | null;
  toRef: string | null;
  /** Text on the newer side (the older side for a deleted paragraph). */
  text: string;
  /** What differs besides the place, for `changed` and for a `moved` paragraph that also changed. */
  aspects?: ParagraphAspect[];
  /** Word diff from the older to the newer text when the text differs. */
  diff?: DiffRun[];
}

/** How many paragraphs fell in each class. */
export type ComparisonSummary = Record<ParagraphChange, number>;

/** The comparison of two canonical documents. */
export interface Comparison {
  summary: ComparisonSummary;
  /** In the newer document's order; a deleted paragraph stands after its last surviving predecessor. */
  paragraphs: ParagraphComparison[];
}

/**
 * Indices (into `seq`) of one longest strictly increasing subsequence, in O(n log n).
 * The common paragraphs listed in the newer order with their older positions: those in
 * the longest increasing run kept their relative order, the rest moved.
 */
export function longestIncreasingSubsequence(seq: readonly number[]): Set<number> {
  const tails: number[] = []; // tails[k] = index in seq of the smallest tail of a run of length k+1
  const previous = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const value = seq[i]!;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const kept = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = previous[i]!) kept.add(i);
  return kept;
}

function sameBrackets(a: CanonicalParagraph, b: CanonicalParagraph): boolean {
  if (a.brackets.length !== b.brackets.length) return false;
  return a.brackets.every((x, i) => {
    const y = b.brackets[i]!;
    return x.id === y.id && x.group === y.group && x.from === y.from && x.to === y.to;
  });
}

function aspectsOf(before: CanonicalParagraph, after: CanonicalParagraph): ParagraphAspect[] {
  const aspects: ParagraphAspect[] = [];
  if (before.text !== after.text) aspects.push("text");
  if (before.kind !== after.kind) aspects.push("kind");
  if (before.level !== after.level) aspects.push("level");
  if (!sameBrackets(before, after)) aspects.push("brackets");
  return aspects;
}

/**
 * Compares two canonical documents paragraph by paragraph, matched by id: a paragraph only
 * in `to` is added, only in `from` deleted; of the common ones, those outside a longest
 * common subsequence of the two orders moved (with both numbers); the others changed when
 * their text, kind, level or brackets differ (with a word diff of the text), else same.
 * Renumbering caused by other paragraphs is not a change.
 */
export function compareDocuments(from: CanonicalDocument, to: CanonicalDocument): Comparison {
  const fromIndex = new Map<string, number>();
  from.paragraphs.forEach((p, i) => fromIndex.set(p.id, i));
  const toIds = new Set(to.paragraphs.map((p) => p.id));

  const common: number[] = []; // older positions of common paragraphs, in newer order
  const commonAt: number[] = []; // their newer positions
  to.paragraphs.forEach((p, i) => {
    const at = fromIndex.get(p.id);
    if (at !== undefined) {
      common.push(at);
      commonAt.push(i);
    }
  });
  const kept = longestIncreasingSubsequence(common);
  const moved = new Set<number>();
  common.forEach((_, k) => {
    if (!kept.has(k)) moved.add(commonAt[k]!);
  });

  const summary: ComparisonSummary = { added: 0, deleted: 0, moved: 0, changed: 0, same: 0 };
  const entries: ParagraphComparison[] = [];
  const deletedAfter = (olderIndex: number) => {
    // Deleted paragraphs that followed `olderIndex` in the older text, up to the next survivor.
    for (let j = olderIndex + 1; j < from.paragraphs.length; j++) {
      const gone = from.paragraphs[j]!;
      if (toIds.has(gone.id)) break;
      summary.deleted += 1;
      entries.push({
        id: gone.id,
        change: "deleted",
        kind: gone.kind,
        fromNumber: gone.number,
        toNumber: null,
        fromRef: gone.ref,
        toRef: null,
        text: gone.text,
      });
    }
  };
  deletedAfter(-1);
  to.paragraphs.forEach((after, i) => {
    const at = fromIndex.get(after.id);
    if (at === undefined) {
      summary.added += 1;
      entries.push({ id: after.id, change: "added", kind: after.kind, fromNumber: null, toNumber: after.number, fromRef: null, toRef: after.ref, text: after.text });
      return;
    }
    const before = from.paragraphs[at]!;
    const aspects = aspectsOf(before, after);
    const change: ParagraphChange = moved.has(i) ? "moved" : aspects.length > 0 ? "changed" : "same";
    summary[change] += 1;
    const entry: ParagraphComparison = {
      id: after.id,
      change,
      kind: after.kind,
      fromNumber: before.number,
      toNumber: after.number,
      fromRef: before.ref,
      toRef: after.ref,
      text: after.text,
    };
    if (aspects.length > 0) entry.aspects = aspects;
    if (before.text !== after.text) entry.diff = wordDiff(before.text, after.text);
    entries.push(entry);
    // A moved paragraph's old neighbours are not where it now stands; deletions are placed
    // after paragraphs that kept their order.
    if (!moved.has(i)) deletedAfter(at);
  });
  // Deleted paragraphs whose older predecessor moved away have no place left: put them last.
  if (summary.deleted < from.paragraphs.length - common.length) {
    const listed = new Set(entries.map((e) => e.id));
    for (const gone of from.paragraphs) {
      if (toIds.has(gone.id) || listed.has(gone.id)) continue;
      summary.deleted += 1;
      entries.push({ id: gone.id, change: "deleted", kind: gone.kind, fromNumber: gone.number, toNumber: null, fromRef: gone.ref, toRef: null, text: gone.text });
    }
  }
  return { summary, paragraphs: entries };
}

import { wordDiff, type DiffRun } from "../../schema/diff.js";
import { proposedText } from "./content.js";
import type { AmendmentContent, AmendmentDiff, AmendmentOperation } from "../../schema/api/amendments.js";

// Diffs are pure functions of two strings and the same pairs come back on every listing
// (the base never moves until a rebase), so a bounded memo turns repeat listings into
// lookups. Cleared wholesale when full: simpler than LRU and the working set is small.
const MEMO_LIMIT = 20_000;
const memo = new Map<string, DiffRun[]>();

/** Forgets every memoised diff (for benchmarks that measure the cold cost). */
export function clearDiffMemo(): void {
  memo.clear();
}

function memoDiff(before: string, after: string): DiffRun[] {
  const key = `${before}\u0000${after}`;
  let runs = memo.get(key);
  if (!runs) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    runs = wordDiff(before, after);
    memo.set(key, runs);
  }
  return runs;
}

/**
 * What the amendment does to a paragraph whose text is `paragraph`: a replacement rewrites
 * it, an insertion adds wording where there was none, a deletion strikes it all.
 */
function operationDiff(operation: AmendmentOperation, content: AmendmentContent | null, paragraph: string): DiffRun[] {
  const proposed = proposedText(content);
  switch (operation) {
    case "replace":
      return memoDiff(paragraph, proposed);
    case "delete":
      return paragraph.length ? [{ op: "delete", text: paragraph }] : [];
    default:
      return proposed.length ? [{ op: "insert", text: proposed }] : [];
  }
}

/** Both diffs of an amendment given the target's current text (null: deleted) and its base. */
export function amendmentDiff(
  operation: AmendmentOperation,
  content: AmendmentContent | null,
  current: string | null,
  base: string,
): AmendmentDiff {
  return {
    current: current === null ? null : operationDiff(operation, content, current),
    base: operationDiff(operation, content, base),
  };
}

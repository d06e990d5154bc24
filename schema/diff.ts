import { diffWordsWithSpace } from "diff";

/** One run of a word diff: text kept, inserted or deleted. */
export interface DiffRun {
  op: "equal" | "insert" | "delete";
  text: string;
}

/**
 * The word-level difference from `before` to `after` (white space kept as its own tokens),
 * as runs ready to show as plain, underlined and struck-through text. Adjacent runs of the
 * same kind are merged.
 */
export function wordDiff(before: string, after: string): DiffRun[] {
  const runs: DiffRun[] = [];
  for (const part of diffWordsWithSpace(before.normalize("NFC"), after.normalize("NFC"))) {
    const op: DiffRun["op"] = part.added ? "insert" : part.removed ? "delete" : "equal";
    const last = runs[runs.length - 1];
    if (last && last.op === op) last.text += part.value;
    else if (part.value.length > 0) runs.push({ op, text: part.value });
  }
  return runs;
}


/** The panels' grouping of word diffs into readable phrases (editor/panels/ui/common.tsx). */
import { describe, expect, test } from "vitest";
import { wordDiff } from "../../schema/diff.js";
import { phraseRuns } from "../../editor/panels/ui/common.js";

/** The text before (equal + deleted) and after (equal + inserted) a diff. */
function sides(runs: ReadonlyArray<{ op: string; text: string }>): [string, string] {
  return [runs.filter((r) => r.op !== "insert").map((r) => r.text).join(""), runs.filter((r) => r.op !== "delete").map((r) => r.text).join("")];
}

describe("phraseRuns", () => {
  test("a replaced phrase reads as one struck phrase and one underlined phrase", () => {
    const runs = phraseRuns(wordDiff("education at all levels.", "education in school curricula."));
    expect(runs).toEqual([
      { op: "equal", text: "education " },
      { op: "delete", text: "at all levels" },
      { op: "insert", text: "in school curricula" },
      { op: "equal", text: "." },
    ]);
  });

  test("keeps both texts of any diff exactly", () => {
    const pairs: Array<[string, string]> = [
      ["To urge member states to sign", "To urge all member states to sign and ratify"],
      ["a b c d", "a x c y"],
      ["remove these words entirely", "remove entirely"],
      ["", "all new"],
      ["all gone", ""],
    ];
    for (const [before, after] of pairs) {
      const runs = phraseRuns(wordDiff(before, after));
      const [b, a] = sides(runs);
      expect(b).toBe(before);
      expect(a).toBe(after);
    }
  });
});

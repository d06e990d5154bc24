import { describe, expect, it } from "vitest";
import { canonicalize, type Block, type CanonicalDocument } from "../schema/index.js";
import { compareDocuments, longestIncreasingSubsequence } from "../schema/compare.js";

/** A document of operative paragraphs from [id, text] pairs (a title first). */
function doc(...paragraphs: Array<[string, string] | Block>): CanonicalDocument {
  const blocks: Block[] = [{ id: "t", type: "title", kind: "title", level: 0, runs: [{ text: "T" }] }];
  for (const p of paragraphs) blocks.push(Array.isArray(p) ? { id: p[0], type: "paragraph", kind: "op", level: 0, runs: [{ text: p[1] }] } : p);
  return canonicalize(blocks);
}

const changes = (from: CanonicalDocument, to: CanonicalDocument) =>
  compareDocuments(from, to).paragraphs.map((p) => `${p.id}:${p.change}`);

describe("compareDocuments", () => {
  it("reports nothing but same for equal documents", () => {
    const a = doc(["a", "one"], ["b", "two"]);
    expect(compareDocuments(a, a).summary).toEqual({ added: 0, deleted: 0, moved: 0, changed: 0, same: 3 });
  });

  it("matches by id: added, deleted and changed with a word diff", () => {
    const from = doc(["a", "To urge member states"], ["b", "gone"], ["c", "kept"]);
    const to = doc(["a", "To urge all member states"], ["n", "new"], ["c", "kept"]);
    const result = compareDocuments(from, to);
    expect(result.summary).toEqual({ added: 1, deleted: 1, moved: 0, changed: 1, same: 2 });
    expect(result.paragraphs.map((p) => `${p.id}:${p.change}`)).toEqual(["t:same", "a:changed", "b:deleted", "n:added", "c:same"]);
    const a = result.paragraphs[1]!;
    expect(a.diff).toEqual([
      { op: "equal", text: "To urge " },
      { op: "insert", text: "all " },
      { op: "equal", text: "member states" },
    ]);
    expect(result.paragraphs[2]).toMatchObject({ fromNumber: "2", toNumber: null, fromRef: "OP2", toRef: null, text: "gone" });
    expect(result.paragraphs[3]).toMatchObject({ fromNumber: null, toNumber: "2" });
  });

  it("a moved paragraph is the one outside the longest common order, with both numbers; renumbered neighbours are same", () => {
    const from = doc(["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"], ["e", "5"]);
    const to = doc(["a", "1"], ["c", "3"], ["d", "4"], ["e", "5"], ["b", "2"]);
    const result = compareDocuments(from, to);
    expect(result.summary).toEqual({ added: 0, deleted: 0, moved: 1, changed: 0, same: 5 });
    expect(result.paragraphs.find((p) => p.id === "b")).toMatchObject({ change: "moved", fromNumber: "2", toNumber: "5" });
    expect(result.paragraphs.find((p) => p.id === "c")).toMatchObject({ change: "same", fromNumber: "3", toNumber: "2" });
    expect(result.paragraphs.find((p) => p.id === "b")!.diff).toBeUndefined();
  });

  it("a moved paragraph that also changed carries its diff and aspects", () => {
    const from = doc(["a", "alpha"], ["b", "beta"], ["c", "gamma"], ["d", "delta"]);
    const to = doc(["b", "beta"], ["c", "gamma"], ["d", "delta"], ["a", "alpha prime"]);
    const a = compareDocuments(from, to).paragraphs.find((p) => p.id === "a")!;
    expect(a).toMatchObject({ change: "moved", aspects: ["text"], fromNumber: "1", toNumber: "4" });
    expect(a.diff!.some((r) => r.op === "insert")).toBe(true);
  });

  it("kind, level and brackets are changes even when the text is the same", () => {
    const p = (id: string, kind: "op" | "pp", level: number, brackets = false): Block => ({
      id,
      type: "paragraph",
      kind,
      level,
      runs: brackets ? [{ text: "x", brackets: [{ id: "b1", group: null }] }, { text: "y" }] : [{ text: "xy" }],
    });
    const from = doc(p("a", "op", 0), p("b", "op", 0), p("c", "op", 0, true));
    const to = doc(p("a", "pp", 0), p("b", "op", 1), p("c", "op", 0));
    const result = compareDocuments(from, to);
    expect(result.paragraphs.slice(1).map((x) => [x.id, x.change, x.aspects, x.diff])).toEqual([
      ["a", "changed", ["kind"], undefined],
      ["b", "changed", ["level"], undefined],
      ["c", "changed", ["brackets"], undefined],
    ]);
  });

  it("lists every deleted paragraph once, also those that followed a moved one", () => {
    const from = doc(["a", "1"], ["b", "2"], ["x", "gone after b"], ["c", "3"], ["d", "4"]);
    const to = doc(["a", "1"], ["c", "3"], ["d", "4"], ["b", "2"]);
    const result = compareDocuments(from, to);
    expect(result.summary).toMatchObject({ deleted: 1, moved: 1 });
    expect(changes(from, to).filter((c) => c === "x:deleted")).toHaveLength(1);
    expect(result.paragraphs).toHaveLength(6);
  });

  it("the longest increasing subsequence is maximal", () => {
    const seq = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const kept = [...longestIncreasingSubsequence(seq)].sort((a, b) => a - b).map((i) => seq[i]!);
    expect(kept).toHaveLength(6);
    for (let i = 1; i < kept.length; i++) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
    expect(longestIncreasingSubsequence([]).size).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { ParagraphReads } from "../server/collab/paragraph-reads.js";
import { ReactionBatch } from "../server/commands/reaction-batch.js";

/** Rows of one kind by document and paragraph, and every read made of them. */
function store(rows: Record<string, Record<string, string[]>>) {
  const asked: Array<Record<string, string[]>> = [];
  const loadAll = (wanted: Map<string, string[]>) => {
    asked.push(Object.fromEntries(wanted));
    const out = new Map<string, Map<string, string[]>>();
    for (const [documentId, ids] of wanted)
      out.set(documentId, new Map(ids.filter((id) => rows[documentId]?.[id]).map((id) => [id, rows[documentId]![id]!])));
    return out;
  };
  return { asked, loadAll };
}

describe("a batch's reads across documents", () => {
  const touched: Record<string, string[]> = { A: ["a1", "a2"], B: ["b1"], C: [] };
  const paragraphsOf = (id: string) => touched[id] ?? [];

  it("reads a kind for every declared document's paragraphs in one go, and answers each as a read of its own would", () => {
    const reads = new ParagraphReads(paragraphsOf, ["A", "B", "C"]);
    const { asked, loadAll } = store({ A: { a2: ["x"] }, B: { b1: ["y", "z"] } });
    expect(reads.readAcross("k", "A", "a1", loadAll, [])).toEqual([]);
    expect(reads.readAcross("k", "A", "a2", loadAll, [])).toEqual(["x"]);
    expect(reads.readAcross("k", "B", "b1", loadAll, [])).toEqual(["y", "z"]);
    expect(asked).toEqual([{ A: ["a1", "a2"], B: ["b1"] }]);
    // A paragraph nobody declared is read alone, for its document only.
    expect(reads.readAcross("k", "B", "b9", loadAll, [])).toEqual([]);
    expect(asked[1]).toEqual({ B: ["b9"] });
  });

  it("reads a document again after its rows of the kind were forgotten (written), and no other", () => {
    const reads = new ParagraphReads(paragraphsOf, ["A", "B"]);
    const rows = { A: { a1: ["open"] }, B: { b1: ["open"] } };
    const { asked, loadAll } = store(rows);
    expect(reads.readAcross("k", "B", "b1", loadAll, [])).toEqual(["open"]);
    rows.A.a1 = [];
    reads.forget("k", "A");
    expect(reads.readAcross("k", "A", "a1", loadAll, [])).toEqual([]);
    expect(asked).toEqual([{ B: ["b1"], A: ["a1", "a2"] }, { A: ["a1", "a2"] }]);
  });

  it("remembers a fact of each document of the batch, read for all of them on its first use", () => {
    const batch = new ReactionBatch(paragraphsOf, ["A", "B", "C"]);
    const asked: string[][] = [];
    const readAll = (ids: string[]) => {
      asked.push(ids);
      return new Map(ids.filter((id) => id !== "C").map((id) => [id, `versions of ${id}`]));
    };
    expect(batch.rememberOfDocument("versions", "B", readAll, "none")).toBe("versions of B");
    expect(batch.rememberOfDocument("versions", "C", readAll, "none")).toBe("none");
    expect(batch.rememberOfDocument("versions", "A", readAll, "none")).toBe("versions of A");
    // A document outside the batch is read alone.
    expect(batch.rememberOfDocument("versions", "D", readAll, "none")).toBe("versions of D");
    expect(asked).toEqual([["B", "A", "C"], ["D"]]);
  });
});

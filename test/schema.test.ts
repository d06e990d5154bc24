import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  blocksOfDoc,
  blocksFromPMJSON,
  canonicalHash,
  canonicalize,
  documentSchema,
  docToPMJSON,
  insertBlocks,
  isValidId,
  letter,
  newId,
  numberBlocks,
  roman,
  textFragment,
  bracketKey,
  type Block,
} from "../schema/index.js";

const p = (kind: Block["kind"], level: number, text: string, id = newId()): Block => ({
  id,
  type: kind === "pp" || kind === "op" ? "paragraph" : (kind as Block["type"]),
  kind,
  level,
  runs: [{ text }],
});

describe("numbering", () => {
  it("numbers operative paragraphs with sub-levels and cites preambular ones", () => {
    const blocks = [
      p("title", 0, "T"),
      p("pp", 0, "RECOGNIZING"),
      p("pp", 0, "BEARING IN MIND:"),
      p("pp", 1, "clause"),
      p("chapeau", 0, "DECLARE:"),
      p("op", 0, "one"),
      p("op", 1, "one a"),
      p("op", 2, "one a i"),
      p("op", 2, "one a ii"),
      p("op", 1, "one b"),
      p("heading", 1, "Section"),
      p("op", 0, "two"),
      p("op", 1, "two a"),
    ];
    const n = numberBlocks(blocks);
    expect(n.map((x) => x.ref)).toEqual([null, "PP1", "PP2", "PP3", null, "OP1", "OP1(a)", "OP1(a)(i)", "OP1(a)(ii)", "OP1(b)", null, "OP2", "OP2(a)"]);
    expect(n.map((x) => x.number)).toEqual([null, null, null, null, null, "1", "(a)", "(i)", "(ii)", "(b)", null, "2", "(a)"]);
  });

  it("letters past z and roman numerals", () => {
    expect(letter(1)).toBe("a");
    expect(letter(26)).toBe("z");
    expect(letter(27)).toBe("aa");
    expect(roman(4)).toBe("iv");
    expect(roman(14)).toBe("xiv");
    expect(roman(49)).toBe("xlix");
  });
});

describe("ids", () => {
  it("fresh ids are valid and distinct", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId("p")));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(isValidId(id)).toBe(true);
    expect(isValidId("")).toBe(false);
    expect(isValidId("a b")).toBe(false);
    expect(isValidId("<script>")).toBe(false);
    expect(isValidId("x".repeat(65))).toBe(false);
  });

  it("the schema refuses a document without a title first", () => {
    expect(() => documentSchema.nodeFromJSON({ type: "doc", content: [{ type: "paragraph", attrs: { id: "a" } }] }).check()).toThrow();
  });
});

describe("canonical form", () => {
  it("same text from different edit histories gives the same hash", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const blocks = [p("title", 0, "Title", "t1"), p("op", 0, "To urge member states", "p1")];
    a.transact(() => insertBlocks(textFragment(a), 0, blocks));
    // b: typed character by character, with a detour (typed, deleted, retyped).
    b.transact(() => insertBlocks(textFragment(b), 0, [p("title", 0, "", "t1"), p("op", 0, "", "p1")]));
    const fill = (doc: Y.Doc, index: number, text: string) => {
      const el = textFragment(doc).get(index) as Y.XmlElement;
      let t = el.get(0) as Y.XmlText | undefined;
      if (!t) {
        t = new Y.XmlText();
        el.insert(0, [t]);
      }
      for (const ch of text) t.insert(t.length, ch);
    };
    fill(b, 0, "Titel");
    const t0 = (textFragment(b).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    t0.delete(3, 2);
    t0.insert(3, "le");
    fill(b, 1, "To ask member states");
    const t1 = (textFragment(b).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    t1.delete(3, 3);
    t1.insert(3, "urge");
    const ca = canonicalize(blocksOfDoc(a));
    const cb = canonicalize(blocksOfDoc(b));
    expect(cb).toEqual(ca);
    expect(canonicalHash(cb)).toBe(canonicalHash(ca));
    expect(canonicalHash(ca)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("NFC: composed and decomposed accents hash alike; a changed word does not", () => {
    const composed = canonicalize([p("op", 0, "Bogot\u00e1", "x")]);
    const decomposed = canonicalize([p("op", 0, "Bogota\u0301", "x")]);
    expect(canonicalHash(decomposed)).toBe(canonicalHash(composed));
    expect(canonicalHash(canonicalize([p("op", 0, "Bogota", "x")]))).not.toBe(canonicalHash(composed));
  });

  it("formatting does not enter the hash; brackets and ids do", () => {
    const plain = canonicalize([p("op", 0, "shall adopt", "x")]);
    const italic = canonicalize([{ ...p("op", 0, "", "x"), runs: [{ text: "shall", em: true }, { text: " adopt" }] }]);
    expect(canonicalHash(italic)).toBe(canonicalHash(plain));
    const bracketed = canonicalize([{ ...p("op", 0, "", "x"), runs: [{ text: "shall", brackets: [{ id: "b1", group: null }] }, { text: " adopt" }] }]);
    expect(bracketed.paragraphs[0]!.brackets).toEqual([{ id: "b1", group: null, from: 0, to: 5 }]);
    expect(canonicalHash(bracketed)).not.toBe(canonicalHash(plain));
    expect(canonicalHash(canonicalize([p("op", 0, "shall adopt", "y")]))).not.toBe(canonicalHash(plain));
  });

  it("Yjs written by the server reads back as the same blocks and PM JSON that fits the schema", () => {
    const doc = new Y.Doc();
    const blocks: Block[] = [
      p("title", 0, "T", "t"),
      { ...p("op", 1, "", "a"), runs: [{ text: "one " }, { text: "two", em: true, brackets: [{ id: "b1", group: "g1" }] }] },
    ];
    doc.transact(() => insertBlocks(textFragment(doc), 0, blocks));
    const back = blocksOfDoc(doc);
    expect(back).toEqual(blocks);
    const node = documentSchema.nodeFromJSON(docToPMJSON(back));
    node.check();
    expect(node.childCount).toBe(2);
    // y-prosemirror's key for the overlapping bracket mark
    expect(bracketKey({ id: "b1", group: "g1" })).toMatch(/^bracket--[A-Za-z0-9+/=]{8}$/);
  });

  it("untrusted PM JSON paragraphs are checked against the schema", () => {
    expect(blocksFromPMJSON([{ type: "paragraph", attrs: { id: "n1", kind: "op", level: 0 }, content: [{ type: "text", text: "ok" }] }]).ok).toBe(true);
    const bad = blocksFromPMJSON([
      { type: "script", content: [] },
      { type: "paragraph", attrs: { id: "n2", kind: "op", level: 7 } },
      { type: "paragraph", attrs: { id: "n3", kind: "op", level: 0 }, content: [{ type: "text", text: "x", marks: [{ type: "bracket", attrs: { id: "b" } }] }] },
    ]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems).toHaveLength(3);
  });
});

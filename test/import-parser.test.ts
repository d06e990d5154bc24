import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { citeAll, DOCX_TYPE, parseImport } from "../server/import/parse.js";
import type { ImportedDocument } from "../server/import/types.js";
import { HttpError } from "../server/http/errors.js";
import { buildDocx } from "./helpers/docx.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/import/${name}`, import.meta.url));
const textOf = (doc: ImportedDocument, i: number) => doc.blocks[i]!.runs.map((r) => r.text).join("");
const shape = (doc: ImportedDocument) => doc.blocks.map((b) => `${b.kind}${b.level || b.kind === "heading" ? `:${b.level}` : ""}`);
const words = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const allWords = (doc: ImportedDocument) =>
  [...Object.values(doc.masthead).flat(), ...doc.blocks.flatMap((b) => [b.typedNumber ?? "", ...b.runs.map((r) => r.text), ...b.footnotes.map((f) => f.text)])]
    .filter((x): x is string => typeof x === "string")
    .flatMap(words);

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("import of plain text", () => {
  it("reads an OAS resolution: masthead, title, lead-ins, the switch at RESOLVES:, typed numbers as levels", async () => {
    const doc = await parseImport(fixture("oas-resolution.txt"), "text/plain");
    expect(doc.masthead).toMatchObject({ series: "OEA/Ser.P", symbol: "AG/RES. 9999 (LXII-O/26)", date: "12 June 2026", originalLanguage: "Spanish" });
    expect(doc.title).toBe("COOPERATION AMONG MEMBER STATES AGAINST THE TRAFFICKING OF PERSONS");
    expect(shape(doc)).toEqual(["title", "lead-in", "lead-in", "pp", "lead-in", "pp", "pp", "pp", "lead-in", "op", "op", "op:1", "op:1", "op", "op", "op"]);
    expect(textOf(doc, 8)).toBe("RESOLVES:");
    expect(textOf(doc, 9)).toMatch(/^To reaffirm/);
    expect(doc.blocks.map((b) => b.typedNumber).filter(Boolean)).toEqual(["1.", "2.", "(a)", "(b)", "2 bis.", "4.", "5."]);
    expect(doc.blocks[11]!.typedNumber).toBe("(a)");
  });

  it("turns typed brackets into real ones: holders, adjacent and slash alternatives as option groups, ad ref as an annotation", async () => {
    const doc = await parseImport(fixture("oas-resolution.txt"), "text/plain");
    const byText = new Map(doc.brackets.map((b) => [b.text, b]));
    expect(byText.get("in all its forms")!.holders).toEqual(["USA", "CAN"]);
    const [coordinated, concerted] = [byText.get("coordinated")!, byText.get("concerted")!];
    expect(coordinated.group).toBeTruthy();
    expect(concerted.group).toBe(coordinated.group);
    expect(concerted.separator).toBe(" / ");
    const [a, b] = [byText.get("within available resources")!, byText.get("with voluntary contributions")!];
    expect(a.group).toBe(b.group);
    expect(a.holders).toEqual([]);
    expect(doc.blocks[14]!.annotations).toEqual([{ kind: "agreed_ad_ref", text: "Agreed ad ref" }]);
    // No typed bracket is left in the text.
    for (const block of doc.blocks) for (const run of block.runs) expect(run.text).not.toMatch(/[[\]]/);
  });

  it("keeps typed footnotes and the file's own numbers: 2 bis follows 2, and the gap where 3 was is kept and warned of by place", async () => {
    const doc = await parseImport(fixture("oas-resolution.txt"), "text/plain");
    const last = doc.blocks[doc.blocks.length - 1]!;
    expect(last.footnotes).toEqual([{ offset: textOf(doc, doc.blocks.length - 1).length, marker: "1", text: "The delegation of the United States entered a note on this paragraph." }]);
    expect(citeAll(doc.blocks).filter((c) => /^OP/.test(c))).toEqual(["OP1", "OP2", "OP2(a)", "OP2(b)", "OP2 bis", "OP4", "OP5"]);
    expect(doc.blocks.find((b) => b.typedNumber === "2 bis.")!.label).toBe("2 bis");
    expect(doc.warnings.map((w) => w.paragraph)).toEqual(["OP4"]);
    expect(doc.warnings[0]!.warning).toMatch(/typed number 4\. where 3 was expected: a gap in the numbering, kept as typed \(line \d+ of the file\)/);
  });

  it("recognises Articles and an annex with their own numbering, unnumbered paragraphs and top-level lettered items", async () => {
    const text = [
      "CONVENTION ON TESTING",
      "THE PARTIES,",
      "AGREE:",
      "Article 1",
      "1. Each Party shall test.",
      "2. Each Party shall report.",
      "Article 2",
      "1. The secretariat shall compile the reports.",
      "The compilation shall be public.",
      "2. The secretariat shall publish them.",
      "Annex",
      "(a) the first item;",
      "(b) the second item.",
    ].join("\n\n");
    const doc = await parseImport(Buffer.from(text), "text/plain");
    expect(shape(doc)).toEqual(["title", "lead-in", "lead-in", "heading:2", "op", "op", "heading:2", "op", "op", "op", "heading:1", "op:1", "op:1"]);
    expect(doc.blocks.map((b) => b.numbering ?? null)).toEqual([null, null, null, "article", null, null, "article", null, "unnumbered", null, "annex", null, null]);
    expect(citeAll(doc.blocks).filter((c) => /OP/.test(c))).toEqual([
      "Article 1 OP1",
      "Article 1 OP2",
      "Article 2 OP1",
      "after Article 2 OP1",
      "Article 2 OP2",
      "Annex OP(a)",
      "Annex OP(b)",
    ]);
    // Nothing to warn of: every number is where the file put it.
    expect(doc.warnings).toEqual([]);
    // A gap within an Article is named by its place.
    const gap = await parseImport(Buffer.from(text.replace("2. The secretariat shall publish", "4. The secretariat shall publish")), "text/plain");
    expect(gap.warnings).toEqual([{ paragraph: "Article 2 OP4", warning: expect.stringMatching(/typed number 4\. where 2 was expected: a gap in the numbering, kept as typed/) }]);
  });

  it("reads a UN draft decision: PP/OP labels, nested brackets, an annex that restarts its numbering", async () => {
    const doc = await parseImport(fixture("un-draft.txt"), "text/plain");
    expect(doc.masthead).toMatchObject({ symbol: "A/CONF.999/L.1", distribution: "Limited", agendaItem: "7" });
    expect(doc.title).toBe("Draft decision submitted by the President");
    expect(shape(doc)).toEqual(["title", "lead-in", "pp", "pp", "pp", "op", "op", "op", "op", "heading:1", "heading:2", "op", "op"]);
    const nested = doc.brackets.filter((b) => b.block === 7);
    expect(nested.map((b) => b.text)).toEqual(["Invites Parties to share their national data on an annual basis with the secretariat;", "on an annual basis"]);
    const run = doc.blocks[7]!.runs.find((r) => r.text === "on an annual basis")!;
    expect(run.brackets).toEqual(nested.map((b) => b.id));
    expect(doc.brackets.find((b) => b.text === "Noting")!.holders).toEqual(["G77", "EU"]);
    // The annex has its own numbering: its paragraphs are cited Annex OP1, Annex OP2.
    expect(doc.blocks[9]!.numbering).toBe("annex");
    expect(citeAll(doc.blocks).slice(-2)).toEqual(["Annex OP1", "Annex OP2"]);
    expect(doc.warnings.filter((w) => w.paragraph !== null)).toEqual([]);
  });

  it("reads a Spanish declaration: the speaking lead-in and the switch at ACUERDAN:", async () => {
    const doc = await parseImport(fixture("declaracion.txt"), "text/plain; charset=utf-8");
    expect(shape(doc)).toEqual(["title", "lead-in", "pp", "pp", "lead-in", "op", "op"]);
    expect(textOf(doc, 4)).toBe("ACUERDAN:");
    expect(doc.warnings).toEqual([]);
  });

  it("never loses a word: every word of the file is in the import", async () => {
    for (const name of ["oas-resolution.txt", "un-draft.txt", "declaracion.txt"]) {
      const original = fixture(name).toString("utf8");
      const doc = await parseImport(Buffer.from(original), "text/plain");
      const imported = new Set(allWords(doc));
      const missing = words(original).filter((w) => !imported.has(w) && !/^(PP|OP)\d+$/.test(w));
      // Only holders, the "Agreed ad ref" note, masthead labels and footnote markers become structure.
      const structural = ["Agreed", "ad", "ref", "USA", "CAN", "G77", "EU", "Original", "Distr", "Agenda", "item", "¹"];
      expect(missing.filter((w) => !structural.includes(w)), name).toEqual([]);
    }
  });

  it("decodes UTF-8 with a BOM, UTF-16 with a BOM and Windows-1252, and refuses an unknown charset by name", async () => {
    const text = "DECLARACIÓN\n\nCONSIDERANDO la situación;\n\nRESUELVE:\n\n1. Instar a los Estados.\n";
    const utf8bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const latin1 = Buffer.from(text, "latin1");
    for (const bytes of [utf8bom, utf16, latin1]) {
      const doc = await parseImport(bytes, "text/plain");
      expect(doc.title).toBe("DECLARACIÓN");
      expect(shape(doc)).toEqual(["title", "pp", "lead-in", "op"]);
    }
    const error = await refusal(parseImport(Buffer.from(text), "text/plain; charset=ebcdic-cp-us"));
    expect(error.status).toBe(415);
    expect(error.message).toMatch(/ebcdic-cp-us/);
    expect((await refusal(parseImport(Buffer.from(text, "utf16le"), "text/plain"))).status).toBe(415);
  });

  it("keeps unbalanced brackets as typed text and names where they are", async () => {
    const text = "TITLE\n\nRESOLVES:\n\n1. To urge [member states to act.\n\n2. To request] the secretariat to report.\n\n3. To note a stray ] here.\n";
    const doc = await parseImport(Buffer.from(text), "text/plain");
    expect(textOf(doc, 2)).toBe("To urge [member states to act.");
    expect(textOf(doc, 4)).toBe("To note a stray ] here.");
    expect(doc.brackets).toEqual([]);
    expect(doc.warnings.map((w) => w.paragraph)).toEqual(["OP1", "OP3"]);
    expect(doc.warnings[0]!.warning).toMatch(/closes in a later paragraph/);
    expect(doc.warnings[1]!.warning).toMatch(/closes no bracket/);
  });

  it("brackets several whole paragraphs when a bracket opens at the start of one and closes at the end of another", async () => {
    const text = "TITLE\n\nRESOLVES:\n\n1. To act.\n\n2. [To request the secretariat to report.\n\n3. To review the matter next year.] (USA)\n\n4. To close.\n";
    const doc = await parseImport(Buffer.from(text), "text/plain", { holders: new Set(["USA"]) });
    // One bracket around both paragraphs, held by the holders named after its end.
    expect(doc.brackets.map((b) => [b.scope, b.blocks, b.text, b.holders])).toEqual([
      ["paragraphs", [3, 4], "To request the secretariat to report.\nTo review the matter next year.", ["USA"]],
    ]);
    const id = doc.brackets[0]!.id;
    expect([doc.blocks[3]!.runs, doc.blocks[4]!.runs]).toEqual([
      [{ text: "To request the secretariat to report.", brackets: [id] }],
      [{ text: "To review the matter next year.", brackets: [id] }],
    ]);
    expect(doc.warnings).toEqual([]);
  });

  it("keeps a visible separator between alternatives: '[a][b]' gets a space, '[a] / [b]' and '[a / b]' keep theirs", async () => {
    const text = "TITLE\n\nRESOLVES:\n\n1. To [urge][call upon] states to act [now / soon / later].\n\n2. To [note] / [welcome] the report.\n";
    const doc = await parseImport(Buffer.from(text), "text/plain");
    expect([textOf(doc, 2), textOf(doc, 3)]).toEqual(["To urge call upon states to act now / soon / later.", "To note / welcome the report."]);
    const by = new Map(doc.brackets.map((b) => [b.text, b]));
    expect(["urge", "call upon", "now", "soon", "later", "note", "welcome"].map((t) => by.get(t)!.separator)).toEqual([null, " ", null, " / ", " / ", null, " / "]);
    // The separators are text outside every option.
    const sep = doc.blocks[2]!.runs.find((r) => r.text === " / ")!;
    expect(sep.brackets).toBeUndefined();
  });

  it("reads groups named as holders: '[text] (G77)', '[text]EU' and '[text (G77, EU)]'", async () => {
    const text = "TITLE\n\nRESOLVES:\n\n1. To [act] (G77) and [decide]EU on [Regulation (EU) 2019/1020] and [review (G77, EU)].\n";
    const doc = await parseImport(Buffer.from(text), "text/plain", { holders: new Set(["G77", "EU", "USA"]) });
    expect(textOf(doc, 2)).toBe("To act and decide on Regulation (EU) 2019/1020 and review.");
    expect(doc.brackets.map((b) => [b.text, b.holders])).toEqual([
      ["act", ["G77"]],
      ["decide", ["EU"]],
      ["Regulation (EU) 2019/1020", []],
      ["review", ["G77", "EU"]],
    ]);
  });

  it("reads labelled alternative paragraphs as one group of options, 'No text' included; labels leave the text", async () => {
    const text = [
      "TITLE",
      "RESOLVES:",
      "1. To act.",
      "Option 1:",
      "2. To request the secretariat to report.",
      "3. To review the matter next year.",
      "Option 2: 2. To request a study.",
      "Option 3: No text",
      "4. To close.",
      "{Facilitator's note: options to be discussed in informals}",
      "5. To end. [Agreed ad ref]",
    ].join("\n\n");
    const doc = await parseImport(Buffer.from(text), "text/plain");
    const options = doc.brackets.filter((b) => b.optionLabel);
    expect(options.map((b) => [b.optionLabel, b.scope, b.blocks.map((i) => textOf(doc, i)), b.noText])).toEqual([
      ["Option 1", "paragraphs", ["To request the secretariat to report.", "To review the matter next year."], false],
      ["Option 2", "paragraphs", ["To request a study."], false],
      ["Option 3", "paragraphs", ["No text"], true],
    ]);
    expect(new Set(options.map((b) => b.group)).size).toBe(1);
    const close = doc.blocks.findIndex((b) => b.runs.map((r) => r.text).join("") === "To close.");
    expect(doc.blocks[close]!.annotations).toEqual([{ kind: "facilitator", text: "Facilitator's note: options to be discussed in informals" }]);
    expect(doc.blocks[close + 1]!.annotations).toEqual([{ kind: "agreed_ad_ref", text: "Agreed ad ref" }]);
    for (const block of doc.blocks) expect(block.runs.map((r) => r.text).join("")).not.toMatch(/Option \d|[{}]/);
  });

  it("keeps crossing brackets as typed text, names the place, and loses no word", async () => {
    const text = "TITLE\n\nRESOLVES:\n\n1. To [urge (member] states) to act].\n\n2. To [note the {report.\n";
    const doc = await parseImport(Buffer.from(text), "text/plain");
    const all = doc.blocks.map((_b, i) => textOf(doc, i)).join(" ");
    for (const w of ["urge", "member", "states", "act", "note", "report"]) expect(all).toContain(w);
    expect(doc.warnings.some((w) => w.paragraph === "OP2" && /never closed/.test(w.warning))).toBe(true);
  });

  it("keeps a holder list that names no delegation of the meeting as text", async () => {
    const doc = await parseImport(Buffer.from("TITLE\n\nRESOLVES:\n\n1. To act [now] (XYZ).\n"), "text/plain", { holders: new Set(["USA"]) });
    expect(textOf(doc, 2)).toBe("To act now (XYZ).");
    expect(doc.brackets[0]!.holders).toEqual([]);
    expect(doc.warnings[0]!.warning).toMatch(/XYZ/);
  });
});

describe("import of DOCX", () => {
  it("reads Word's numbered lists, headings, bold and italic, footnotes, brackets", async () => {
    const bytes = await buildDocx(
      [
        { text: "DECLARATION ON TESTING" },
        { text: "THE MINISTERS, meeting in Buenos Aires," },
        { runs: [{ text: "RECOGNIZING", bold: true }, { text: " the " }, { text: "Protocol", italics: true }, { text: " [and its annexes]" }, { footnote: 1 }, { text: ";" }] },
        { text: "DECLARE:" },
        { text: "Their commitment to [strengthen][enhance] cooperation.", list: 0 },
        { text: "To urge member states to:", list: 0 },
        { text: "ratify the Protocol;", list: 1 },
        { text: "Annex", heading: 1 },
        { text: "The programme shall be reviewed.", list: 0 },
      ],
      { footnotes: { 1: "Adopted in Palermo in 2000." } },
    );
    const doc = await parseImport(bytes, DOCX_TYPE);
    expect(doc.title).toBe("DECLARATION ON TESTING");
    expect(shape(doc)).toEqual(["title", "lead-in", "pp", "lead-in", "op", "op", "op:1", "heading:1", "op"]);
    expect(doc.blocks[2]!.runs.slice(0, 3)).toEqual([{ text: "RECOGNIZING", bold: true }, { text: " the " }, { text: "Protocol", italic: true }]);
    expect(doc.blocks[2]!.footnotes).toEqual([{ offset: "RECOGNIZING the Protocol and its annexes".length, marker: "1", text: "Adopted in Palermo in 2000." }]);
    expect(doc.brackets.map((b) => b.text)).toEqual(["and its annexes", "strengthen", "enhance"]);
    expect(doc.brackets[1]!.group).toBe(doc.brackets[2]!.group);
    expect(doc.warnings.filter((w) => w.paragraph !== null && !/annex/.test(w.warning))).toEqual([]);
  });

  it("imports tracked changes as accepted, and warns of them, of comments, images, tables and macros", async () => {
    const bytes = await buildDocx(
      [
        { text: "TITLE" },
        { text: "RESOLVES:" },
        { runs: [{ text: "1. To urge " }, { inserted: "all " }, { deleted: "some " }, { text: "states." }, { comment: "Check this." }] },
        { text: "2. To note the figure.", image: true },
        { table: [["a cell", "another cell"]] },
      ],
      { macros: true },
    );
    const doc = await parseImport(bytes, DOCX_TYPE);
    expect(textOf(doc, 2)).toBe("To urge all states.");
    const all = doc.warnings.map((w) => w.warning).join("\n");
    expect(all).toMatch(/tracked changes \(1 insertions, 1 deletions\).*accepted/);
    expect(all).toMatch(/1 comment/);
    expect(all).toMatch(/macros/);
    expect(all).toMatch(/image/);
    expect(all).toMatch(/table of 1 row/);
    expect(allWords(doc)).toEqual(expect.arrayContaining(["cell", "another"]));
  });

  it("refuses a file that is no DOCX, a ZIP without a document, and a zip bomb, with 4xx", async () => {
    expect((await refusal(parseImport(Buffer.from("PK not a zip at all"), DOCX_TYPE))).status).toBe(415);
    const zip = new JSZip();
    zip.file("hello.txt", "hello");
    const notDocx = await zip.generateAsync({ type: "nodebuffer" });
    expect((await refusal(parseImport(notDocx, DOCX_TYPE))).message).toMatch(/no word\/document\.xml/);
    // 100 MB of zeros compresses to ~100 KB.
    const bytes = zipOf([{ name: "word/document.xml", data: Buffer.from("<w:document/>") }, { name: "word/media/zeros.bin", data: Buffer.alloc(100 * 1024 * 1024) }]);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const error = await refusal(parseImport(bytes, DOCX_TYPE));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/would expand to 100 MB/);
  });

  it("refuses a zip bomb whose directory lies about the size", async () => {
    const bytes = zipOf([
      { name: "word/document.xml", data: Buffer.from("<w:document/>") },
      { name: "word/media/zeros.bin", data: Buffer.alloc(80 * 1024 * 1024), declaredSize: 4 },
    ]);
    const error = await refusal(parseImport(bytes, DOCX_TYPE));
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/zeros\.bin/);
  });
});

/** A ZIP archive written by hand (deflated entries), so that a test can make its directory lie. */
function zipOf(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const data = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

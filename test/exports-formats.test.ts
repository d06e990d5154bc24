import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { renderAkn } from "../server/exports/render-akn.js";
import { renderDocx } from "../server/exports/render-docx.js";
import { renderPdf } from "../server/exports/render-pdf.js";
import type { ApiClient } from "./helpers/api.js";
import { collabClient, eventually } from "./helpers/collab.js";
import { bracket, model, paragraph } from "./helpers/export-model.js";
import { adopt, createTestDeclaration, makeClean } from "./helpers/lifecycle.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { confirmedKey, signDocument } from "./helpers/signing.js";

const run = promisify(execFile);
const SCHEMA = join(import.meta.dirname, "fixtures", "akoma-ntoso", "akomantoso30.xsd");

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), "accord-exports-"));
});
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** An export as bytes, with the headers that matter. */
async function download(client: ApiClient, path: string) {
  const res = await fetch(server.url + path, { headers: { cookie: client.cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("content-type") ?? "", disposition: res.headers.get("content-disposition") ?? "", bytes };
}

let fileNumber = 0;
/** Writes bytes to a fresh temporary file for a command-line consumer. */
async function tempFile(bytes: Buffer | string, extension: string): Promise<string> {
  const path = join(dir, `export-${++fileNumber}.${extension}`);
  await writeFile(path, bytes);
  return path;
}

/** Validates an Akoma Ntoso file against the OASIS schema with xmllint; resolves to xmllint's verdict. */
async function validateAkn(xml: Buffer | string): Promise<string> {
  const file = await tempFile(xml, "xml");
  try {
    const { stderr } = await run("xmllint", ["--noout", "--schema", SCHEMA, file]);
    return stderr.trim();
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

/** The text of a PDF as poppler's pdftotext extracts it. */
async function pdfText(pdf: Buffer): Promise<string> {
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", await tempFile(pdf, "pdf"), "-"], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The words of a text, letters and digits only: how the canonical form and a consumer's text are compared. */
const words = (text: string) => text.normalize("NFC").match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];

/**
 * Checks that every line of the canonical text (one paragraph a line, numbers printed,
 * brackets drawn with their label and holders) appears word for word, in order, in the
 * text a consumer extracted.
 */
function expectWordForWord(extracted: string, canonical: string): void {
  const haystack = words(extracted);
  let from = 0;
  for (const line of canonical.split("\n")) {
    const needle = words(line);
    if (needle.length === 0) continue;
    let found = -1;
    for (let i = from; i + needle.length <= haystack.length && found < 0; i++) if (needle.every((w, k) => haystack[i + k] === w)) found = i;
    expect(found, `not found in order, word for word: ${line}`).toBeGreaterThanOrEqual(0);
    from = found + needle.length;
  }
}

/** The compilation text as a circulated text prints it: holders after the bracket, `[…] (USA, CAN)`, no labels. */
const negotiated = (compilation: string) => compilation.replace(/\{B\d+(?::\s*([^}]*))?\}/g, (_, holders?: string) => (holders ? ` (${holders})` : ""));

describe("Akoma Ntoso, Word and PDF of the demo declaration", () => {
  const declaration = () => server.demo.documents.declaration!;

  it("AKN validates against the OASIS schema in every view that exists, with brackets, holders, numbers and the lifecycle", async () => {
    const observer = await server.login("observer");
    const compilation = (await observer.get(`/api/documents/${declaration()}/register/compilation`)).body as { text: string; paragraphs: Array<{ brackets: Array<{ label: string; holders: string[] }> }> };
    for (const view of ["current", "compilation"]) {
      const res = await download(observer, `/api/documents/${declaration()}/export?format=akn&view=${view}`);
      expect(res.status).toBe(200);
      expect(res.type).toBe("application/akn+xml; charset=utf-8");
      expect(res.disposition).toBe(`attachment; filename="RTP-II-doc.5-09.xml"`);
      expect(await validateAkn(res.bytes)).toMatch(/validates$/);
      const xml = res.bytes.toString("utf8");
      expect(xml).toContain(`<statement name="declaration">`);
      expect(xml).toMatch(/<FRBRWork><FRBRthis value="\/akn\/oea\/statement\/declaration\/\d{4}-\d\d-\d\d\/RTP-II-doc\.5-09\/!main"\/>/);
      expect(xml).toContain(`<FRBRlanguage language="eng"/>`);
      expect(xml).toMatch(/<paragraph eId="para_1" GUID="#[^"]+"><num>1\.<\/num>/);
      expect(xml).toMatch(/<subparagraph eId="para_\d+__subpara_a" GUID="#[^"]+"><num>\(a\)<\/num>/);
      expect(xml).toContain("<preamble>");
      expect(xml).toMatch(/<lifecycle source="#accord"><eventRef eId="evt_1" date="\d{4}-\d\d-\d\d" source="#original" refersTo="#created" type="generation"\/>/);
      const opened = compilation.paragraphs.flatMap((p) => p.brackets).find((b) => b.holders.length > 0)!;
      expect(xml).toContain(`title="${opened.label}: ${opened.holders.join(", ")}"`);
      // The text, as an archive reads it (markup dropped), holds the canonical compilation word for word.
      expectWordForWord(xml.replace(/<[^>]+>/g, " ").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&"), compilation.text.replace(/\{[^}]*\}/g, ""));
    }
  });

  it("DOCX read back by mammoth gives the compilation text word for word, numbers and holders included; the layout's parts are in the file", async () => {
    const observer = await server.login("observer");
    const compilation = (await observer.get(`/api/documents/${declaration()}/register/compilation`)).body as { text: string };
    const res = await download(observer, `/api/documents/${declaration()}/export?format=docx`);
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(res.disposition).toBe(`attachment; filename="RTP-II-doc.5-09.docx"`);
    const { value: text, messages } = await mammoth.extractRawText({ buffer: res.bytes });
    expect(messages.filter((m) => m.type === "error")).toEqual([]);
    expectWordForWord(text, negotiated(compilation.text));
    expect(text).toMatch(/\[including specialized shelters and care\] \((CAN, USA|USA, CAN)\)/);
    expect(text).toContain("OEA/Ser.K/XXXIX.2");
    expect(text).toContain("RTP-II/doc.5/09");
    expect(text).toContain("Original: English");

    const zip = await JSZip.loadAsync(res.bytes);
    const document = await zip.file("word/document.xml")!.async("string");
    expect(document).toContain("<w:titlePg/>");
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const headers = await Promise.all(Object.keys(zip.files).filter((f) => /^word\/header\d+\.xml$/.test(f)).map((f) => zip.file(f)!.async("string")));
    const running = headers.find((h) => h.includes("RTP-II/doc.5/09"))!;
    expect(running).toMatch(/- <\/w:t>.*PAGE.*<w:t[^>]*> -/s);

    // Letter paper on request.
    const letter = await download(observer, `/api/documents/${declaration()}/export?format=docx&paper=letter`);
    expect(await (await JSZip.loadAsync(letter.bytes)).file("word/document.xml")!.async("string")).toMatch(/<w:pgSz w:w="12240" w:h="15840"/);
  });

  it("DOCX compilation view: each bracket's holders in a real Word footnote", async () => {
    const observer = await server.login("observer");
    const register = (await observer.get(`/api/documents/${declaration()}/brackets`)).body as { brackets: Array<{ label: string; holders: string[]; state: string }> };
    const open = register.brackets.filter((b) => b.state === "open");
    const res = await download(observer, `/api/documents/${declaration()}/export?format=docx&view=compilation`);
    expect(res.status).toBe(200);
    const zip = await JSZip.loadAsync(res.bytes);
    const footnotes = await zip.file("word/footnotes.xml")!.async("string");
    const document = await zip.file("word/document.xml")!.async("string");
    for (const b of open) expect(footnotes).toContain(`${b.label}`);
    const held = open.find((b) => b.holders.length > 0)!;
    expect(footnotes).toMatch(new RegExp(`${held.label}[^<]*: held by ${held.holders.join(", ")}`));
    expect((document.match(/<w:footnoteReference /g) ?? []).length).toBe(open.length);
  });

  it("PDF read back by pdftotext gives the compilation text word for word, on A4 or Letter, with the running header from page 2", async () => {
    const observer = await server.login("observer");
    const compilation = (await observer.get(`/api/documents/${declaration()}/register/compilation`)).body as { text: string };
    const res = await download(observer, `/api/documents/${declaration()}/export?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/pdf");
    expect(res.disposition).toBe(`attachment; filename="RTP-II-doc.5-09.pdf"`);
    expect(res.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const text = await pdfText(res.bytes);
    expectWordForWord(text, negotiated(compilation.text));
    const compiled = await pdfText((await download(observer, `/api/documents/${declaration()}/export?format=pdf&view=compilation`)).bytes);
    expectWordForWord(compiled, compilation.text.replace(/\{(B\d+)[^}]*\}/g, "{$1}"));
    expect(compiled).toMatch(/B\d+, proposed by [A-Z]{3}: held by (CAN, USA|USA, CAN)/);
    const pages = text.split("\f").filter((p) => p.trim().length > 0);
    expect(pages.length).toBeGreaterThan(1);
    // pdftotext closes up the narrow spaces of the centred "- 2 -".
    expect(pages[1]).toMatch(/^-\s?2\s?-$/m);
    expect(pages[1]).toContain("RTP-II/doc.5/09");
    expect(pages[0]).not.toMatch(/- 1 -/);
    const { stdout: info } = await run("pdfinfo", [await tempFile(res.bytes, "pdf")]);
    expect(info).toMatch(/Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/);
    const letter = await download(observer, `/api/documents/${declaration()}/export?format=pdf&paper=letter`);
    const { stdout: letterInfo } = await run("pdfinfo", [await tempFile(letter.bytes, "pdf")]);
    expect(letterInfo).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
  });
});

describe("adopted text, versions, tracked changes", () => {
  it("an adopted document's DOCX, PDF and AKN carry the adopted hash, the verification URL, the signatures and the reservations as footnotes", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Declaration on Cooperation");
    const opId = blocks.find((b) => b.kind === "op")!.id;
    const [chair, secretariat, usa, can] = await Promise.all(["chair", "secretariat", "usa.minister", "can.minister"].map((n) => server.login(n)));
    expect((await secretariat!.put(`/api/documents/${docId}/signatories`, { delegations: ["USA", "CAN", "MEX"] })).status).toBe(200);
    await makeClean(server, docId, chair!);
    await adopt(server, docId, chair!);
    const { adoptedHash } = (await chair!.get(`/api/documents/${docId}/verification`)).body;
    const signed = await signDocument(usa!, await confirmedKey(usa!, secretariat!), docId, {
      hash: adoptedHash,
      reservation: { paragraphId: opId, text: "The United States joins consensus." },
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    expect((await signDocument(can!, await confirmedKey(can!, secretariat!), docId, { hash: adoptedHash })).status).toBe(201);
    const observer = await server.login("observer");
    const symbol = (await observer.get(`/api/documents/${docId}`)).body.symbol as string;

    const docx = await download(observer, `/api/documents/${docId}/export?format=docx`);
    const text = (await mammoth.extractRawText({ buffer: docx.bytes })).value;
    expect(text).toContain(`Adopted text hash (SHA-256): ${adoptedHash}`);
    expect(text).toContain(`${server.url}/api/documents/${docId}/verification`);
    expect(text).toMatch(/United States \(USA\): signed by Minister of United States, \d{4}-\d\d-\d\d \d\d:\d\d UTC; valid/);
    expect(text).toContain("Not yet signed: MEX.");
    const zip = await JSZip.loadAsync(docx.bytes);
    const footnotes = await zip.file("word/footnotes.xml")!.async("string");
    expect(footnotes).toContain(`<w:footnote w:id="1"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve">United States (USA), reservation on OP1, made on signature: The United States joins consensus.</w:t>`);
    const body = await zip.file("word/document.xml")!.async("string");
    expect(body).toMatch(/To urge member states to ratify the Palermo Protocol;<\/w:t><\/w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"\/><\/w:rPr><w:footnoteReference w:id="1"\/>/);
    // The closing block is the last thing of the text.
    expect(text.indexOf("Adoption and signatures")).toBeGreaterThan(text.indexOf("To strengthen cooperation"));

    const pdf = await pdfText((await download(observer, `/api/documents/${docId}/export?format=pdf`)).bytes);
    expect(pdf.replace(/\s+/g, " ")).toContain(`Adopted text hash (SHA-256): ${adoptedHash}`);
    expect(pdf.replace(/\s+/g, "")).toContain(`${server.url}/api/documents/${docId}/verification`.replace(/\s+/g, ""));
    expect(pdf).toContain("United States (USA), reservation on OP1, made on signature: The United States joins consensus.");

    const akn = await download(observer, `/api/documents/${docId}/export?format=akn`);
    expect(await validateAkn(akn.bytes)).toMatch(/validates$/);
    const xml = akn.bytes.toString("utf8");
    expect(xml).toContain(`<note eId="note_1" marker="1" class="reservation"><p>United States (USA), reservation on OP1, made on signature: The United States joins consensus.</p></note>`);
    expect(xml).toContain(`<noteRef href="#note_1" marker="1"/>`);
    expect(xml).toMatch(/<eventRef eId="evt_\d+" date="[^"]+" source="#original" refersTo="#adopted" type="amendment"\/>/);
    expect(xml).toContain(`<accord:adoption symbol="${symbol}"`);
    expect(xml).toMatch(/<accord:signature delegation="USA" minister="Minister of United States" signedAt="[^"]+" valid="true"\/>/);
    expect(xml).toContain(`hash="${adoptedHash}"`);

    // The clean view exists: nothing is bracketed any more.
    const clean = await download(observer, `/api/documents/${docId}/export?format=docx&view=clean`);
    expect(clean.status).toBe(200);
  }, 180_000);

  it("a version compared with an earlier one exports as Word tracked changes (w:ins, w:del); a stored version exports in every format", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Declaration on Tracking");
    const secretariat = await server.login("secretariat");
    const rev1 = await secretariat.post(`/api/documents/${docId}/versions`, { label: "Rev.1" });
    expect(rev1.status, JSON.stringify(rev1.body)).toBe(201);

    const delegate = await server.login("arg.delegate");
    const before = (await delegate.get(`/api/documents/${docId}/content`)).body.hash;
    const client = collabClient(server.url, docId, delegate.cookie);
    await client.synced;
    const fragment = textFragment(client.doc);
    const opIndex = blocks.findIndex((b) => b.kind === "op");
    const t = (fragment.get(opIndex) as Y.XmlElement).get(0) as Y.XmlText;
    client.doc.transact(() => {
      t.delete(0, "To urge".length);
      t.insert(0, "To call upon");
    });
    await eventually(async () => (await delegate.get(`/api/documents/${docId}/content`)).body.hash !== before, 5000, "the edit");
    client.destroy();
    const rev2 = await secretariat.post(`/api/documents/${docId}/versions`, { label: "Rev.2" });
    expect(rev2.status).toBe(201);

    const res = await download(delegate, `/api/documents/${docId}/export?format=docx&version=${rev2.body.id}&compareTo=${rev1.body.id}`);
    expect(res.status).toBe(200);
    expect(rev2.body.symbol).toMatch(/ rev\. \d+$/);
    expect(res.disposition).toBe(`attachment; filename="${(rev2.body.symbol as string).replace(/\//g, "-").replace(/ rev\. /, "-rev.")}.docx"`);
    const document = await (await JSZip.loadAsync(res.bytes)).file("word/document.xml")!.async("string");
    expect(document).toMatch(/<w:del [^>]*w:author="Accord"[^>]*>.*?<w:delText[^>]*>urge<\/w:delText>/s);
    expect(document).toMatch(/<w:ins [^>]*w:author="Accord"[^>]*>.*?<w:t[^>]*>call<\/w:t>/s);
    const text = (await mammoth.extractRawText({ buffer: res.bytes })).value;
    expect(text).toContain("Changes since");
    // A reader that accepts every change reads the newer text.
    expect(text).toContain("To call upon member states to ratify");
    expect(text).not.toContain("urge");

    for (const format of ["html", "text", "docx", "pdf", "akn"]) {
      const version = await download(delegate, `/api/documents/${docId}/export?format=${format}&version=${rev1.body.id}`);
      expect(version.status, format).toBe(200);
    }
    const akn = await download(delegate, `/api/documents/${docId}/export?format=akn&version=${rev1.body.id}`);
    expect(await validateAkn(akn.bytes)).toMatch(/validates$/);
    expect(akn.bytes.toString("utf8")).toContain("To urge member states");
  });
});

describe("bad input", () => {
  const declaration = () => server.demo.documents.declaration!;

  it("refuses an unknown format, view or paper, a foreign version, clean with open brackets, a language the document has not, compareTo outside DOCX", async () => {
    const observer = await server.login("observer");
    const base = `/api/documents/${declaration()}/export`;
    const format = await observer.get(`${base}?format=odt`);
    expect(format.status).toBe(400);
    expect(format.body.reasons.join(" ")).toMatch(/format/);
    const view = await observer.get(`${base}?format=docx&view=final`);
    expect(view.status).toBe(400);
    expect(view.body.reasons.join(" ")).toMatch(/view/);
    expect((await observer.get(`${base}?format=pdf&paper=a3`)).status).toBe(400);

    const wg1Version = ((await observer.get(`/api/documents/${server.demo.documents.wg1}/versions`)).body as Array<{ id: string }>)[0]!;
    const foreign = await observer.get(`${base}?format=akn&version=${wg1Version.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toBe("version not found");

    const clean = await observer.get(`${base}?format=docx&view=clean`);
    expect(clean.status).toBe(409);
    expect(clean.body.error).toMatch(/clean text/);
    expect(clean.body.reasons[0]).toMatch(/^bracket B\d+ ".+" stands in (OP|PP)/);

    const language = await observer.get(`${base}?format=pdf&language=fr`);
    expect(language.status).toBe(404);
    expect(language.body.error).toBe(`this document has no text in "fr"`);
    expect((await observer.get(`${base}?format=pdf&language=en`)).status).toBe(200);
    expect((await observer.get(`${base}?format=pdf&language=<script>`)).status).toBe(400);

    const compare = await observer.get(`${base}?format=pdf&compareTo=${wg1Version.id}`);
    expect(compare.status).toBe(400);
    expect(compare.body.error).toMatch(/compareTo is for format=docx/);
    const foreignCompare = await observer.get(`${base}?format=docx&compareTo=${wg1Version.id}`);
    expect(foreignCompare.status).toBe(404);
  });

  it("text with combining marks, right-to-left script, controls and a 10,000-character paragraph renders in every format without breaking the file", async () => {
    const odd = "e\u0301 n\u0303 c\u0327 a\u0300\u0323 — עברית עם ניקוד שָׁלוֹם, العربية ‏(RTL)‏ \u202Eevil\u202C \u200B\u200D ﷺ 🇧🇷 😀 \u0007bell\u0000nul \uFFFE \uD800 end";
    const long = `${"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(175)}`.slice(0, 10_000);
    const m = model([
      paragraph({ id: "t", kind: "title", number: null, ref: null, runs: [{ text: `Título ${odd}`, em: false, strong: false }] }),
      paragraph({ id: "pp", kind: "pp", number: null, ref: "PP1", runs: [{ text: odd, em: true, strong: false }] }),
      paragraph({ id: "op", runs: [{ text: long, em: false, strong: false }], brackets: [bracket({ id: "b", label: "B1", from: 100, to: 9_000, holders: ["USA"] })] }),
      paragraph({
        id: "op2",
        number: "2",
        ref: "OP2",
        runs: [{ text: "São Paulo, Québec, añadir, coração, naïve, œuvre.", em: false, strong: false }],
        notes: [{ marker: "1", text: "See resolution AG/RES. 2348 (XXXVII-O/07).", at: 49 }],
      }),
    ]);
    m.meta = { ...m.meta, distribution: "General", agendaItem: "4", sponsors: ["Argentina, Brazil"], originalLanguage: "Spanish" };
    const xml = renderAkn(m);
    expect(await validateAkn(xml)).toMatch(/validates$/);
    expect(xml).not.toMatch(/[\u0000\u0007\uFFFE]/);

    const docx = await renderDocx(m, { paper: "a4" });
    const { value } = await mammoth.extractRawText({ buffer: docx });
    expect(value).toContain("שָׁלוֹם");
    expect(value).toContain("e\u0301 n\u0303");
    expect(value).toContain(long.slice(100, 9_000));
    expect(value).toContain("bellnul");
    expect(value).toContain("Distribution: General");
    expect(value).toContain("Agenda item 4");
    expect(value).toContain("Original: Spanish");
    const footnotes = await (await JSZip.loadAsync(docx)).file("word/footnotes.xml")!.async("string");
    expect(footnotes).toContain("See resolution AG/RES. 2348 (XXXVII-O/07).");
    expect(xml).toContain(`<authorialNote eId="authnote_op2_1" marker="1" placement="bottom"><p>See resolution AG/RES. 2348 (XXXVII-O/07).</p></authorialNote>`);

    const pdf = (await pdfText(await renderPdf(m, { paper: "letter" }))).normalize("NFC");
    expect(pdf).toContain("São Paulo, Québec, añadir, coração, naïve, œuvre.");
    expect(words(pdf).join(" ")).toContain(words(long).slice(0, 200).join(" "));
    expect(pdf).toContain("See resolution AG/RES. 2348 (XXXVII-O/07).");
    expect(pdf).toContain("Distribution: General");
  });
});

describe("Akoma Ntoso of paragraph annotations", () => {
  it("AKN prints paragraph annotations after the paragraph's text, each kind named so a consumer can tell them apart, and still validates", async () => {
    const runs = (text: string) => [{ text, em: false, strong: false }];
    const m = model([
      paragraph({ id: "pp", kind: "pp", number: null, ref: "PP1", runs: runs("Recalling the Palermo Protocol,"), annotations: [{ kind: "facilitator", text: "source to be checked" }] }),
      paragraph({
        id: "op1",
        runs: runs("To urge member states to ratify the Palermo Protocol;"),
        annotations: [
          { kind: "facilitator", text: "to be revisited after informals" },
          { kind: "agreed_ad_ref", text: "Agreed ad ref" },
        ],
      }),
      paragraph({ id: "op2", number: "2", ref: "OP2", runs: runs("To request the Secretariat to report;"), annotations: [{ kind: "facilitator", text: "G77 <& others> to propose text" }] }),
      paragraph({ id: "op3", number: "3", ref: "OP3", runs: runs("To decide to remain seized of the matter.") }),
    ]);
    const xml = renderAkn(m);
    expect(await validateAkn(xml)).toMatch(/validates$/);
    const element = (tag: string, eId: string) => new RegExp(`<${tag} eId="${eId}"[^>]*>(.*?)</${tag}>`).exec(xml)?.[1] ?? "";
    expect(element("recital", "rec_pp")).toBe(
      `<p>Recalling the Palermo Protocol, <remark class="facilitatorNote" refersTo="#facilitatorNote">{source to be checked}</remark></p>`,
    );
    expect(element("paragraph", "para_1")).toBe(
      `<num>1.</num><content><p>To urge member states to ratify the Palermo Protocol; <inline name="status" refersTo="#agreedAdRef">[Agreed ad ref]</inline>` +
        ` <remark class="facilitatorNote" refersTo="#facilitatorNote">{to be revisited after informals}</remark></p></content>`,
    );
    expect(element("paragraph", "para_2")).toContain(`<remark class="facilitatorNote" refersTo="#facilitatorNote">{G77 &lt;&amp; others&gt; to propose text}</remark>`);
    expect(element("paragraph", "para_2")).not.toContain("agreedAdRef");
    expect(element("paragraph", "para_3")).not.toMatch(/remark|status/);
    expect(xml).toContain(`<TLCConcept eId="facilitatorNote" href="/akn/ontology/concepts/accord/facilitatorNote" showAs="Facilitator's note"/>`);
  });
});

describe("round trip through the import", () => {
  it("a DOCX exported in the current view and imported again gives the same paragraphs, numbers, brackets and footnotes", async () => {
    const declaration = server.demo.documents.declaration!;
    const [observer, secretariat, canada] = await Promise.all(["observer", "secretariat", "can.delegate"].map((n) => server.login(n)));
    const before = (await observer!.get(`/api/documents/${declaration}/content`)).body.canonical as { paragraphs: Array<{ id: string; kind: string; level: number; number: string | null; ref: string | null; text: string; brackets: Array<{ from: number; to: number; group: string | null }> }> };
    const pp1 = before.paragraphs.find((p) => p.kind === "pp")!;
    const lodged = await canada!.post(`/api/documents/${declaration}/reservations`, { paragraphId: pp1.id, text: "Canada understands trafficking as the Palermo Protocol defines it." });
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    const register = (await observer!.get(`/api/documents/${declaration}/brackets`)).body as { brackets: Array<{ text: string; holders: string[]; state: string; group: string | null }> };

    const docx = await download(observer!, `/api/documents/${declaration}/export?format=docx&view=current`);
    const res = await fetch(`${server.url}/api/meetings/${server.demo.meetingId}/documents/import?dryRun=1`, {
      method: "POST",
      headers: { cookie: secretariat!.cookie, "x-csrf-token": secretariat!.csrfToken, "content-type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
      body: docx.bytes,
    });
    expect(res.status).toBe(200);
    const imported = (await res.json()) as {
      symbol: string;
      warnings: Array<{ paragraph: string | null; warning: string }>;
      canonical: typeof before;
      brackets: Array<{ text: string; holders: string[]; group: string | null }>;
      footnotes: Array<{ paragraph: string; text: string }>;
    };
    expect(imported.symbol).toBe("RTP-II/doc.5/09");
    expect(imported.warnings).toEqual([]);
    // The same paragraphs, in order, with the same text, level and operative numbers.
    expect(imported.canonical.paragraphs.map((p) => p.text)).toEqual(before.paragraphs.map((p) => p.text));
    // Operative levels come back from the printed numbers; the import does not read the
    // indentation of preambular sub-items, so those come back at level 0.
    const opLevels = (ps: typeof before.paragraphs) => ps.map((p) => (p.kind === "op" ? p.level : null));
    expect(opLevels(imported.canonical.paragraphs)).toEqual(opLevels(before.paragraphs));
    expect(imported.canonical.paragraphs.map((p) => p.number)).toEqual(before.paragraphs.map((p) => p.number));
    // Kinds too, except where the import reads a lead-in by its wording: a preambular
    // "BEARING IN MIND:" becomes a lead-in, the opening "THE MINISTERS …," a preambular paragraph.
    before.paragraphs.forEach((p, i) => {
      const kind = imported.canonical.paragraphs[i]!.kind;
      if (kind !== p.kind) expect([p.kind, kind].sort(), p.text).toEqual(["chapeau", "pp"]);
    });
    // The same brackets at the same places, options grouped as they were, with their holders.
    imported.canonical.paragraphs.forEach((p, i) => {
      const was = before.paragraphs[i]!.brackets;
      expect(p.brackets.map((b) => [b.from, b.to, b.group !== null])).toEqual(was.map((b) => [b.from, b.to, b.group !== null]));
    });
    const key = (b: { text: string; holders: string[] }) => `${b.text} | ${[...b.holders].sort().join(", ")}`;
    expect(imported.brackets.map(key).sort()).toEqual(register.brackets.filter((b) => b.state === "open").map(key).sort());
    // The reservation, a Word footnote, comes back as the footnote of the same paragraph.
    const note = imported.footnotes.find((f) => f.text.includes("Canada understands trafficking as the Palermo Protocol defines it."))!;
    expect(note).toBeDefined();
    const index = imported.canonical.paragraphs.findIndex((p) => p.text === pp1.text);
    expect(note.paragraph).toBe(imported.canonical.paragraphs[index]!.ref ?? note.paragraph);
  });
});

import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { renderHtml } from "../server/exports/render-html.js";
import type { ApiClient } from "./helpers/api.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { model, paragraph } from "./helpers/export-model.js";
import { createTestDeclaration } from "./helpers/lifecycle.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const run = promisify(execFile);
const SCHEMA = join(import.meta.dirname, "fixtures", "akoma-ntoso", "akomantoso30.xsd");
const NOTE = "See the Protocol to Prevent, Suppress and Punish Trafficking in Persons (Palermo, 2000).";

let server: TestServer;
let dir: string;
let secretariat: ApiClient;
let delegate: ApiClient;
let observer: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), "accord-footnotes-"));
  [secretariat, delegate, observer] = await Promise.all([server.login("secretariat"), server.login("arg.delegate"), server.login("observer")]);
});
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let fileNumber = 0;
async function tempFile(bytes: Buffer | string, extension: string): Promise<string> {
  const path = join(dir, `file-${++fileNumber}.${extension}`);
  await writeFile(path, bytes);
  return path;
}

async function download(client: ApiClient, path: string): Promise<Buffer> {
  const res = await fetch(server.url + path, { headers: { cookie: client.cookie } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Every export of a document's current text, as its consumers read it: Word through mammoth, PDF through pdftotext, AKN checked by xmllint. */
async function exportsOf(docId: string) {
  const base = `/api/documents/${docId}/export`;
  const docx = await download(observer, `${base}?format=docx`);
  const akn = (await download(observer, `${base}?format=akn`)).toString("utf8");
  const pdf = await run("pdftotext", ["-enc", "UTF-8", await tempFile(await download(observer, `${base}?format=pdf`), "pdf"), "-"]);
  let aknVerdict: string;
  try {
    aknVerdict = (await run("xmllint", ["--noout", "--schema", SCHEMA, await tempFile(akn, "xml")])).stderr.trim();
  } catch (error) {
    aknVerdict = String((error as { stderr?: string }).stderr ?? error);
  }
  return {
    word: (await mammoth.convertToHtml({ buffer: docx })).value,
    pdf: pdf.stdout.replace(/\s+/g, " "),
    akn,
    aknVerdict,
    html: (await download(observer, `${base}?format=html`)).toString("utf8"),
    text: (await download(observer, `${base}?format=text`)).toString("utf8"),
  };
}

/** The operative paragraph's Y.XmlText in a stock client's copy. */
function opText(doc: Y.Doc, paragraphId: string): Y.XmlText {
  const fragment = textFragment(doc);
  for (let i = 0; i < fragment.length; i++) {
    const element = fragment.get(i) as Y.XmlElement;
    if (element.getAttribute("id") === paragraphId) return element.get(0) as Y.XmlText;
  }
  throw new Error(`no paragraph ${paragraphId}`);
}

describe("reference footnotes anchored in the text", () => {
  it("the secretariat places one at a point; it follows edits, falls back to the paragraph's end when its words go, and every export prints it where it stands", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Declaration with a reference footnote");
    const op = blocks.find((b) => b.kind === "op")!;
    const text = op.runs[0]!.text; // "To urge member states to ratify the Palermo Protocol;"
    const after = text.indexOf("ratify") + "ratify".length;
    const hashBefore = (await observer.get(`/api/documents/${docId}/content`)).body.hash;
    const events = await listenEvents(server.url, docId, observer.cookie);

    // Only the secretariat places notes; bad points and texts are refused with the reason.
    expect((await delegate.post(`/api/documents/${docId}/footnotes`, { paragraphId: op.id, offset: after, text: NOTE })).status).toBe(403);
    expect((await observer.post(`/api/documents/${docId}/footnotes`, { paragraphId: op.id, offset: after, text: NOTE })).status).toBe(403);
    const past = await secretariat.post(`/api/documents/${docId}/footnotes`, { paragraphId: op.id, offset: text.length + 1, text: NOTE });
    expect(past.status).toBe(400);
    expect(past.body.error).toMatch(/past the end/);
    expect((await secretariat.post(`/api/documents/${docId}/footnotes`, { paragraphId: op.id, offset: 3, text: "  " })).status).toBe(400);
    expect((await secretariat.post(`/api/documents/${docId}/footnotes`, { paragraphId: "p-none", offset: 0, text: NOTE })).status).toBe(404);
    expect((await secretariat.post(`/api/documents/${server.demo.documents.wg1}/footnotes`, { paragraphId: op.id, offset: 0, text: NOTE })).status).toBe(404);

    const added = await secretariat.post(`/api/documents/${docId}/footnotes`, { paragraphId: op.id, offset: after, text: NOTE });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ paragraphId: op.id, ref: "OP1", offset: after, placement: "anchor", text: NOTE, createdBy: "secretariat" });
    await events.waitFor("footnote.added", (e) => e.data.id === added.body.id);
    const audited = server.ctx.db.prepare("SELECT action FROM audit_events WHERE target_id = ?").pluck().all(added.body.id);
    expect(audited).toEqual(["footnote.added"]);
    // A note is editorial apparatus: the text and its hash do not change.
    expect((await observer.get(`/api/documents/${docId}/content`)).body.hash).toBe(hashBefore);

    let out = await exportsOf(docId);
    expect(out.word).toMatch(/ratify<sup><a href="#footnote-\d+" id="footnote-ref-\d+">\[\d+\]<\/a><\/sup> the Palermo Protocol;/);
    expect(out.word).toContain(NOTE);
    expect(out.aknVerdict).toMatch(/validates$/);
    expect(out.akn).toMatch(/ratify<authorialNote eId="[^"]+" marker="1" placement="bottom"><p>See the Protocol[^<]+<\/p><\/authorialNote> the Palermo Protocol;/);
    expect(out.pdf).toMatch(/ratify ?a the Palermo Protocol;/);
    expect(out.pdf).toContain(NOTE);
    expect(out.html).toContain(`ratify<sup class="noteref"><a href="#note-a" id="noteref-a">a</a></sup> the Palermo Protocol;`);
    expect(out.html).toContain(`<li id="note-a">${NOTE.replace(/,/g, ",")} <a href="#noteref-a"`);
    expect(out.text.replace(/\s+/g, " ")).toContain("ratifyᵃ the Palermo Protocol;");
    expect(out.text.replace(/\s+/g, " ")).toContain(`ᵃ ${NOTE}`);

    // A delegate types before the point: the note keeps following "ratify".
    const client = collabClient(server.url, docId, delegate.cookie);
    await client.synced;
    const ytext = opText(client.doc, op.id);
    ytext.insert(text.indexOf("ratify"), "formally ");
    await eventually(async () => (await observer.get(`/api/documents/${docId}/footnotes`)).body[0]?.offset === after + 9, 5000, "the note to move with its word");
    const moved = (await observer.get(`/api/documents/${docId}/footnotes`)).body[0];
    expect(moved).toMatchObject({ placement: "anchor", offset: after + 9 });
    out = await exportsOf(docId);
    expect(out.html).toContain(`formally ratify<sup class="noteref"><a href="#note-a" id="noteref-a">a</a></sup> the Palermo`);
    expect(out.word).toMatch(/formally ratify<sup><a href="#footnote-\d+"[^>]*>\[\d+\]<\/a><\/sup> the Palermo/);
    expect(out.akn).toMatch(/formally ratify<authorialNote [^>]+><p>See the Protocol/);

    // The editor moves the note and rewrites it; the change is audited.
    const edited = await secretariat.patch(`/api/footnotes/${added.body.id}`, { text: `${NOTE} Revised.` });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ text: `${NOTE} Revised.`, placement: "anchor", updatedBy: "secretariat" });
    expect((await delegate.patch(`/api/footnotes/${added.body.id}`, { text: "mine" })).status).toBe(403);
    expect((await secretariat.patch(`/api/footnotes/${added.body.id}`, {})).status).toBe(400);

    // The words it followed are deleted: it stands at the paragraph's end and says so.
    const now = ytext.toString().length;
    const start = (ytext.toDelta() as Array<{ insert: string }>).map((d) => d.insert).join("").indexOf("formally ratify");
    ytext.delete(start, "formally ratify ".length);
    expect(now).toBeGreaterThan(0);
    await eventually(async () => (await observer.get(`/api/documents/${docId}/footnotes`)).body[0]?.placement === "end", 5000, "the note to fall back");
    const fallen = (await observer.get(`/api/documents/${docId}/footnotes`)).body[0];
    const current = "To urge member states to the Palermo Protocol;";
    expect(fallen).toMatchObject({ placement: "end", offset: current.length });
    out = await exportsOf(docId);
    expect(out.html).toContain(`to the Palermo Protocol;<sup class="noteref"><a href="#note-a" id="noteref-a">a</a></sup>`);
    expect(out.text.replace(/\s+/g, " ")).toContain("to the Palermo Protocol;ᵃ");
    client.destroy();
    expect(client.denials).toEqual([]);

    // Removed: gone from the list and from every export.
    expect((await delegate.delete(`/api/footnotes/${added.body.id}`)).status).toBe(403);
    expect((await secretariat.delete(`/api/footnotes/${added.body.id}`)).status).toBe(204);
    expect((await secretariat.delete(`/api/footnotes/${added.body.id}`)).status).toBe(404);
    expect((await observer.get(`/api/documents/${docId}/footnotes`)).body).toEqual([]);
    out = await exportsOf(docId);
    expect(out.word).not.toContain(NOTE);
    expect(out.html).not.toContain(`class="noteref"`);
    const actions = server.ctx.db.prepare("SELECT action FROM audit_events WHERE target_id = ? ORDER BY seq").pluck().all(added.body.id);
    expect(actions).toEqual(["footnote.added", "footnote.edited", "footnote.removed"]);
    events.close();
  });
});

describe("the HTML export's ids", () => {
  it("are unique when a reservation's marker stands twice and reference notes share a paragraph with it", async () => {
    const m = model(
      [
        paragraph({
          id: "op1",
          runs: [{ text: "To urge member states to ratify the Protocol.", em: false, strong: false }],
          footnotes: [1],
          notes: [
            { marker: null, text: "First note.", at: 7 },
            { marker: null, text: "Second note.", at: 7 },
          ],
        }),
        paragraph({ id: "op2", number: "2", ref: "OP2", runs: [{ text: "To act.", em: false, strong: false }], notes: [{ marker: null, text: "Third.", at: 3 }] }),
      ],
      {
        footnotes: [
          { number: 1, delegation: "USA", delegationName: "United States", on: "paragraph", ref: "OP1", text: "We reserve.", withSignature: true, createdAt: "2009-03-27T10:00:00Z" },
        ],
        closing: {
          adoptedSymbol: "RTP-II/doc.5/09 rev. 1",
          adoptedAt: "2009-03-27T10:00:00Z",
          adoptedHash: "a".repeat(64),
          matchesText: true,
          signatures: [
            { delegation: "USA", delegationName: "United States", minister: "Minister", signedAt: "2009-03-27T11:00:00Z", valid: true, problem: null, footnote: 1 },
          ],
          missing: [],
        },
      },
    );
    const html = renderHtml(m);
    // libxml2's HTML parser reads the page as a browser would and lists every id attribute.
    const file = await tempFile(html, "html");
    const { stdout } = await run("xmllint", ["--html", "--xpath", "//@id", file]);
    const ids = [...stdout.matchAll(/id="([^"]*)"/g)].map((x) => x[1]!);
    expect(ids).toEqual(expect.arrayContaining(["fn1", "fnref1", "fnref1-2", "noteref-a", "noteref-b", "noteref-c", "note-a", "note-b", "note-c", "p-op1", "p-op2"]));
    expect(new Set(ids).size).toBe(ids.length);
    // Every link lands on an id of the page.
    for (const [, target] of html.matchAll(/href="#([^"]+)"/g)) expect(ids).toContain(target);
    expect(html).toContain(`To urge<sup class="noteref"><a href="#note-a" id="noteref-a">a</a></sup><sup class="noteref"><a href="#note-b" id="noteref-b">b</a></sup> member`);
  });
});

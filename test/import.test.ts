import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCX_TYPE } from "../server/import/parse.js";
import type { ApiClient } from "./helpers/api.js";
import { buildDocx } from "./helpers/docx.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
let secretariat: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  secretariat = await server.login("secretariat");
});
afterAll(() => server.stop());

/** Posts a file as the raw body, as the web app does. */
async function upload(client: ApiClient, query: string, bytes: Uint8Array, type: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/meetings/${server.demo.meetingId}/documents/import?${query}`, {
    method: "POST",
    headers: { cookie: client.cookie, "x-csrf-token": client.csrfToken, "content-type": type },
    body: Buffer.from(bytes),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * Starts sending a file of `size` bytes and reads the answer as soon as it comes: the server
 * refuses by the declared length without reading 50 MB, and may close the connection while
 * a client that insists on sending everything first is still writing.
 */
function uploadDeclaredSize(client: ApiClient, size: number): Promise<{ status: number; body: any }> {
  const url = new URL(`${server.url}/api/meetings/${server.demo.meetingId}/documents/import?dryRun=1`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { cookie: client.cookie, "x-csrf-token": client.csrfToken, "content-type": "text/plain", "content-length": String(size) } },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on("error", reject);
    req.write(Buffer.alloc(64 * 1024, 0x41));
  });
}

const resolution = readFileSync(new URL("./fixtures/import/oas-resolution.txt", import.meta.url));

describe("POST /api/meetings/:id/documents/import", () => {
  it("dry run: shows the canonical form, the brackets with their holders and every warning, and creates nothing", async () => {
    const before = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/documents`)).body.length;
    const { status, body } = await upload(secretariat, "dryRun=1", resolution, "text/plain; charset=utf-8");
    expect(status).toBe(200);
    expect(body.canonical.format).toMatch(/^accord\.canonical\//);
    const refs = body.canonical.paragraphs.map((p: { ref: string | null }) => p.ref).filter(Boolean);
    // The file's own numbers: 2 bis after 2, and 3 left unused as the file left it.
    expect(refs).toEqual(["PP1", "PP2", "PP3", "PP4", "OP1", "OP2", "OP2(a)", "OP2(b)", "OP2 bis", "OP4", "OP5"]);
    expect(body.canonical.format).toBe("accord.canonical/2");
    expect(body.symbol).toBe("AG/RES. 9999 (LXII-O/26)");
    expect(body.brackets.find((b: { text: string }) => b.text === "in all its forms")).toMatchObject({ paragraph: "OP1", holders: ["USA", "CAN"] });
    expect(body.warnings.map((w: { paragraph: string }) => w.paragraph)).toEqual(["OP4"]);
    expect(body.counts).toMatchObject({ leadIns: 4, preambular: 4, operative: 7, brackets: 6 });
    expect((await secretariat.get(`/api/meetings/${server.demo.meetingId}/documents`)).body.length).toBe(before);
  });

  it("creates a document that keeps the file's numbers (2 bis, the gap) frozen, until the secretariat renumbers", async () => {
    const { status, body } = await upload(secretariat, `bodyId=${server.demo.bodies.adhoc}&symbol=${encodeURIComponent("AG/RES. 9998 (LXII-O/26)")}`, resolution, "text/plain; charset=utf-8");
    expect(status).toBe(201);
    const id = body.document.id as string;
    const content = (await secretariat.get(`/api/documents/${id}/content`)).body.canonical;
    const ops = content.paragraphs.filter((p: { kind: string }) => p.kind === "op").map((p: { ref: string; number: string }) => [p.ref, p.number]);
    expect(ops).toEqual([["OP1", "1"], ["OP2", "2"], ["OP2(a)", "(a)"], ["OP2(b)", "(b)"], ["OP2 bis", "2 bis"], ["OP4", "4"], ["OP5", "5"]]);
    expect((await secretariat.get(`/api/documents/${id}/numbering`)).body).toMatchObject({ act: "frozen", revision: 1 });
    // The bracket register cites the paragraph as the file does.
    const register = (await secretariat.get(`/api/documents/${id}/brackets`)).body;
    expect(register.brackets.find((b: { text: string }) => b.text === "and to report at the next regular session.")).toMatchObject({ paragraphRef: "OP4" });
    const renumbered = await secretariat.post(`/api/documents/${id}/renumber`);
    expect(renumbered.status).toBe(200);
    const after = (await secretariat.get(`/api/documents/${id}/content`)).body.canonical;
    expect(after.paragraphs.filter((p: { kind: string; level: number }) => p.kind === "op" && p.level === 0).map((p: { ref: string }) => p.ref)).toEqual(["OP1", "OP2", "OP3", "OP4", "OP5"]);
  });

  it("creates the document from a DOCX: text, brackets in the register with their holders, masthead, footnotes", async () => {
    const bytes = await buildDocx(
      [
        { text: "RTP-II/doc.9/26" },
        { text: "25 March 2009" },
        { text: "Original: English" },
        { text: "Distr.: General" },
        { text: "Agenda item 4" },
        { text: "DRAFT DECLARATION ON IMPORT" },
        { text: "THE MINISTERS, meeting in Buenos Aires," },
        { runs: [{ text: "RECOGNIZING the Protocol" }, { footnote: 1 }, { text: ";" }] },
        { text: "DECLARE:" },
        { text: "1. Their commitment to [strengthen] (USA, CAN)[enhance] cooperation." },
        { text: "2. To report [within available resources]." },
      ],
      { footnotes: { 1: "Adopted in Palermo in 2000." } },
    );
    const { status, body } = await upload(secretariat, `bodyId=${server.demo.bodies.adhoc}&kind=declaration`, bytes, DOCX_TYPE);
    expect(status).toBe(201);
    expect(body.document).toMatchObject({ title: "DRAFT DECLARATION ON IMPORT", symbol: "RTP-II/doc.9/26", state: "draft", bodyId: server.demo.bodies.adhoc });
    const id = body.document.id;
    const content = (await secretariat.get(`/api/documents/${id}/content`)).body;
    expect(content.canonical.paragraphs.map((p: { kind: string; text: string }) => `${p.kind}: ${p.text}`)).toEqual([
      "title: DRAFT DECLARATION ON IMPORT",
      "chapeau: THE MINISTERS, meeting in Buenos Aires,",
      "pp: RECOGNIZING the Protocol;",
      "chapeau: DECLARE:",
      "op: Their commitment to strengthen enhance cooperation.",
      "op: To report within available resources.",
    ]);
    const register = (await secretariat.get(`/api/documents/${id}/brackets`)).body;
    expect(register.counts.open).toBe(3);
    const byText = Object.fromEntries(register.brackets.map((b: { text: string }) => [b.text, b]));
    expect(byText.strengthen).toMatchObject({ paragraphRef: "OP1", holders: ["CAN", "USA"], state: "open" });
    expect(byText.enhance.group).toBe(byText.strengthen.group);
    expect(byText["within available resources"].holders).toEqual([]);
    const audit = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${id}`)).body;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["document.created", "bracket.opened", "document.imported"]));
    const notes = server.ctx.db.prepare("SELECT kind, marker, text FROM document_notes WHERE document_id = ?").all(id);
    expect(notes).toEqual([{ kind: "footnote", marker: "1", text: "Adopted in Palermo in 2000." }]);
    const masthead = JSON.parse(server.ctx.db.prepare("SELECT masthead FROM documents WHERE id = ?").pluck().get(id) as string);
    expect(masthead).toMatchObject({ symbol: "RTP-II/doc.9/26", originalLanguage: "English" });
    const shown = (await secretariat.get(`/api/documents/${id}`)).body.masthead;
    expect(shown).toEqual({ series: "OEA/Ser.K/XXXIX.2", symbol: "RTP-II/doc.9/26", date: "25 March 2009", originalLanguage: "English", distribution: "General", agendaItem: "4", sponsors: null });
  });

  it("turns a paragraph a DOCX marks [Agreed ad ref] ad ref, through the status command and audited; one with an open bracket stays white with its annotation", async () => {
    const bytes = await buildDocx([
      { text: "DRAFT DECLARATION AGREED AD REF" },
      { text: "THE MINISTERS, meeting in Buenos Aires," },
      { text: "DECLARE:" },
      { text: "1. To cooperate. [Agreed ad ref]" },
      { text: "2. To report." },
      { text: "3. To [review] the matter. [Agreed ad ref]" },
    ]);
    const { status, body } = await upload(secretariat, `bodyId=${server.demo.bodies.adhoc}&kind=declaration`, bytes, DOCX_TYPE);
    expect(status, JSON.stringify(body)).toBe(201);
    const id = body.document.id;
    const ops = (await secretariat.get(`/api/documents/${id}/content`)).body.canonical.paragraphs.filter((p: { kind: string }) => p.kind === "op");
    expect(ops.map((p: { text: string }) => p.text)).toEqual(["To cooperate.", "To report.", "To review the matter."]);
    const statuses = (await secretariat.get(`/api/documents/${id}/paragraph-statuses`)).body as Array<{ paragraphId: string; status: string; setBy: string }>;
    const statusOf = (paragraphId: string) => statuses.find((s) => s.paragraphId === paragraphId)?.status ?? "white";
    expect(ops.map((p: { id: string }) => statusOf(p.id))).toEqual(["ad_ref", "white", "white"]);
    expect(statuses.find((s) => s.paragraphId === ops[0].id)!.setBy).toBe("secretariat");
    // Both annotations are recorded, the bracketed paragraph's too.
    const notes = server.ctx.db.prepare("SELECT paragraph_id AS paragraphId, annotation FROM document_notes WHERE document_id = ? AND kind = 'annotation'").all(id);
    expect(notes).toEqual(expect.arrayContaining([{ paragraphId: ops[0].id, annotation: "agreed_ad_ref" }, { paragraphId: ops[2].id, annotation: "agreed_ad_ref" }]));
    // Audited as a status change by the secretariat, after the import's creation.
    const audit = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${id}`)).body as Array<{ action: string; targetId: string; details: Record<string, unknown> }>;
    const changed = audit.filter((e) => e.action === "paragraph.status_changed");
    expect(changed).toEqual([expect.objectContaining({ targetId: ops[0].id, details: expect.objectContaining({ ref: "OP1", from: "white", to: "ad_ref" }) })]);
  });

  it("creates brackets as negotiating texts have them: around whole paragraphs, labelled options, a group's hold, notes", async () => {
    const delegations = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/delegations`)).body.map((d: { code: string }) => d.code);
    if (!delegations.includes("EU")) await secretariat.patch(`/api/meetings/${server.demo.meetingId}`, { delegations: [...delegations, "EU"] });
    const text = [
      "DRAFT DECLARATION IN PRACTICE",
      "[THE MINISTERS (EU)], meeting in Buenos Aires,",
      "DECLARE:",
      "1. [To act.",
      "2. To report.] (USA)",
      "Option 1: 3. To review the matter.",
      "Option 2: No text",
      "4. To close. [Agreed ad ref]",
      "{to be discussed in informals}",
    ].join("\n\n");
    const { status, body } = await upload(secretariat, `bodyId=${server.demo.bodies.adhoc}&symbol=RTP-II/doc.77/26`, Buffer.from(text), "text/plain");
    expect(status).toBe(201);
    const id = body.document.id;
    const register = (await secretariat.get(`/api/documents/${id}/brackets`)).body;
    const brackets = register.brackets as Array<Record<string, unknown>>;
    expect(brackets.map((b) => [b.paragraphRefs, b.scope, b.holders, b.optionLabel, b.noText])).toEqual([
      [['lead-in "THE MINISTERS, meeting in Buenos Aires,"'], "text", ["EU"], null, false],
      [["OP1", "OP2"], "paragraphs", ["USA"], null, false],
      [["OP3"], "paragraphs", [], "Option 1", false],
      // The file numbers its paragraphs and "Option 2: No text" has none: it is the
      // alternative to paragraph 3, printed without a number, so it is cited by the paragraph
      // it follows ("4. To close." keeps OP4, as typed).
      [["after OP3"], "paragraphs", [], "Option 2", true],
    ]);
    const notes = server.ctx.db.prepare("SELECT annotation, text FROM document_notes WHERE document_id = ? AND kind = 'annotation' ORDER BY text").all(id);
    expect(notes).toEqual([
      { annotation: "agreed_ad_ref", text: "Agreed ad ref" },
      { annotation: "facilitator", text: "to be discussed in informals" },
    ]);
    // Choosing "No text" leaves neither option's paragraph.
    const chair = await server.login("secretariat");
    const none = brackets.find((b) => b.noText)!;
    expect((await chair.post(`/api/brackets/${none.id}/resolution`, { action: "choose" })).status).toBe(200);
    const ops = (await chair.get(`/api/documents/${id}/content`)).body.canonical.paragraphs.filter((p: { kind: string }) => p.kind === "op");
    expect(ops.map((p: { text: string }) => p.text)).toEqual(["To act.", "To report.", "To close."]);
  });

  it("is the secretariat's: a delegate and a chair are refused before the file is read", async () => {
    const delegate = await server.login("arg.delegate");
    expect((await upload(delegate, "dryRun=1", resolution, "text/plain")).status).toBe(403);
    const chair = await server.login("chair");
    expect((await upload(chair, "dryRun=1", resolution, "text/plain")).status).toBe(403);
  });

  it("answers a bad file with a 4xx that says what is wrong", async () => {
    const bad = await upload(secretariat, "dryRun=1", Buffer.from("PK\u0003\u0004 broken"), DOCX_TYPE);
    expect(bad.status).toBe(415);
    expect(bad.body.error).toMatch(/not a DOCX/);
    const pdf = await upload(secretariat, "dryRun=1", Buffer.from("%PDF-1.4"), "application/pdf");
    expect(pdf.status).toBe(415);
    const big = await uploadDeclaredSize(secretariat, 50 * 1024 * 1024);
    expect(big.status).toBe(413);
    expect(big.body.error).toMatch(/larger than 20 MB/);
    const noBody = await upload(secretariat, "", resolution, "text/plain");
    expect(noBody.status).toBe(400);
    expect(noBody.body.error).toMatch(/bodyId/);
    const empty = await upload(secretariat, "dryRun=1", new Uint8Array(), "text/plain");
    expect(empty.status).toBe(400);
  });
});

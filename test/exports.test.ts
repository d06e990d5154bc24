import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { escapeHtml, renderHtml } from "../server/exports/render-html.js";
import { renderText, wrap } from "../server/exports/render-text.js";
import { paragraphPieces } from "../server/exports/pieces.js";
import { exportFileName } from "../server/exports/routes.js";
import { bracket, model, paragraph } from "./helpers/export-model.js";
import type { ApiClient } from "./helpers/api.js";
import { collabClient, eventually } from "./helpers/collab.js";
import { documentElsewhere } from "./helpers/elsewhere.js";
import { adopt, createTestDeclaration, makeClean } from "./helpers/lifecycle.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { confirmedKey, signDocument } from "./helpers/signing.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** An export as the browser gets it: status, the headers that matter, the body as text. */
async function fetchExport(client: ApiClient | null, path: string) {
  const res = await fetch(server.url + path, { headers: client ? { cookie: client.cookie } : {} });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    disposition: res.headers.get("content-disposition") ?? "",
    cache: res.headers.get("cache-control") ?? "",
    csp: res.headers.get("content-security-policy") ?? "",
    text: await res.text(),
  };
}

describe("rendering (pure)", () => {
  it("escapeHtml makes markup and attribute breakers inert", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
  });

  it("cuts runs at bracket edges: nested brackets and options stay nested, italics are kept per piece", () => {
    // "To [shall][agree to] act [fully [now]]" with "agree to act" in italics across a bracket edge.
    const runs = [
      { text: "To shall", em: false, strong: false },
      { text: "agree to act", em: true, strong: false },
      { text: " fully now", em: false, strong: true },
    ];
    const p = paragraph({
      runs,
      brackets: [
        bracket({ id: "b1", label: "B1", from: 3, to: 8, holders: ["USA"] }),
        bracket({ id: "b2", label: "B2", from: 8, to: 16, holders: [] }),
        bracket({ id: "b3", label: "B3", from: 21, to: 30, holders: ["VEN", "BOL"] }),
        bracket({ id: "b4", label: "B4", from: 27, to: 30, holders: ["ARG"] }),
      ],
    });
    const pieces = paragraphPieces(p).map((x) => (x.type === "text" ? `${x.em ? "_" : ""}${x.text}` : x.type === "open" ? "[" : x.type === "close" ? `]${x.bracket.label}` : `^${x.note.text}`));
    expect(pieces.join("")).toBe("To [shall]B1[_agree to]B2_ act [fully [now]B4]B3");
    const html = renderHtml(model([p]));
    expect(html).toContain(`<em>agree to</em><span class="sq">]</span><sup class="holders">B2</sup></span><em> act</em>`);
    expect(html).toContain(`<strong>now</strong><span class="sq">]</span><sup class="holders">B4: ARG</sup></span><span class="sq">]</span><sup class="holders">B3: VEN, BOL</sup></span>`);
    expect(renderText(model([p]), 200)).toContain("1.   To [shall]{B1: USA}[agree to]{B2} act [fully [now]{B4: ARG}]{B3: VEN, BOL}");
  });

  it("wraps plain text with hanging indents and never splits a bracket's note", () => {
    expect(wrap("one two three four", 9, "1.  ", "    ")).toEqual(["1.  one", "    two", "    three", "    four"]);
    const long = paragraph({ runs: [{ text: "word ".repeat(30) + "end", em: false, strong: false }], brackets: [bracket({ id: "b", label: "B12", from: 150, to: 153, holders: ["USA", "CAN", "MEX"] })] });
    const text = renderText(model([long]), 40);
    expect(text).toContain("[end]{B12: USA, CAN, MEX}");
    // A word longer than a line (the hash) stands alone; every other line fits.
    for (const line of text.split("\n")) if (!line.includes("{B12") && !line.includes("a".repeat(64))) expect(line.length).toBeLessThanOrEqual(40);
  });

  it("hangs whole-document reservations on the title, even when the text has no title block", () => {
    const footnotes = [{ number: 1, delegation: "CAN", delegationName: "Canada", on: "document" as const, ref: null, text: "<b>no</b>", withSignature: false, createdAt: "2009" }];
    const html = renderHtml(model([paragraph({ runs: [{ text: "Act.", em: false, strong: false }] })], { titleFootnotes: [1], footnotes }));
    expect(html).toMatch(/<h1 class="title">Declaration<sup class="fnref"><a href="#fn1" id="fnref1">1<\/a><\/sup><\/h1>/);
    expect(html).toContain("&lt;b&gt;no&lt;/b&gt;");
    expect(exportFileName("RTP-II/doc.5/09 rev. 1", "docx")).toBe("RTP-II-doc.5-09-rev.1.docx");
    expect(exportFileName(`x"y\\z/é`, "txt")).toBe("x-y-z.txt");
  });
});

describe("GET /api/documents/:id/export", () => {
  const declaration = () => server.demo.documents.declaration!;

  it("exports the demo declaration to an observer: masthead, numbered paragraphs, sub-paragraphs and bracket holders", async () => {
    const observer = await server.login("observer");
    const res = await fetchExport(observer, `/api/documents/${declaration()}/export`);
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/html; charset=utf-8");
    expect(res.disposition).toBe(`inline; filename="RTP-II-doc.5-09.html"`);
    expect(res.cache).toBe("no-store");
    expect(res.csp).toContain("default-src 'none'");
    const html = res.text;
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("@media print");
    expect(html).toContain("size: A4");
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html).toContain(`<div class="series">OEA/Ser.K/XXXIX.2</div><div class="symbol">RTP-II/doc.5/09</div>`);
    expect(html).toContain(`<h1 class="title"`);
    expect(html).toContain("Declaration of Buenos Aires on Trafficking in Persons");
    expect(html).toMatch(/<p class="chapeau"[^>]*>THE MINISTERS AND HIGH NATIONAL AUTHORITIES/);
    expect(html).toMatch(/<p class="pp level-0"[^>]*>RECOGNIZING that trafficking/);
    expect(html).toMatch(/<p class="op level-0"[^>]*><span class="num">1\.<\/span>Their firm commitment/);
    expect(html).toMatch(/<p class="op level-1"[^>]*><span class="num">\(a\)<\/span>prevention, including/);
    expect(html).toMatch(/<span class="num">\(c\)<\/span>the safe and voluntary repatriation/);

    // Every open bracket of the register is drawn with its label and holders, compilation style.
    const register = (await observer.get(`/api/documents/${declaration()}/brackets?state=open`)).body;
    const open = register.brackets as Array<{ label: string; text: string; holders: string[] }>;
    expect(open.length).toBeGreaterThanOrEqual(3);
    for (const b of open) {
      const note = b.holders.length ? `${b.label}: ${b.holders.join(", ")}` : b.label;
      expect(html).toContain(`<span class="bracket"><span class="sq">[</span>${escapeHtml(b.text)}<span class="sq">]</span><sup class="holders">${note}</sup></span>`);
    }
    expect(html).toContain(`including specialized shelters and care<span class="sq">]</span><sup class="holders">`);
    expect(html).toMatch(/<sup class="holders">B\d+: (CAN, USA|USA, CAN)<\/sup>/);
    expect(html).toContain((await observer.get(`/api/documents/${declaration()}/content`)).body.hash);
  });

  it("exports the same content as wrapped plain text", async () => {
    const delegate = await server.login("arg.delegate");
    const res = await fetchExport(delegate, `/api/documents/${declaration()}/export?format=text`);
    expect(res.status).toBe(200);
    expect(res.type).toBe("text/plain; charset=utf-8");
    expect(res.disposition).toBe(`inline; filename="RTP-II-doc.5-09.txt"`);
    expect(res.cache).toBe("no-store");
    const lines = res.text.split("\n");
    expect(lines[0]!.trim()).toBe("OEA/Ser.K/XXXIX.2");
    expect(lines[0]!.length).toBe(78);
    expect(res.text).toContain("DECLARATION OF BUENOS AIRES ON TRAFFICKING IN PERSONS");
    expect(res.text).toMatch(/^1\. {3}Their firm commitment/m);
    expect(res.text).toMatch(/^ {5}\(a\) {2}prevention, including/m);
    expect(res.text).toMatch(/\[including specialized\s+shelters and care\]\{B\d+: (CAN, USA|USA, CAN)\}/);
    for (const line of lines) if (!line.includes("{B") && !/[0-9a-f]{64}/.test(line)) expect(line.length).toBeLessThanOrEqual(78);
  });

  it("exports a stored version's text; 404 for an unknown version or one of another document, 400 for a bad format", async () => {
    const observer = await server.login("observer");
    const versions = (await observer.get(`/api/documents/${declaration()}/versions`)).body as Array<{ id: string; label: string; hash: string }>;
    const initial = versions.find((v) => v.label === "as circulated")!;
    const res = await fetchExport(observer, `/api/documents/${declaration()}/export?version=${initial.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("version “as circulated”");
    expect(res.text).toContain(initial.hash);

    const unknown = await observer.get(`/api/documents/${declaration()}/export?version=v_nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe("version not found");
    const wg1Version = ((await observer.get(`/api/documents/${server.demo.documents.wg1}/versions`)).body as Array<{ id: string }>)[0]!;
    expect((await observer.get(`/api/documents/${declaration()}/export?version=${wg1Version.id}`)).status).toBe(404);

    const bad = await observer.get(`/api/documents/${declaration()}/export?format=odt`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/format/);
    expect(Array.isArray(bad.body.reasons)).toBe(true);
    expect((await observer.get(`/api/documents/${declaration()}/export?format=html&format=text`)).status).toBe(400);
  });

  it("answers 404 for another meeting's document and 401 without a session", async () => {
    const elsewhere = documentElsewhere(server.ctx);
    const observer = await server.login("observer");
    const res = await observer.get(`/api/documents/${elsewhere.documentId}/export`);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("document not found");
    expect((await observer.get(`/api/documents/d_missing/export?format=text`)).status).toBe(404);
    expect((await fetchExport(null, `/api/documents/${declaration()}/export`)).status).toBe(401);
  });

  it("escapes <script> typed into a paragraph by a stock y-websocket client", async () => {
    const docId = server.demo.documents.wg1!;
    const delegate = await server.login("arg.delegate");
    const before = (await delegate.get(`/api/documents/${docId}/content`)).body.hash;
    const client = collabClient(server.url, docId, delegate.cookie);
    await client.synced;
    const paragraphs = textFragment(client.doc);
    let index = -1;
    for (let i = 0; i < paragraphs.length; i++) if ((paragraphs.get(i) as Y.XmlElement).getAttribute("kind") === "pp") index = i;
    const t = (paragraphs.get(index) as Y.XmlElement).get(0) as Y.XmlText;
    t.insert(t.length, ` <script>alert("owned")</script><img src=x onerror=alert(1)>`);
    t.insert(t.length, " in italics", { em: {} });
    await eventually(async () => (await delegate.get(`/api/documents/${docId}/content`)).body.hash !== before, 5000, "the edit");
    client.destroy();
    expect(client.denials).toEqual([]);

    const res = await fetchExport(delegate, `/api/documents/${docId}/export`);
    expect(res.status).toBe(200);
    expect(res.text).not.toMatch(/<script|<img/i);
    expect(res.text).toContain("&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(res.text).toContain("<em> in italics</em>");
    const text = await fetchExport(delegate, `/api/documents/${docId}/export?format=text`);
    expect(text.type).toBe("text/plain; charset=utf-8");
    expect(text.text).toContain(`<script>alert("owned")</script>`);
  });

  it("after adoption and signatures prints the reservations as footnotes and the signatures with the adopted hash", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Declaration on <Cooperation>");
    const opId = blocks.find((b) => b.kind === "op")!.id;
    const [chair, secretariat, usa, can, canDelegate] = await Promise.all(
      ["chair", "secretariat", "usa.minister", "can.minister", "can.delegate"].map((n) => server.login(n)),
    );
    const signatories = await secretariat!.put(`/api/documents/${docId}/signatories`, { delegations: ["USA", "CAN", "MEX"] });
    expect(signatories.status, JSON.stringify(signatories.body)).toBe(200);
    // Before adoption: no closing block.
    expect((await fetchExport(chair!, `/api/documents/${docId}/export`)).text).not.toContain("Adoption and signatures");
    await makeClean(server, docId, chair!);
    await adopt(server, docId, chair!);
    const { adoptedHash } = (await chair!.get(`/api/documents/${docId}/verification`)).body;

    const lodged = await canDelegate!.post(`/api/documents/${docId}/reservations`, { text: "Canada reserves its position on the declaration as a whole." });
    expect(lodged.status, JSON.stringify(lodged.body)).toBe(201);
    const signedUsa = await signDocument(usa!, await confirmedKey(usa!, secretariat!), docId, {
      hash: adoptedHash,
      reservation: { paragraphId: opId, text: "The United States does not consider OP1 <binding> & joins consensus." },
    });
    expect(signedUsa.status, JSON.stringify(signedUsa.body)).toBe(201);
    expect((await signDocument(can!, await confirmedKey(can!, secretariat!), docId, { hash: adoptedHash })).status).toBe(201);

    const observer = await server.login("observer");
    const res = await fetchExport(observer, `/api/documents/${docId}/export`);
    expect(res.status).toBe(200);
    const html = res.text;
    expect(html).toContain("<title>RTP-II/doc.");
    expect(html).toContain("Declaration on &lt;Cooperation&gt;");
    // Footnote 1 (CAN, whole document) hangs on the title; footnote 2 (USA) on OP1.
    expect(html).toMatch(/<h1 class="title"[^>]*>Declaration on &lt;Cooperation&gt;<sup class="fnref"><a href="#fn1" id="fnref1">1<\/a><\/sup><\/h1>/);
    expect(html).toMatch(new RegExp(`<p class="op level-0" id="p-${opId}"><span class="num">1\\.</span>To urge member states to ratify the Palermo Protocol;<sup class="fnref"><a href="#fn2" id="fnref2">2</a></sup></p>`));
    expect(html).toContain(`<li id="fn1" value="1"><strong>Canada (CAN)</strong><span class="fn-where">, reservation on the document as a whole: </span>Canada reserves its position`);
    expect(html).toContain(
      `<li id="fn2" value="2"><strong>United States (USA)</strong><span class="fn-where">, reservation on OP1, made on signature: </span>The United States does not consider OP1 &lt;binding&gt; &amp; joins consensus.`,
    );
    expect(html).toContain(`Adopted text hash (SHA-256): <span class="hash">${adoptedHash}</span>`);
    expect(html).toMatch(/<tr><td>United States \(USA\)<\/td><td>Minister of United States<\/td><td>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/td><td>valid<sup class="fnref"><a href="#fn2"/);
    expect(html).toMatch(/<tr><td>Canada \(CAN\)<\/td><td>Minister of Canada<\/td><td>[^<]+<\/td><td>valid<\/td><\/tr>/);
    expect(html).toContain("Not yet signed: MEX.");
    expect(html).toContain("Adopted</div>");

    const text = (await fetchExport(observer, `/api/documents/${docId}/export?format=text`)).text;
    expect(text).toContain("DECLARATION ON <COOPERATION>¹");
    expect(text).toMatch(/^1\. {3}To urge member states to ratify the Palermo Protocol;²$/m);
    expect(text).toContain(`Adopted text hash (SHA-256): ${adoptedHash}`);
    expect(text.replace(/\n +/g, " ")).toMatch(/^- United States \(USA\): signed by Minister of United States, \d{4}-\d\d-\d\d \d\d:\d\d UTC; valid²$/m);
    expect(text).toMatch(/^¹ +Canada \(CAN\), reservation on the document as a whole: Canada reserves/m);
    expect(text.replace(/\n +/g, " ")).toMatch(/^² +United States \(USA\), reservation on OP1, made on signature: The United States/m);
    expect(text.indexOf("ADOPTION AND SIGNATURES")).toBeLessThan(text.indexOf("¹    Canada"));

    // The adopted version exports with the same closing block; a tampered signature shows as not valid.
    const versions = (await observer.get(`/api/documents/${docId}/versions`)).body as Array<{ id: string; state: string }>;
    const adoptedVersion = versions.find((v) => v.state === "adopted")!;
    const fromVersion = (await fetchExport(observer, `/api/documents/${docId}/export?version=${adoptedVersion.id}`)).text;
    expect(fromVersion).toContain(`<span class="hash">${adoptedHash}</span>`);
    expect(fromVersion).toContain("Minister of Canada");
    server.ctx.db.prepare("UPDATE signatures SET signed_at = '2000-01-01T00:00:00.000Z' WHERE document_id = ? AND delegation = 'CAN'").run(docId);
    const tampered = (await fetchExport(observer, `/api/documents/${docId}/export`)).text;
    expect(tampered).toMatch(/<tr><td>Canada \(CAN\)<\/td><td>Minister of Canada<\/td><td>2000-01-01 00:00 UTC<\/td><td class="invalid">not valid: the stored signature of CAN was changed/);
  });
});

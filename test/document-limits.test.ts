import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually } from "./helpers/collab.js";

let server: TestServer;
const MAX_BLOCKS = 60;
beforeAll(async () => {
  server = await startTestServer({ ACCORD_MAX_DOCUMENT_BYTES: String(256 * 1024), ACCORD_MAX_BLOCKS: String(MAX_BLOCKS) });
});
afterAll(async () => {
  await server?.stop();
});

/** A new operative paragraph element with `text`, as y-prosemirror writes one. */
function paragraphElement(id: string, text: string): Y.XmlElement {
  const el = new Y.XmlElement("paragraph");
  el.setAttribute("id", id);
  el.setAttribute("kind", "op");
  el.setAttribute("level", 0 as never);
  const t = new Y.XmlText();
  t.insert(0, text);
  el.insert(0, [t]);
  return el;
}

describe("bounded documents", () => {
  it("a single 9.8 MiB update is refused before it is applied; the document and the server carry on", async () => {
    const docId = server.demo.documents.wg1!;
    const [a, b] = await Promise.all([server.login("arg.delegate"), server.login("bra.delegate")]);
    const ca = collabClient(server.url, docId, a.cookie);
    const cb = collabClient(server.url, docId, b.cookie);
    await Promise.all([ca.synced, cb.synced]);
    const before = (await a.get(`/api/documents/${docId}/content`)).body.hash;
    const text = (textFragment(ca.doc).get(2) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(0, "x".repeat(9.8 * 1024 * 1024));
    await eventually(() => ca.denials.some((d) => /at most 256 KiB/.test(d)), 15_000, "refused for its size");
    expect((await a.get(`/api/documents/${docId}/content`)).body.hash).toBe(before);
    // Others typing are unaffected.
    const other = (textFragment(cb.doc).get(3) as Y.XmlElement).get(0) as Y.XmlText;
    other.insert(0, "Still here. ");
    await eventually(async () => (await b.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs[3].text.startsWith("Still here. "), 5000, "typing");
    ca.destroy();
    cb.destroy();
  });

  it("growth past the size limit in small steps is refused once it would go past", async () => {
    const docId = server.demo.documents.wg2!;
    const a = await server.login("mex.delegate");
    const ca = collabClient(server.url, docId, a.cookie);
    await ca.synced;
    const fragment = textFragment(ca.doc);
    for (let i = 0; i < 20 && ca.denials.length === 0; i++) {
      fragment.insert(fragment.length, [paragraphElement(`p-grow-${i}`, `${i} `.padEnd(18_000, "y"))]);
      await eventually(async () => ca.denials.length > 0 || (await a.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs.some((p: { id: string }) => p.id === `p-grow-${i}`), 5000, `step ${i}`);
    }
    expect(ca.denials.join("; ")).toMatch(/a document may hold at most 256 KiB/);
    const stored = (await a.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs.filter((p: { id: string }) => p.id.startsWith("p-grow-"));
    expect(stored.length).toBeGreaterThan(5);
    expect(stored.length).toBeLessThan(20);
    ca.destroy();
  });

  it("a document past its block limit: the update is refused; an HTTP command answers 413 with a reason", async () => {
    const docId = server.demo.documents.wg3!;
    const [a, chair] = await Promise.all([server.login("col.delegate"), server.login("secretariat")]);
    const ca = collabClient(server.url, docId, a.cookie);
    await ca.synced;
    const fragment = textFragment(ca.doc);
    const room = MAX_BLOCKS - fragment.length;
    fragment.insert(fragment.length, Array.from({ length: room }, (_, i) => paragraphElement(`p-fill-${i}`, `Filler ${i}.`)));
    await eventually(async () => (await a.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs.length === MAX_BLOCKS, 5000, "filled to the limit");
    fragment.insert(fragment.length, [paragraphElement("p-one-too-many", "One too many.")]);
    await eventually(() => ca.denials.some((d) => /at most 60 paragraphs/.test(d)), 5000, "refused");
    const paragraphs = (await a.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs;
    expect(paragraphs.length).toBe(MAX_BLOCKS);

    const drafted = await a.post(`/api/documents/${docId}/amendments`, { paragraphId: paragraphs[2].id, operation: "insert_after", content: { text: "Added by amendment." } });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    expect((await a.post(`/api/amendments/${drafted.body.id}/table`)).status).toBe(200);
    const decided = await chair.post(`/api/amendments/${drafted.body.id}/decision`, { decision: "accepted" });
    expect(decided.status).toBe(413);
    expect(decided.body.error).toMatch(/at most 60 paragraphs/);
    expect((await a.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs.length).toBe(MAX_BLOCKS);
    ca.destroy();
  });
});

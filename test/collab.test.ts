import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import WebSocket from "ws";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually } from "./helpers/collab.js";
import { textFragment } from "../schema/index.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Appends `text` to the XmlText of block `index` in a client's doc. */
function typeInto(doc: Y.Doc, index: number, text: string, at?: number): void {
  const el = textFragment(doc).get(index) as Y.XmlElement;
  const t = el.get(0) as Y.XmlText;
  t.insert(at ?? t.length, text);
}

describe("live co-editing", () => {
  it("two delegates edit concurrently and converge", async () => {
    const arg = await server.login("arg.delegate");
    const bra = await server.login("bra.delegate");
    const docId = server.demo.documents.declaration!;
    const a = collabClient(server.url, docId, arg.cookie);
    const b = collabClient(server.url, docId, bra.cookie);
    await Promise.all([a.synced, b.synced]);
    expect(a.canonical().paragraphs.length).toBeGreaterThan(15);
    for (let i = 0; i < 20; i++) {
      typeInto(a.doc, 2, "a");
      typeInto(b.doc, 3, "b");
    }
    await eventually(() => JSON.stringify(a.canonical()) === JSON.stringify(b.canonical()), 5000, "convergence");
    const server_ = await arg.get(`/api/documents/${docId}/content`);
    expect(server_.body.canonical).toEqual(a.canonical());
    expect(server_.body.canonical.paragraphs[2].text.endsWith("a".repeat(20))).toBe(true);
    expect(server_.body.canonical.paragraphs[3].text.endsWith("b".repeat(20))).toBe(true);
    a.destroy();
    b.destroy();
  });

  it("an observer receives updates but its edits reach nobody", async () => {
    const obs = await server.login("observer");
    const mex = await server.login("mex.delegate");
    const docId = server.demo.documents.declaration!;
    const o = collabClient(server.url, docId, obs.cookie);
    const m = collabClient(server.url, docId, mex.cookie);
    await Promise.all([o.synced, m.synced]);
    const before = (await mex.get(`/api/documents/${docId}/content`)).body.hash;
    typeInto(o.doc, 2, "OBSERVER WAS HERE");
    await eventually(() => o.denials.length > 0, 5000, "refusal");
    expect(o.denials[0]).toMatch(/read-only/);
    typeInto(m.doc, 4, "!");
    await eventually(() => o.canonical().paragraphs[4]!.text.endsWith("!"), 5000, "observer receives");
    expect(m.canonical().paragraphs[2]!.text).not.toContain("OBSERVER");
    const after = (await mex.get(`/api/documents/${docId}/content`)).body;
    expect(after.hash).not.toBe(before);
    expect(JSON.stringify(after.canonical)).not.toContain("OBSERVER");
    o.destroy();
    m.destroy();
  });

  it("refuses a websocket without a session before reading anything", async () => {
    const docId = server.demo.documents.declaration!;
    const ws = new WebSocket(`${server.url.replace("http", "ws")}/collab/${docId}`);
    const code = await new Promise<number>((resolve) => ws.on("close", (c) => resolve(c)));
    expect(code).toBe(4401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { textFragment } from "../schema/index.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ ACCORD_COMPACT_AFTER: "10" });
});
afterAll(async () => {
  await server?.stop();
});

const logLength = (docId: string) =>
  server.ctx.db.prepare("SELECT COUNT(*) FROM document_updates WHERE document_id = ?").pluck().get(docId) as number;

/** The text of block `index` in a client's doc. */
const paragraphText = (doc: Y.Doc, index: number) => (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;

/** Types `count` digits at the end of `text`, one update each, a few ms apart as a person would. */
async function typeKeystrokes(text: Y.XmlText, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    text.insert(text.length, String(i % 10));
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("rooms and the text store", () => {
  it("compacts the log past the threshold and when the last client leaves; reloads the same text", async () => {
    const docId = server.demo.documents.wg1!;
    const api = await server.login("arg.delegate");
    const a = collabClient(server.url, docId, api.cookie);
    await a.synced;
    const t = paragraphText(a.doc, 2);
    await typeKeystrokes(t, 25);
    await eventually(async () => (await api.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs[2].text.endsWith("01234"), 5000, "typed");
    expect(logLength(docId)).toBeLessThan(10);
    const live = (await api.get(`/api/documents/${docId}/content`)).body;
    expect(server.ctx.rooms.get(docId)).toBeDefined();
    a.destroy();
    await eventually(() => server.ctx.rooms.get(docId) === undefined, 5000, "room closed");
    expect(logLength(docId)).toBe(0);
    const reloaded = (await api.get(`/api/documents/${docId}/content`)).body;
    expect(reloaded).toEqual(live);
    const b = collabClient(server.url, docId, api.cookie);
    await b.synced;
    expect(b.canonical()).toEqual(live.canonical);
    b.destroy();
  });

  it("waits longer before compacting a large document while it is open; compacts it when the last client leaves", async () => {
    const docId = server.demo.documents.wg4!;
    // About 200 KB of text: the threshold of 10 updates (ACCORD_COMPACT_AFTER) becomes 30.
    const stored = server.ctx.texts.load(docId);
    const t0 = paragraphText(stored.doc, 2);
    t0.insert(t0.length, " Lorem ipsum dolor sit amet.".repeat(7000));
    server.ctx.texts.compact(docId, stored.doc, stored.nextSeq - 1);
    const api = await server.login("per.delegate");
    const a = collabClient(server.url, docId, api.cookie);
    await a.synced;
    const t = paragraphText(a.doc, 3);
    await typeKeystrokes(t, 25);
    await eventually(() => logLength(docId) === 25, 5000, "all 25 logged");
    await new Promise((r) => setTimeout(r, 100));
    expect(logLength(docId)).toBe(25);
    a.destroy();
    await eventually(() => server.ctx.rooms.get(docId) === undefined, 5000, "room closed");
    expect(logLength(docId)).toBe(0);
  });

  it("opens a compacted document from its snapshot: joiners are answered before the text is built, offline edits merge", async () => {
    const docId = server.demo.documents.wg3!;
    const api = await server.login("col.delegate");
    const first = collabClient(server.url, docId, api.cookie);
    await first.synced;
    const typeAt = (doc: Y.Doc, index: number, text: string) => paragraphText(doc, index).insert(0, text);
    typeAt(first.doc, 1, "Online: ");
    await eventually(async () => (await api.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs[1].text.startsWith("Online: "), 5000, "typed");
    // An offline copy of the text as it is now, edited while the room is closed.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(first.doc));
    first.destroy();
    await eventually(() => server.ctx.rooms.get(docId) === undefined, 5000, "room closed");
    expect(logLength(docId)).toBe(0);
    typeAt(offline, 2, "Offline: ");

    // The returning client is the first to open the document again: the server's greeting,
    // built from the stored state vector, is what asks it for its offline edit.
    const returning = collabClient(server.url, docId, api.cookie, { doc: offline });
    await returning.synced;
    const joiner = collabClient(server.url, docId, api.cookie);
    await joiner.synced;
    expect(joiner.canonical().paragraphs[1]!.text.startsWith("Online: ")).toBe(true);
    await eventually(() => (joiner.canonical().paragraphs[2]?.text ?? "").startsWith("Offline: "), 5000, "offline edit relayed");
    expect(server.ctx.rooms.get(docId)!.loaded).toBe(true);
    expect(returning.canonical()).toEqual(joiner.canonical());
    expect((await api.get(`/api/documents/${docId}/content`)).body.canonical).toEqual(joiner.canonical());
    joiner.destroy();
    returning.destroy();
  });

  it("sends a late joiner the cached full state and every change since: keystrokes, a burst, the server's own edit", async () => {
    const docId = server.demo.documents.wg2!;
    const api = await server.login("bra.delegate");
    const content = async () => (await api.get(`/api/documents/${docId}/content`)).body.canonical;
    const a = collabClient(server.url, docId, api.cookie);
    await a.synced;
    // The first joiner has the room encode and keep its full state; what follows is sent after it.
    const first = collabClient(server.url, docId, api.cookie);
    await first.synced;
    const t = paragraphText(a.doc, 2);
    await typeKeystrokes(t, 2);
    // Four updates in one write reach the server in one turn and are applied as one batch.
    for (let i = 0; i < 4; i++) t.insert(0, "x");
    await eventually(async () => (await content()).paragraphs[2].text.startsWith("xxxx"), 5000, "burst stored");
    // The server's own edit: opening a bracket puts its mark into the text.
    const paragraph = (await content()).paragraphs[2];
    const opened = await api.post(`/api/documents/${docId}/brackets`, { paragraphId: paragraph.id, from: 0, to: 4 });
    expect(opened.status).toBe(201);
    const expected = await content();
    expect(expected.paragraphs[2].brackets).toHaveLength(1);
    // Seven updates, under the compaction threshold of ten: the cached state is still the first one.
    const late = collabClient(server.url, docId, api.cookie);
    await late.synced;
    expect(late.canonical()).toEqual(expected);
    for (const c of [a, first, late]) c.destroy();
  });

  it("relays awareness with the user stamped by the server", async () => {
    const docId = server.demo.documents.declaration!;
    const arg = await server.login("arg.delegate");
    const can = await server.login("can.delegate");
    const a = collabClient(server.url, docId, arg.cookie);
    const c = collabClient(server.url, docId, can.cookie);
    await Promise.all([a.synced, c.synced]);
    // ARG claims to be Canada's minister: the server overrides who it is.
    a.provider.awareness.setLocalStateField("user", { name: "Minister of Canada", delegation: "CAN", color: "#123456" });
    await eventually(() => c.provider.awareness.getStates().has(a.doc.clientID), 5000, "awareness relayed");
    const seen = c.provider.awareness.getStates().get(a.doc.clientID) as { user: Record<string, unknown> };
    expect(seen.user).toMatchObject({ delegation: "ARG", username: "arg.delegate", role: "delegate", color: "#123456" });
    a.destroy();
    await eventually(() => !c.provider.awareness.getStates().has(a.doc.clientID), 5000, "awareness removed on leave");
    c.destroy();
  });

  it("pushes negotiation events to clients that ask for them", async () => {
    const docId = server.demo.documents.wg2!;
    const chair = await server.login("wg2.chair");
    const events = await listenEvents(server.url, docId, chair.cookie);
    const access = await events.waitFor("access.changed");
    expect(access.data).toMatchObject({ state: "negotiation", canWrite: true });
    await chair.post(`/api/documents/${docId}/versions`, { label: "Rev.1" });
    const created = await events.waitFor("version.created");
    expect(created.data.label).toBe("Rev.1");
    expect(created.actor).toMatchObject({ username: "wg2.chair" });
    events.close();
  });

  it("switches open connections to read-only at once when the state freezes the text", async () => {
    const docId = server.demo.documents.wg3!;
    const del = await server.login("mex.delegate");
    const events = await listenEvents(server.url, docId, del.cookie);
    const client = collabClient(server.url, docId, del.cookie);
    await client.synced;
    server.ctx.db.prepare("UPDATE documents SET state = 'adopted' WHERE id = ?").run(docId);
    server.ctx.rooms.refreshAccess(docId);
    await events.waitFor("access.changed", (e) => e.data.canWrite === false);
    const before = (await del.get(`/api/documents/${docId}/content`)).body.hash;
    const t = paragraphText(client.doc, 2);
    t.insert(0, "LATE ");
    await eventually(() => client.denials.length > 0, 5000, "refusal");
    expect(client.denials[0]).toMatch(/adopted/);
    expect((await del.get(`/api/documents/${docId}/content`)).body.hash).toBe(before);
    client.destroy();
    events.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import WebSocket from "ws";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import { textFragment } from "../schema/index.js";
import { endSessions } from "../server/auth/end-sessions.js";
import { sessionSocketsOf } from "../server/collab/session-sockets.js";
import { paragraphStatuses } from "../server/status/status.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

function typeInto(doc: Y.Doc, index: number, text: string): void {
  const t = (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
  t.insert(t.length, text);
}

/**
 * Indexes of the demo declaration's paragraphs that anyone may type into: agreed ones are
 * locked, so an edit there would be refused for that reason and not for the one under test.
 */
function openParagraphs(doc: Y.Doc): number[] {
  const agreed = paragraphStatuses(server.ctx, server.demo.documents.declaration!);
  return textFragment(doc)
    .toArray()
    .flatMap((node, index) => (node instanceof Y.XmlElement && node.nodeName === "paragraph" && !agreed.has(String(node.getAttribute("id"))) ? [index] : []));
}

/** Resolves with the close code the server gave the stock client. */
function closedWith(client: CollabClient): Promise<number> {
  return new Promise((resolve) => client.provider.on("connection-close", (event) => event && resolve(event.code)));
}

/** A sync-protocol update message carrying `text` appended to block `index`, made on a copy of `doc`. */
function editMessage(doc: Y.Doc, index: number, text: string): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  typeInto(copy, index, text);
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, 0);
  syncProtocol.writeUpdate(enc, Y.encodeStateAsUpdate(copy, before));
  return encoding.toUint8Array(enc);
}

let reader: Awaited<ReturnType<TestServer["login"]>> | null = null;
async function storedText(): Promise<string> {
  reader ??= await server.login("secretariat");
  const res = await reader.get(`/api/documents/${server.demo.documents.declaration}/content`);
  return JSON.stringify(res.body.canonical);
}

describe("sessions end everywhere", () => {
  it("sign-out closes the stock client's socket at once, and edits sent on it afterwards are not stored", async () => {
    const docId = server.demo.documents.declaration!;
    const api = await server.login("arg.delegate");
    const client = collabClient(server.url, docId, api.cookie);
    await client.synced;
    const [p1, p2, p3, p4] = openParagraphs(client.doc) as [number, number, number, number];
    // A second socket of the same session, speaking the protocol by hand, keeps sending after sign-out.
    const raw = new WebSocket(`${server.url.replace("http", "ws")}/collab/${docId}`, { headers: { cookie: api.cookie } });
    await new Promise((resolve) => raw.once("open", resolve));
    const rawClosed = new Promise<number>((resolve) => raw.once("close", (code) => resolve(code)));
    typeInto(client.doc, p1, " BEFORE-SIGN-OUT");
    await eventually(async () => (await storedText()).includes("BEFORE-SIGN-OUT"), 5000, "edit before sign-out stored");

    const closed = closedWith(client);
    // The raw client does not read the server's close frame (as a hostile client would ignore it) and keeps sending.
    raw.pause();
    expect((await api.delete("/api/session")).status).toBe(204);
    // Sent after the answer, before the client has read the close: the server must drop them.
    typeInto(client.doc, p2, " AFTER-SIGN-OUT-STOCK");
    expect(raw.readyState).toBe(raw.OPEN);
    raw.send(editMessage(client.doc, p3, " AFTER-SIGN-OUT-RAW"));
    raw.resume();
    expect(await closed).toBe(4401);
    expect(await rawClosed).toBe(4401);
    expect(client.provider.shouldConnect).toBe(false); // 4401 is final for the stock client
    // An edit that were stored would be visible to a fresh reader once flushed; a later edit proves the flush happened.
    const other = await server.login("bra.delegate");
    const witness = collabClient(server.url, docId, other.cookie);
    await witness.synced;
    typeInto(witness.doc, p4, " WITNESS");
    await eventually(async () => (await storedText()).includes("WITNESS"), 5000, "witness stored");
    const text = await storedText();
    expect(text).not.toContain("AFTER-SIGN-OUT");
    expect((await api.get("/api/session")).status).toBe(401);
    client.destroy();
    witness.destroy();
  });

  it("signing out one session leaves the user's other sessions and their sockets open", async () => {
    const docId = server.demo.documents.declaration!;
    const first = await server.login("can.delegate");
    const second = await server.login("can.delegate");
    const a = collabClient(server.url, docId, first.cookie);
    const b = collabClient(server.url, docId, second.cookie);
    await Promise.all([a.synced, b.synced]);
    const closed = closedWith(a);
    await first.delete("/api/session");
    expect(await closed).toBe(4401);
    expect(b.provider.wsconnected).toBe(true);
    expect((await second.get("/api/session")).status).toBe(200);
    a.destroy();
    b.destroy();
  });

  it("endSessions (deactivation) closes every socket and session of the user; keepSignedIn reconnects them", async () => {
    const docId = server.demo.documents.declaration!;
    const api = await server.login("mex.delegate");
    const client = collabClient(server.url, docId, api.cookie);
    await client.synced;
    const user = api.user.id;

    // A role change that keeps the person signed in: the socket closes and the stock client comes back.
    const reconnectClose = closedWith(client);
    expect(endSessions(server.ctx, user, "role changed", { keepSignedIn: true })).toBe(1);
    expect(await reconnectClose).toBe(4000);
    await eventually(() => client.provider.wsconnected && sessionSocketsOf(server.ctx).count(user) === 1, 10_000, "reconnected");
    expect((await api.get("/api/session")).status).toBe(200);

    const finalClose = closedWith(client);
    expect(endSessions(server.ctx, user, "deactivated")).toBe(1);
    expect(await finalClose).toBe(4401);
    expect((await api.get("/api/session")).status).toBe(401);
    expect(sessionSocketsOf(server.ctx).count(user)).toBe(0);
    client.destroy();
  });

  it("a socket closes when its session expires", async () => {
    const docId = server.demo.documents.declaration!;
    const api = await server.login("usa.delegate");
    server.ctx.db
      .prepare("UPDATE sessions SET expires_at = ? WHERE user_id = ?")
      .run(new Date(Date.now() + 1500).toISOString(), api.user.id);
    const client = collabClient(server.url, docId, api.cookie);
    const closed = closedWith(client);
    await client.synced;
    expect(await closed).toBe(4401);
    client.destroy();
  });

  it("an open socket re-checks its session: one deleted behind the server's back stops taking messages", async () => {
    const docId = server.demo.documents.declaration!;
    const api = await server.login("chl.delegate");
    const client = collabClient(server.url, docId, api.cookie);
    await client.synced;
    const closed = closedWith(client);
    const [open] = openParagraphs(client.doc) as [number];
    server.ctx.db.prepare("DELETE FROM sessions WHERE user_id = ?").run(api.user.id);
    let n = 0;
    let code: number | null = null;
    void closed.then((c) => (code = c));
    // Keep typing until the socket's periodic re-check notices.
    await eventually(() => {
      if (code === null) typeInto(client.doc, open, `·${n++}`);
      return code !== null;
    }, 15_000, "socket closed after its session was deleted");
    expect(code).toBe(4401);
    client.destroy();
  });
});

import { sqliteOf } from "../server/store/db.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import WebSocket from "ws";
import { createHash } from "node:crypto";
import { textFragment } from "../schema/index.js";
import { runCommand } from "../server/commands/command.js";
import { createDocument } from "../server/documents/documents.js";
import { documentText } from "../server/documents/paragraphs.js";
import { SYSTEM } from "../server/audit/audit.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";

let server: TestServer;
let secretariat: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  secretariat = await server.login("secretariat");
});
afterAll(async () => {
  await server?.stop();
});

const db = () => sqliteOf(server.ctx.db)!;

/** Resolves with the close a stock client takes as final (the provider's `closed` event). */
function finalClose(client: CollabClient, ms = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no final close")), ms);
    client.provider.once("closed", (event: { code: number; reason: string }) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

/** Connection attempts a stock client makes (each `connecting` status). */
function countAttempts(client: CollabClient): () => number {
  let attempts = 0;
  client.provider.on("status", (e: { status: string }) => {
    if (e.status === "connecting") attempts += 1;
  });
  return () => attempts;
}

const paragraph = (doc: Y.Doc, index: number) => (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;

/** A document still being edited elsewhere works: a change typed by one client reaches another. */
async function stillWorks(docId: string): Promise<void> {
  const [a, b] = await Promise.all([server.login("arg.delegate"), server.login("bra.delegate")]);
  const ca = collabClient(server.url, docId, a.cookie);
  const cb = collabClient(server.url, docId, b.cookie);
  await Promise.all([ca.synced, cb.synced]);
  const mark = ` still-${Math.random().toString(36).slice(2, 8)}`;
  paragraph(ca.doc, 1).insert(0, mark);
  await eventually(() => paragraph(cb.doc, 1).toString().includes(mark), 5000, "edit relayed");
  ca.destroy();
  cb.destroy();
}

describe("a damaged document is quarantined, the server carries on", () => {
  it("a snapshot that does not match its digest: clients are closed for good with a reason; the secretariat sees why", async () => {
    const docId = server.demo.documents.wg2!;
    db().prepare("UPDATE document_snapshots SET state = randomblob(300) WHERE document_id = ?").run(docId);
    const api = await server.login("arg.delegate");
    const client = collabClient(server.url, docId, api.cookie);
    const attempts = countAttempts(client);
    const closed = await finalClose(client);
    expect(closed.code).toBe(4423);
    expect(closed.reason).toMatch(/quarantined/);
    // A final close: the stock client does not come back.
    await new Promise((r) => setTimeout(r, 600));
    expect(attempts()).toBe(0);
    client.destroy();

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await eventually(async () => (await secretariat.get(`/api/documents/${docId}`)).body.quarantine !== null, 5000, "quarantine recorded");
    const info = (await secretariat.get(`/api/documents/${docId}`)).body;
    expect(info.quarantine.reason).toMatch(/digest/);
    const listed = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/documents`)).body as Array<{ id: string; quarantine: unknown }>;
    expect(listed.find((d) => d.id === docId)!.quarantine).toEqual(info.quarantine);
    const audit = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/audit?action=document.quarantined`)).body;
    expect(audit.some((e: { documentId: string }) => e.documentId === docId)).toBe(true);
    // Reads of its text answer 503 with a reason; another connection is refused at once.
    const content = await secretariat.get(`/api/documents/${docId}/content`);
    expect(content.status).toBe(503);
    expect(content.body.error).toMatch(/quarantined/);
    const again = collabClient(server.url, docId, api.cookie);
    expect((await finalClose(again)).code).toBe(4423);
    again.destroy();
    await stillWorks(server.demo.documents.wg1!);
  });

  it("a damaged log row and a snapshot from before digests: both quarantined at open, others unaffected", async () => {
    const logged = server.demo.documents.wg3!;
    const last = db().prepare("SELECT last_seq FROM document_snapshots WHERE document_id = ?").pluck().get(logged) as number;
    db()
      .prepare("INSERT INTO document_updates (document_id, seq, update_data, user_id, created_at) VALUES (?, ?, ?, NULL, '')")
      .run(logged, last + 1, Buffer.from("not a yjs update"));
    const old = server.demo.documents.wg4!;
    db().prepare("UPDATE document_snapshots SET state = zeroblob(64), state_digest = NULL WHERE document_id = ?").run(old);
    const api = await server.login("col.delegate");
    for (const docId of [logged, old]) {
      const client = collabClient(server.url, docId, api.cookie);
      expect((await finalClose(client)).code).toBe(4423);
      client.destroy();
      await eventually(async () => (await secretariat.get(`/api/documents/${docId}`)).body.quarantine !== null, 5000, "recorded");
    }
    expect((await secretariat.get(`/api/documents/${logged}`)).body.quarantine.reason).toMatch(/logged update/);
    await stillWorks(server.demo.documents.wg1!);
  });
});

describe("a damaged snapshot served before it is decoded", () => {
  it("its digest recomputed over garbage: the deferred load fails after the reply, the document is quarantined, clients closed", async () => {
    const docId = runCommand(server.ctx, (tx) =>
      createDocument(tx, SYSTEM, {
        meetingId: server.demo.meetingId,
        bodyId: server.demo.bodies.plenary!,
        kind: "declaration",
        title: "A copy",
        symbol: "COPY/1",
        blocks: documentText(server.ctx, server.demo.documents.declaration!).blocks,
      }),
    );
    const garbage = Buffer.from("garbage that is not a Yjs update at all ".repeat(4));
    db()
      .prepare("UPDATE document_snapshots SET state = ?, state_digest = ? WHERE document_id = ?")
      .run(garbage, createHash("sha256").update(garbage).digest(), docId);
    const api = await server.login("chl.delegate");
    // A raw socket: a stock client would choke on the garbage it is sent first.
    const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/collab/${docId}`, { headers: { cookie: api.cookie } });
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
    expect(closed.code).toBe(4423);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await eventually(async () => (await secretariat.get(`/api/documents/${docId}`)).body.quarantine !== null, 5000, "recorded");
  });
});

describe("storage faults hold writes back and heal by themselves", () => {
  /** Caps the database at its current size: the next write that needs a page fails with SQLITE_FULL. */
  const fillDisk = () => {
    db().exec("VACUUM");
    db().pragma(`max_page_count = ${db().pragma("page_count", { simple: true }) as number}`);
  };
  const freeDisk = () => db().pragma("max_page_count = 1073741823");

  it("a full disk: updates held back without a reconnect, commands answer 503, and after space returns every update arrives", async () => {
    const docId = server.demo.documents.declaration!;
    const [a, b] = await Promise.all([server.login("arg.delegate"), server.login("bra.delegate")]);
    const ca = collabClient(server.url, docId, a.cookie);
    const cb = collabClient(server.url, docId, b.cookie);
    await Promise.all([ca.synced, cb.synced]);
    const attempts = countAttempts(ca);
    paragraph(ca.doc, 2).insert(0, "Before the fault. ");
    await eventually(() => paragraph(cb.doc, 2).toString().startsWith("Before the fault. "), 5000, "acknowledged edit");

    fillDisk();
    const big = "Typed while the disk was full. ".repeat(300);
    paragraph(ca.doc, 3).insert(0, big);
    await eventually(() => ca.denials.some((d) => /held back: the server's disk is full/.test(d)), 5000, "held back");
    const version = await secretariat.post(`/api/documents/${docId}/versions`, { label: "during the fault" });
    expect(version.status).toBe(503);
    expect(version.body.error).toMatch(/disk is full/);
    expect(paragraph(cb.doc, 3).toString().startsWith("Typed while")).toBe(false);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    freeDisk();
    await eventually(() => paragraph(cb.doc, 3).toString().startsWith(big), 10_000, "held-back edit arrives after recovery");
    expect(attempts()).toBe(0);
    expect(ca.provider.wsconnected).toBe(true);
    const stored = (await secretariat.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs;
    expect(stored[2].text.startsWith("Before the fault. ")).toBe(true);
    expect(stored[3].text.startsWith(big)).toBe(true);
    expect((await secretariat.post(`/api/documents/${docId}/versions`, { label: "after the fault" })).status).toBe(201);
    ca.destroy();
    cb.destroy();
  });

  it("a full disk when the last client leaves: compaction fails in the close handler, the log keeps every acknowledged update", async () => {
    const docId = server.demo.documents.wg1!;
    const a = await server.login("mex.delegate");
    const ca = collabClient(server.url, docId, a.cookie);
    await ca.synced;
    // Large enough that the snapshot replacing the log needs pages the full disk lacks.
    paragraph(ca.doc, 1).insert(0, "Acknowledged. ".repeat(1000));
    await eventually(async () => (await a.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs[1].text.startsWith("Acknowledged. "), 5000, "stored");
    const expected = (await a.get(`/api/documents/${docId}/content`)).body.canonical;
    const logged = () => db().prepare("SELECT COUNT(*) FROM document_updates WHERE document_id = ?").pluck().get(docId) as number;
    expect(logged()).toBeGreaterThan(0);
    fillDisk();
    ca.destroy();
    await eventually(() => server.ctx.rooms.get(docId) === undefined, 5000, "room closed");
    expect(logged()).toBeGreaterThan(0); // the compaction failed: the log is kept
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await a.get(`/api/documents/${docId}/content`)).body.canonical).toEqual(expected);
    freeDisk();
    const again = collabClient(server.url, docId, a.cookie);
    await again.synced;
    expect(again.canonical()).toEqual(expected);
    again.destroy();
    await eventually(() => logged() === 0, 5000, "compacted once there is space");
  });

  it("a read-only database: writes refused with 503 and held back, then accepted again", async () => {
    const docId = server.demo.documents.wg1!;
    const a = await server.login("ury.delegate");
    const ca = collabClient(server.url, docId, a.cookie);
    await ca.synced;
    db().pragma("query_only = ON");
    paragraph(ca.doc, 1).insert(0, "Read-only time. ");
    await eventually(() => ca.denials.some((d) => /read-only/.test(d)), 5000, "held back");
    const version = await secretariat.post(`/api/documents/${docId}/versions`, { label: "read-only" });
    expect(version.status).toBe(503);
    expect(version.body.error).toMatch(/read-only/);
    db().pragma("query_only = OFF");
    await eventually(async () => (await a.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs[1].text.startsWith("Read-only time. "), 10_000, "stored after recovery");
    ca.destroy();
  });
});

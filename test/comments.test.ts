import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents, type CollabClient } from "./helpers/collab.js";
import { createTestDeclaration, logins } from "./helpers/lifecycle.js";
import { documentElsewhere } from "./helpers/elsewhere.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** The text of paragraph `id` in a client's copy of the document. */
function yText(doc: Y.Doc, id: string): Y.XmlText {
  const element = textFragment(doc)
    .toArray()
    .find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === id) as Y.XmlElement;
  return element.get(0) as Y.XmlText;
}

/** A range of paragraph `id` as the editor sends it: two encoded relative positions, base64. */
function rangeOf(doc: Y.Doc, id: string, from: number, to: number): { start: string; end: string } {
  const text = yText(doc, id);
  const encode = (index: number, assoc: number) =>
    Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString("base64");
  return { start: encode(from, 0), end: encode(to, -1) };
}

/** Waits until the server's text of `documentId` has paragraph `id` reading `text`. */
async function serverReads(client: { get: (p: string) => Promise<{ body: any }> }, documentId: string, id: string, text: string): Promise<void> {
  await eventually(async () => {
    const { body } = await client.get(`/api/documents/${documentId}/content`);
    return body.canonical.paragraphs.find((p: { id: string }) => p.id === id)?.text === text;
  }, 5000, `server text "${text}"`);
}

describe("comments anchored to a range", () => {
  it("follow their words through concurrent edits of two stock clients, and fall back to the paragraph when the words are deleted", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Anchors");
    const op1 = blocks[2]!.id; // "To urge member states to ratify the Palermo Protocol;"
    const [usa, mex] = await logins(server, ["usa.delegate", "mex.delegate"] as const);
    const a: CollabClient = collabClient(server.url, docId, usa.cookie);
    const b: CollabClient = collabClient(server.url, docId, mex.cookie);
    await Promise.all([a.synced, b.synced]);

    const original = "To urge member states to ratify the Palermo Protocol;";
    const from = original.indexOf("ratify");
    const made = await usa.post(`/api/documents/${docId}/comments`, {
      paragraphId: op1,
      range: rangeOf(a.doc, op1, from, from + "ratify".length),
      body: "Should this be 'ratify or accede to'?",
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.anchor).toMatchObject({ status: "range", from, to: from + 6, quote: "ratify", text: "ratify", paragraphRef: "OP1" });
    expect(made.body.comments[0]).toMatchObject({ body: "Should this be 'ratify or accede to'?", author: { username: "usa.delegate", delegation: "USA" } });

    // Both delegates type at once: one before the range, one after it.
    yText(a.doc, op1).insert(0, "Firmly ");
    yText(b.doc, op1).insert(original.length - 1, " and its protocols");
    const edited = "Firmly To urge member states to ratify the Palermo Protocol and its protocols;";
    await eventually(() => yText(a.doc, op1).toString() === edited && yText(b.doc, op1).toString() === edited, 5000, "clients converge");
    await serverReads(usa, docId, op1, edited);

    const after = (await mex.get(`/api/documents/${docId}/comments`)).body.threads;
    expect(after).toHaveLength(1);
    expect(after[0].anchor).toMatchObject({ status: "range", from: edited.indexOf("ratify"), text: "ratify", quote: "ratify" });

    // The commented words are deleted: the thread stays on its paragraph and says so.
    const at = edited.indexOf("ratify ");
    yText(b.doc, op1).delete(at, "ratify ".length);
    await serverReads(usa, docId, op1, edited.replace("ratify ", ""));
    const gone = (await usa.get(`/api/documents/${docId}/comments`)).body.threads[0];
    expect(gone.anchor).toMatchObject({ status: "range_deleted", paragraphId: op1, from: null, quote: "ratify" });
    a.destroy();
    b.destroy();
  });

  it("refuses a range outside its paragraph, and is not part of the text's hash", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Hash");
    const [usa] = await logins(server, ["usa.delegate"] as const);
    const client = collabClient(server.url, docId, usa.cookie);
    await client.synced;
    const hashBefore = (await usa.get(`/api/documents/${docId}/content`)).body.hash;
    const wrong = await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[1]!.id, range: rangeOf(client.doc, blocks[2]!.id, 0, 4), body: "x" });
    expect(wrong.status).toBe(400);
    const junk = await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[1]!.id, range: { start: "AAAA", end: "AAAA" }, body: "x" });
    expect(junk.status).toBe(400);
    const empty = await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[1]!.id, body: "   " });
    expect(empty.status).toBe(409);
    const whole = await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[1]!.id, body: "On the whole paragraph." });
    expect(whole.status).toBe(201);
    expect(whole.body.anchor).toMatchObject({ status: "paragraph", from: null, start: null });
    expect((await usa.get(`/api/documents/${docId}/content`)).body.hash).toBe(hashBefore);
    const exported = await usa.get(`/api/documents/${docId}/export?format=text`);
    expect(exported.status).toBe(200);
    expect(String(exported.body)).toContain("RECOGNIZING");
    expect(String(exported.body)).not.toContain("On the whole paragraph.");
    client.destroy();
  });
});

describe("threads", () => {
  it("take replies, are edited and deleted by their authors only, resolved by the author or the chair, and are read by observers who may not write", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Threads");
    const [usa, mex, chair, observer, secretariat] = await logins(server, ["usa.delegate", "mex.delegate", "chair", "observer", "secretariat"] as const);
    const events = await listenEvents(server.url, docId, mex.cookie);
    const thread = (await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[3]!.id, body: "Cooperation with whom?" })).body;
    await events.waitFor("comment.added", (e) => e.data.thread.id === thread.id);

    const replied = await mex.post(`/api/comments/${thread.id}/replies`, { body: "With the national authorities, @usa.delegate." });
    expect(replied.status).toBe(201);
    expect(replied.body.comments.map((c: { author: { username: string } }) => c.author.username)).toEqual(["usa.delegate", "mex.delegate"]);
    expect(replied.body.comments[1].mentions).toEqual(["usa.delegate"]);
    const replyId = replied.body.comments[1].id;

    expect((await usa.patch(`/api/comments/${replyId}`, { body: "hijack" })).status).toBe(403);
    expect((await usa.delete(`/api/comments/${replyId}`)).status).toBe(403);
    const edited = await mex.patch(`/api/comments/${replyId}`, { body: "With the national authorities." });
    expect(edited.status).toBe(200);
    expect(edited.body.comments[1]).toMatchObject({ body: "With the national authorities.", deleted: false });
    expect(edited.body.comments[1].editedAt).not.toBeNull();

    expect((await observer.get(`/api/documents/${docId}/comments`)).body.threads).toHaveLength(1);
    expect((await observer.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[3]!.id, body: "May I?" })).status).toBe(403);
    expect((await observer.post(`/api/comments/${thread.id}/replies`, { body: "May I?" })).status).toBe(403);

    expect((await mex.post(`/api/comments/${thread.id}/resolve`)).status).toBe(403);
    const resolved = await chair.post(`/api/comments/${thread.id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolved).toMatchObject({ by: "chair" });
    await events.waitFor("comment.resolved", (e) => e.data.thread.id === thread.id);
    expect((await chair.post(`/api/comments/${thread.id}/resolve`)).status).toBe(409);
    const reopened = await usa.post(`/api/comments/${thread.id}/reopen`);
    expect(reopened.status).toBe(200);
    expect(reopened.body.resolved).toBeNull();
    expect((await secretariat.post(`/api/comments/${thread.id}/resolve`)).status).toBe(200);

    const deleted = await mex.delete(`/api/comments/${replyId}`);
    expect(deleted.body.comments[1]).toMatchObject({ deleted: true, body: null });
    events.close();
  });

  it("answer 404 for another meeting's document and comment", async () => {
    const elsewhere = documentElsewhere(server.ctx);
    const [usa] = await logins(server, ["usa.delegate"] as const);
    expect((await usa.get(`/api/documents/${elsewhere.documentId}/comments`)).status).toBe(404);
    expect((await usa.post(`/api/documents/${elsewhere.documentId}/comments`, { paragraphId: elsewhere.paragraphId, body: "hi" })).status).toBe(404);
    const id = server.ctx.db.prepare("SELECT id FROM users WHERE username = 'usa.delegate'").pluck().get() as string;
    server.ctx.db
      .prepare("INSERT INTO comments (id, document_id, paragraph_id, body, author_id, created_at) VALUES ('c-elsewhere', ?, ?, 'x', ?, '2026')")
      .run(elsewhere.documentId, elsewhere.paragraphId, id);
    expect((await usa.get(`/api/comments/c-elsewhere`)).status).toBe(404);
    expect((await usa.post(`/api/comments/c-elsewhere/replies`, { body: "x" })).status).toBe(404);
  });
});

describe("delegation notes", () => {
  it("are seen by the delegation's delegate and minister only, live and through the API", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Notes");
    const [usa, usaMinister, mex, secretariat, chair] = await logins(server, ["usa.delegate", "usa.minister", "mex.delegate", "secretariat", "chair"] as const);
    const ministerEvents = await listenEvents(server.url, docId, usaMinister.cookie);
    const mexEvents = await listenEvents(server.url, docId, mex.cookie);

    expect((await secretariat.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[2]!.id, body: "x", note: true })).status).toBe(403);
    // The chair comes from ARG but acts for the meeting: no notes.
    expect((await chair.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[2]!.id, body: "x", note: true })).status).toBe(403);
    const note = await usa.post(`/api/documents/${docId}/comments`, {
      paragraphId: blocks[2]!.id,
      body: "Capital says: hold on OP1 until Tuesday. @usa.minister @mex.delegate",
      note: true,
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ note: true, delegation: "USA" });
    // Only those who may read the note can be mentioned in it.
    expect(note.body.comments[0].mentions).toEqual(["usa.minister"]);
    await ministerEvents.waitFor("comment.added", (e) => e.data.thread.id === note.body.id);
    // A public comment after it: MEX hears that one, so it would have heard the note by now.
    const open = (await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[2]!.id, body: "A public question." })).body;
    await mexEvents.waitFor("comment.added", (e) => e.data.thread.id === open.id);
    expect(mexEvents.events.some((e) => e.data?.thread?.id === note.body.id)).toBe(false);

    expect((await usaMinister.get(`/api/documents/${docId}/comments`)).body.threads.map((t: { id: string }) => t.id)).toEqual([note.body.id, open.id]);
    for (const other of [mex, secretariat, chair]) {
      expect((await other.get(`/api/documents/${docId}/comments`)).body.threads.map((t: { id: string }) => t.id)).toEqual([open.id]);
      expect((await other.get(`/api/comments/${note.body.id}`)).status).toBe(404);
      expect((await other.post(`/api/comments/${note.body.id}/replies`, { body: "peek" })).status).toBe(404);
      expect((await other.post(`/api/comments/${note.body.id}/resolve`)).status).toBe(404);
    }
    const answered = await usaMinister.post(`/api/comments/${note.body.id}/replies`, { body: "Agreed." });
    expect(answered.status).toBe(201);
    expect((await usaMinister.post(`/api/comments/${note.body.id}/resolve`)).status).toBe(200);

    // Notes are the delegation's own: nothing of them reaches the audit trail.
    const audited = server.ctx.db.prepare("SELECT COUNT(*) FROM audit_events WHERE target_type = 'comment' AND target_id = ?").pluck().get(note.body.id);
    expect(audited).toBe(0);
    ministerEvents.close();
    mexEvents.close();
  });

  it("are shared with an observer of that delegation, and with no observer of another", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Observer notes");
    // An observer seated with the USA delegation (an adviser from civil society), made with a demo password.
    const db = server.ctx.db;
    const hash = db.prepare("SELECT password_hash FROM users WHERE username = 'usa.delegate'").pluck().get();
    const delegation = db.prepare("SELECT id FROM delegations WHERE meeting_id = ? AND code = 'USA'").pluck().get(server.demo.meetingId);
    db.prepare("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ('u-usa-observer', 'usa.observer', 'USA adviser', ?, '2026')").run(hash);
    db.prepare("INSERT INTO memberships (user_id, meeting_id, role, delegation_id, created_at) VALUES ('u-usa-observer', ?, 'observer', ?, '2026')").run(
      server.demo.meetingId,
      delegation,
    );
    const [usa, usaObserver, observer] = await logins(server, ["usa.delegate", "usa.observer", "observer"] as const);
    const note = await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[1]!.id, body: "For our adviser.", note: true });
    expect(note.status).toBe(201);
    expect((await usaObserver.get(`/api/documents/${docId}/comments`)).body.threads.map((th: { id: string }) => th.id)).toEqual([note.body.id]);
    expect((await usaObserver.post(`/api/comments/${note.body.id}/replies`, { body: "Noted." })).status).toBe(201);
    // …who still writes no comment for the meeting.
    expect((await usaObserver.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[1]!.id, body: "x" })).status).toBe(403);
    expect((await observer.get(`/api/documents/${docId}/comments`)).body.threads).toEqual([]);
    expect((await observer.get(`/api/comments/${note.body.id}`)).status).toBe(404);
  });
});

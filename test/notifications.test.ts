import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { runCommand } from "../server/commands/command.js";
import { INBOX_RETENTION, notify } from "../server/notifications/inbox.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import type { ApiClient } from "./helpers/api.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { adopt, createTestDeclaration, logins, makeClean } from "./helpers/lifecycle.js";
import { documentElsewhere } from "./helpers/elsewhere.js";
import { openInboxStream, type InboxStream } from "./helpers/inbox.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** A member's live inbox stream of the demo meeting. */
function inboxStream(cookie: string): InboxStream {
  return openInboxStream(server.url, server.demo.meetingId, cookie);
}

/** The caller's inbox (first page, 100 at most). */
async function inbox(client: ApiClient): Promise<{ notifications: any[]; unread: number; next: number | null }> {
  const res = await client.get(`/api/meetings/${server.demo.meetingId}/notifications?limit=100`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function kinds(client: ApiClient, documentId: string): Promise<string[]> {
  return (await inbox(client)).notifications.filter((n) => n.link?.documentId === documentId).map((n) => n.kind);
}

describe("notifications from other features' acts", () => {
  it("a decision on an amendment reaches its sponsor's and co-sponsors' delegates, live, and nobody else", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Amendment decided");
    const [arg, bra, mex, chair, argMinister] = await logins(server, ["arg.delegate", "bra.delegate", "mex.delegate", "chair", "arg.minister"] as const);
    const live = await listenEvents(server.url, docId, bra.cookie);
    const drafted = await arg.post(`/api/documents/${docId}/amendments`, { paragraphId: blocks[2]!.id, operation: "delete", rationale: "Redundant." });
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    const tabled = (await arg.post(`/api/amendments/${drafted.body.id}/table`)).body;
    expect((await bra.post(`/api/amendments/${tabled.id}/cosponsors`)).status).toBe(200);
    const decided = await chair.post(`/api/amendments/${tabled.id}/decision`, { decision: "rejected", reason: "No consensus." });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);

    for (const who of [arg, bra]) {
      const n = (await inbox(who)).notifications.find((x) => x.link?.documentId === docId);
      expect(n).toMatchObject({
        kind: "amendment_decided",
        link: { documentId: docId, paragraphId: blocks[2]!.id, panel: "amendments", targetId: tabled.id },
        actor: { username: "chair" },
        details: { number: tabled.number, decision: "rejected", sponsor: "ARG" },
        readAt: null,
      });
      expect(n.summary).toContain(`amendment ${tabled.number} to OP1 (ARG) was rejected`);
    }
    for (const who of [mex, chair, argMinister]) expect(await kinds(who, docId)).toEqual([]);
    const pushed = await live.waitFor("notification.added", (e) => e.data.notification.link.documentId === docId);
    expect(pushed.data.unread).toBeGreaterThanOrEqual(1);
    // The event went to BRA's own connection; ARG's notification did not.
    expect(live.events.filter((e) => e.type === "notification.added").every((e) => e.data.notification.kind === "amendment_decided")).toBe(true);
    live.close();
  });

  it("a resolved bracket reaches the delegates of the delegations holding it", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Bracket resolved");
    const [arg, can, mex, chair] = await logins(server, ["arg.delegate", "can.delegate", "mex.delegate", "chair"] as const);
    const opened = await arg.post(`/api/documents/${docId}/brackets`, { paragraphId: blocks[3]!.id, from: 3, to: 13 });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    expect((await can.post(`/api/brackets/${opened.body.id}/holders`)).status).toBe(200);
    const resolved = await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "keep", reason: "agreed in the room" });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    for (const who of [arg, can]) {
      const n = (await inbox(who)).notifications.find((x) => x.link?.documentId === docId);
      expect(n).toMatchObject({ kind: "bracket_resolved", link: { paragraphId: blocks[3]!.id, panel: "brackets", targetId: opened.body.id }, details: { how: "kept" } });
    }
    expect(await kinds(mex, docId)).toEqual([]);
  });

  it("adoption reaches the ministers whose signature is awaited", async () => {
    const { id: docId } = createTestDeclaration(server, "Adopted");
    const [chair, secretariat, argMinister, braMinister, mexMinister, arg] = await logins(server, [
      "chair",
      "secretariat",
      "arg.minister",
      "bra.minister",
      "mex.minister",
      "arg.delegate",
    ] as const);
    expect((await secretariat.put(`/api/documents/${docId}/signatories`, { delegations: ["ARG", "BRA"] })).status).toBe(200);
    await makeClean(server, docId, chair);
    await adopt(server, docId, chair);
    for (const who of [argMinister, braMinister]) {
      const n = (await inbox(who)).notifications.find((x) => x.link?.documentId === docId);
      expect(n).toMatchObject({ kind: "signature_pending", link: { documentId: docId, panel: "lifecycle" } });
    }
    expect(await kinds(mexMinister, docId)).toEqual([]);
    expect(await kinds(arg, docId)).toEqual([]);
  });

  it("a source changed after consolidation reaches the rapporteur once, counted; a declined change reaches the source's chair", async () => {
    const report = server.demo.documents.wg2!;
    const [rapporteur, delegate, wg2Chair, wg1Chair] = await logins(server, ["rapporteur", "arg.delegate", "wg2.chair", "wg1.chair"] as const);
    const created = await rapporteur.post(`/api/meetings/${server.demo.meetingId}/consolidations`, { title: "Programme", sources: [{ documentId: report }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const wp = created.body.documentId as string;

    const client = collabClient(server.url, report, delegate.cookie);
    await client.synced;
    const source = (await delegate.get(`/api/documents/${report}/content`)).body.canonical.paragraphs.find((p: { kind: string }) => p.kind === "op");
    const element = textFragment(client.doc)
      .toArray()
      .find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === source.id) as Y.XmlElement;
    const text = element.get(0) as Y.XmlText;
    const sourceChanges = async () =>
      (await inbox(rapporteur)).notifications.filter((n) => n.kind === "source_changed" && n.link.documentId === wp);
    text.insert(0, "Effectively ");
    await eventually(async () => (await sourceChanges()).length === 1, 5000, "first source change notice");
    text.insert(0, "Really ");
    await eventually(async () => (await sourceChanges())[0]?.times === 2, 5000, "second change counted");
    const [notice] = await sourceChanges();
    expect(notice).toMatchObject({ link: { panel: "consolidation" }, details: { sourceDocumentId: report } });
    client.destroy();

    const provenance = (await rapporteur.get(`/api/documents/${wp}/provenance`)).body;
    const pending = provenance.paragraphs.find((p: { pending: boolean }) => p.pending);
    const declined = await rapporteur.post(`/api/documents/${wp}/provenance/${pending.paragraphId}/decline`, { reason: "covered elsewhere" });
    expect(declined.status, JSON.stringify(declined.body)).toBe(200);
    const n = (await inbox(wg2Chair)).notifications.find((x) => x.kind === "change_declined");
    expect(n).toMatchObject({ link: { documentId: wp, paragraphId: pending.paragraphId, panel: "consolidation" }, actor: { username: "rapporteur" } });
    expect((await inbox(wg1Chair)).notifications.some((x) => x.kind === "change_declined")).toBe(false);
  });

  it("a mention in a comment reaches the member mentioned; in a note, only members of the delegation", async () => {
    const { id: docId, blocks } = createTestDeclaration(server, "Mentions");
    const [usa, mex, usaMinister] = await logins(server, ["usa.delegate", "mex.delegate", "usa.minister"] as const);
    const thread = (await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[2]!.id, body: "@mex.delegate what do you think?" })).body;
    const n = (await inbox(mex)).notifications.find((x) => x.link?.documentId === docId);
    expect(n).toMatchObject({ kind: "mention", link: { paragraphId: blocks[2]!.id, panel: "comments", targetId: thread.id }, actor: { username: "usa.delegate" } });
    // An edit tells only those it newly mentions.
    await usa.patch(`/api/comments/${thread.id}`, { body: "@mex.delegate what do you think? cc @usa.minister" });
    expect(await kinds(mex, docId)).toEqual(["mention"]);
    expect(await kinds(usaMinister, docId)).toEqual(["mention"]);
    await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[2]!.id, body: "@mex.delegate @usa.minister internal", note: true });
    expect(await kinds(mex, docId)).toEqual(["mention"]);
    const notes = (await inbox(usaMinister)).notifications.filter((x) => x.link?.documentId === docId);
    expect(notes.map((x) => x.link.panel)).toEqual(["notes", "comments"]);
  });
});

describe("the inbox", () => {
  it("is the caller's own: paged, marked read by its owner only, 404 in a meeting they are not in", async () => {
    const [arg, mex, admin] = await logins(server, ["arg.delegate", "mex.delegate", "admin"] as const);
    const mine = await inbox(arg);
    expect(mine.notifications.length).toBeGreaterThanOrEqual(2);
    expect(mine.unread).toBe(mine.notifications.filter((n) => n.readAt === null).length);

    const first = await arg.get(`/api/meetings/${server.demo.meetingId}/notifications?limit=1`);
    expect(first.body.notifications).toHaveLength(1);
    expect(first.body.next).toBe(first.body.notifications[0].id);
    const second = await arg.get(`/api/meetings/${server.demo.meetingId}/notifications?limit=1&before=${first.body.next}`);
    expect(second.body.notifications[0].id).toBeLessThan(first.body.notifications[0].id);
    expect((await arg.get(`/api/meetings/${server.demo.meetingId}/notifications?limit=1000`)).status).toBe(400);

    // Someone else's ids are ignored, not confirmed.
    const ids = mine.notifications.map((n) => n.id);
    expect((await mex.post(`/api/meetings/${server.demo.meetingId}/notifications/read`, { ids })).status).toBe(200);
    expect((await inbox(arg)).unread).toBe(mine.unread);

    const summary = (await arg.get(`/api/meetings/${server.demo.meetingId}/notifications/unread`)).body;
    expect(summary.unread).toBe(mine.unread);
    expect(summary.byDocument.reduce((s: number, d: { unread: number }) => s + d.unread, 0)).toBe(mine.unread);
    expect(summary.byKind.amendment_decided).toBeGreaterThanOrEqual(1);

    const one = await arg.post(`/api/meetings/${server.demo.meetingId}/notifications/read`, { ids: [ids[0]] });
    expect(one.body.unread).toBe(mine.unread - 1);
    expect((await arg.post(`/api/meetings/${server.demo.meetingId}/notifications/read`, { all: true })).body.unread).toBe(0);
    expect((await inbox(arg)).notifications.every((n) => n.readAt !== null)).toBe(true);
    expect((await arg.post(`/api/meetings/${server.demo.meetingId}/notifications/read`, { ids: [] })).status).toBe(400);

    const elsewhere = documentElsewhere(server.ctx);
    expect((await arg.get(`/api/meetings/${elsewhere.meetingId}/notifications`)).status).toBe(404);
    expect((await admin.get(`/api/meetings/${server.demo.meetingId}/notifications`)).status).toBe(404);
  });

  it("is live on every page: the member's stream carries their own inbox events of this meeting, and ends with their session", async () => {
    const [usa, mex] = await logins(server, ["usa.delegate", "mex.delegate"] as const);
    const { id: docId, blocks } = createTestDeclaration(server, "Live inbox");
    const live = inboxStream(mex.cookie);
    const others = inboxStream(usa.cookie);
    await Promise.all([live.opened, others.opened]);
    expect(live.contentType).toMatch(/^text\/event-stream/);

    const thread = (await usa.post(`/api/documents/${docId}/comments`, { paragraphId: blocks[2]!.id, body: "@mex.delegate live?" })).body;
    const added = await live.waitFor((e) => e.type === "notification.added" && e.data.notification.link.targetId === thread.id);
    expect(added.data).toMatchObject({ meetingId: server.demo.meetingId, unread: (await inbox(mex)).unread, notification: { kind: "mention" } });
    const read = await mex.post(`/api/meetings/${server.demo.meetingId}/notifications/read`, { all: true });
    expect((await live.waitFor((e) => e.type === "notification.read")).data).toEqual({ meetingId: server.demo.meetingId, unread: read.body.unread });
    // USA's own stream heard nothing of Mexico's inbox.
    expect(others.events).toEqual([]);

    // Another meeting's stream is not offered; without a session there is none.
    const elsewhere = documentElsewhere(server.ctx);
    expect((await mex.get(`/api/meetings/${elsewhere.meetingId}/notifications/live`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/meetings/${server.demo.meetingId}/notifications/live`)).status).toBe(401);
    // Signing out ends the stream.
    expect((await mex.delete("/api/session")).status).toBeLessThan(300);
    await live.ended;
    others.close();
  });

  it("keeps at most its retention cap, dropping the oldest", async () => {
    const user = server.demo.users["per.delegate"]!;
    runCommand(server.ctx, (tx) => {
      for (let i = 0; i < INBOX_RETENTION + 5; i++)
        notify(tx, [user.id], { kind: "mention", meetingId: server.demo.meetingId, summary: `n${i}`, link: null, actor: null });
    });
    const rows = server.ctx.db.prepare("SELECT summary FROM notifications WHERE user_id = ? ORDER BY id").pluck().all(user.id) as string[];
    expect(rows).toHaveLength(INBOX_RETENTION);
    expect(rows[0]).toBe("n5");
  });
});

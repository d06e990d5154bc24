import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { documentElsewhere } from "./helpers/elsewhere.js";
import type { ApiClient } from "./helpers/api.js";
import { indexOfBlock, textFragment, type CanonicalDocument } from "../schema/index.js";
import { runCommand } from "../server/commands/command.js";
import { consolidate } from "../server/consolidation/consolidate.js";

let server: TestServer;
let rapporteur: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  rapporteur = await server.login("rapporteur");
});
afterAll(async () => {
  await server?.stop();
});

async function content(api: ApiClient, documentId: string): Promise<CanonicalDocument> {
  return (await api.get(`/api/documents/${documentId}/content`)).body.canonical;
}

const consolidations = () => `/api/meetings/${server.demo.meetingId}/consolidations`;

describe("consolidation: selection, permissions and refusals", () => {
  it("copies only the selected paragraphs in the source's order and records the rest as left out", async () => {
    const wg1 = server.demo.documents.wg1!;
    const source = await content(rapporteur, wg1);
    const picked = [source.paragraphs[7]!.id, source.paragraphs[5]!.id];
    const res = await rapporteur.post(consolidations(), { title: "Selected", symbol: "RTP-II/WP/1", sources: [{ documentId: wg1, paragraphIds: picked }] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ symbol: "RTP-II/WP/1", copied: 3, omitted: 6 });
    const wp = await content(rapporteur, res.body.documentId);
    expect(wp.paragraphs.map((p) => [p.kind, p.text])).toEqual([
      ["title", "Selected"],
      ["heading", source.paragraphs[0]!.text],
      ["op", source.paragraphs[5]!.text],
      ["op", source.paragraphs[7]!.text],
    ]);
    const report = (await rapporteur.get(`/api/documents/${res.body.documentId}/provenance`)).body;
    const hash = (await rapporteur.get(`/api/documents/${wg1}/content`)).body.hash;
    expect(report.sources).toEqual([
      { documentId: wg1, symbol: "RTP-II/doc.1/09", title: "Report of Technical Working Group 1", selection: "selected", hashAtCopy: hash, currentHash: hash },
    ]);
    expect(report.paragraphs.map((p: { sourceParagraphId: string }) => p.sourceParagraphId)).toEqual([source.paragraphs[0]!.id, ...picked.slice().reverse()]);
    expect(report.omitted.map((o: { sourceParagraphId: string; reason: string }) => [o.sourceParagraphId, o.reason])).toEqual(
      [1, 2, 3, 4, 6, 8].map((i) => [source.paragraphs[i]!.id, "not_selected"]),
    );
    expect(report.summary).toEqual({ same: 3, changed: 0, deleted: 0, pending: 0, omitted: 6 });
    // The text as consolidated is its first version, the baseline of rev. 1.
    const versions = (await rapporteur.get(`/api/documents/${res.body.documentId}/versions`)).body;
    const wpHash = (await rapporteur.get(`/api/documents/${res.body.documentId}/content`)).body.hash;
    expect(versions).toMatchObject([{ label: "as consolidated", reason: "initial", symbol: "RTP-II/WP/1", hash: wpHash }]);
  });

  it("reports a paragraph added to a source later as not in the consolidation", async () => {
    const wg4 = server.demo.documents.wg4!;
    const created = runCommand(server.ctx, (tx) =>
      consolidate(tx, server.demo.users.rapporteur!, { title: "Whole of WG4", sources: [{ documentId: wg4 }] }),
    );
    const delegate = await server.login("chl.delegate");
    const client = collabClient(server.url, wg4, delegate.cookie);
    await client.synced;
    const fragment = textFragment(client.doc);
    client.doc.transact(() => {
      const element = new Y.XmlElement("paragraph");
      element.setAttribute("id", "pNewInWg4");
      element.setAttribute("kind", "op");
      element.setAttribute("level", 0 as unknown as string);
      fragment.insert(fragment.length, [element]);
      const text = new Y.XmlText();
      element.insert(0, [text]);
      text.insert(0, "Share good practices.");
    });
    await eventually(async () => (await content(delegate, wg4)).paragraphs.some((p) => p.id === "pNewInWg4"), 5000, "new paragraph stored");
    client.destroy();
    const report = (await rapporteur.get(`/api/documents/${created.documentId}/provenance`)).body;
    // The report is under negotiation: a paragraph added after OP4 is OP4 bis.
    expect(report.omitted).toEqual([
      { sourceDocumentId: wg4, sourceParagraphId: "pNewInWg4", sourceRef: "OP4 bis", reason: "added_to_source", text: "Share good practices.", inSource: true },
    ]);
    expect(report.summary.pending).toBe(0);
  });

  it("a declined change is pending again once the source changes again; pulling a deletion removes the paragraph", async () => {
    const wg3 = server.demo.documents.wg3!;
    const created = (await rapporteur.post(consolidations(), { title: "WG3", sources: [{ documentId: wg3 }] })).body;
    const source = await content(rapporteur, wg3);
    const [edited, removed] = [source.paragraphs[5]!, source.paragraphs[6]!];
    const delegate = await server.login("col.delegate");
    const client = collabClient(server.url, wg3, delegate.cookie);
    await client.synced;
    const textOf = (i: number) => (textFragment(client.doc).get(i) as Y.XmlElement).get(0) as Y.XmlText;
    client.doc.transact(() => {
      textOf(5).insert(0, "Urgently ");
      textFragment(client.doc).delete(6, 1);
    });
    await eventually(async () => (await content(delegate, wg3)).paragraphs.length === source.paragraphs.length - 1, 5000, "edits stored");

    const report = (await rapporteur.get(`/api/documents/${created.documentId}/provenance`)).body;
    const entry = (id: string, r = report) => r.paragraphs.find((p: { sourceParagraphId: string }) => p.sourceParagraphId === id);
    const editedHere = entry(edited.id).paragraphId as string;
    const removedHere = entry(removed.id).paragraphId as string;

    // Only the rapporteur (or the secretariat) decides; delegates get 403.
    expect((await delegate.post(`/api/documents/${created.documentId}/provenance/${editedHere}/decline`)).status).toBe(403);
    expect((await rapporteur.post(`/api/documents/${created.documentId}/provenance/${editedHere}/decline`)).status).toBe(200);
    expect((await rapporteur.post(`/api/documents/${created.documentId}/provenance/${editedHere}/decline`)).status).toBe(409);
    textOf(5).insert(0, "Very ");
    await eventually(async () => (await content(delegate, wg3)).paragraphs[5]!.text.startsWith("Very Urgently"), 5000, "second edit stored");
    const again = (await rapporteur.get(`/api/documents/${created.documentId}/provenance`)).body;
    expect(entry(edited.id, again)).toMatchObject({ status: "changed", pending: true, declined: false, decision: { action: "declined" } });

    // Once agreed ad referendum only the chair corrects the text: the rapporteur's pull waits.
    const setState = (state: string) => server.ctx.db.prepare("UPDATE documents SET state = ? WHERE id = ?").run(state, created.documentId);
    setState("agreed_ad_ref");
    const refused = await rapporteur.post(`/api/documents/${created.documentId}/provenance/${removedHere}/pull`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/only the chair/);
    setState("draft");
    const pulled = await rapporteur.post(`/api/documents/${created.documentId}/provenance/${removedHere}/pull`);
    expect(pulled.status).toBe(200);
    expect(pulled.body).toMatchObject({ status: "deleted", pending: false, decision: { action: "pulled" } });
    expect((await content(rapporteur, created.documentId)).paragraphs.some((p) => p.id === removedHere)).toBe(false);
    const final = (await rapporteur.get(`/api/documents/${created.documentId}/provenance`)).body;
    expect(entry(removed.id, final)).toBeUndefined();
    expect(final.summary).toMatchObject({ changed: 1, deleted: 0, pending: 1 });

    // A pending source change keeps the document and its paragraph from being agreed.
    const mine = (reasons: string[]) => reasons.filter((r) => /pull or decline/.test(r));
    const ref = entry(edited.id, final).ref as string;
    expect(mine(server.ctx.guards.documentBlockers(server.ctx, created.documentId))).toEqual([`${ref}: its source RTP-II/doc.3/09 OP1 changed; pull or decline the change`]);
    expect(mine(server.ctx.guards.paragraphBlockers(server.ctx, created.documentId, editedHere))).toHaveLength(1);
    expect((await rapporteur.post(`/api/documents/${created.documentId}/provenance/${editedHere}/decline`)).status).toBe(200);
    expect(mine(server.ctx.guards.documentBlockers(server.ctx, created.documentId))).toEqual([]);
    expect(mine(server.ctx.guards.documentBlockers(server.ctx, wg3))).toEqual([]);
    client.destroy();
  });

  it("source changes in quick succession reach an open consolidated document as one notice now and one merged notice later", async () => {
    const wg2 = server.demo.documents.wg2!;
    const created = (await rapporteur.post(consolidations(), { title: "WG2 notices", sources: [{ documentId: wg2 }] })).body;
    const events = await listenEvents(server.url, created.documentId, rapporteur.cookie);
    const source = await content(rapporteur, wg2);
    const ids = [5, 6, 7, 8].map((i) => source.paragraphs[i]!.id);
    // Four separate commands, one after the other: four committed text changes.
    for (const id of ids)
      runCommand(server.ctx, (tx) =>
        tx.changeText(wg2, null, (fragment) => {
          const t = (fragment.get(indexOfBlock(fragment, id)) as Y.XmlElement).get(0) as Y.XmlText;
          t.insert(t.length, " (noted)");
        }),
      );
    const notices = () => events.events.filter((e) => e.type === "provenance.source_changed");
    await eventually(() => notices().length === 2, 5000, "the merged notice");
    expect(notices()[0]!.data.sourceParagraphIds).toEqual([ids[0]]);
    expect(new Set(notices()[1]!.data.sourceParagraphIds)).toEqual(new Set(ids.slice(1)));
    const report = (await rapporteur.get(`/api/documents/${created.documentId}/provenance`)).body;
    expect(report.summary).toMatchObject({ changed: 4, pending: 4 });
    events.close();
  });

  it("refuses wrong roles, unknown or foreign sources, unknown paragraphs and malformed bodies", async () => {
    const wg2 = server.demo.documents.wg2!;
    const delegate = await server.login("usa.delegate");
    const chair = await server.login("chair");
    expect((await delegate.post(consolidations(), { title: "X", sources: [{ documentId: wg2 }] })).status).toBe(403);
    expect((await chair.post(consolidations(), { title: "X", sources: [{ documentId: wg2 }] })).status).toBe(403);
    const secretariat = await server.login("secretariat");
    expect((await secretariat.post(consolidations(), { title: "By the secretariat", sources: [{ documentId: wg2 }] })).status).toBe(201);

    const elsewhere = documentElsewhere(server.ctx);
    const foreign = await rapporteur.post(consolidations(), { title: "X", sources: [{ documentId: elsewhere.documentId }] });
    expect(foreign.status).toBe(404);
    expect((await rapporteur.post(`/api/meetings/${elsewhere.meetingId}/consolidations`, { title: "X", sources: [{ documentId: wg2 }] })).status).toBe(404);
    expect((await rapporteur.post(consolidations(), { title: "X", sources: [{ documentId: "dNoSuchDocument" }] })).status).toBe(404);

    const missing = await rapporteur.post(consolidations(), { title: "X", sources: [{ documentId: wg2, paragraphIds: ["pNope", "pNeither"] }] });
    expect(missing.status).toBe(400);
    expect(missing.body.reasons).toEqual([expect.stringContaining("pNope"), expect.stringContaining("pNeither")]);
    expect((await rapporteur.post(consolidations(), { title: "X", sources: [{ documentId: wg2 }, { documentId: wg2 }] })).status).toBe(400);
    expect((await rapporteur.post(consolidations(), { title: "X", sources: [] })).status).toBe(400);
    expect((await rapporteur.post(consolidations(), { title: " ", sources: [{ documentId: wg2 }] })).status).toBe(400);
    expect((await rapporteur.post(consolidations(), { sources: "all" })).status).toBe(400);

    const created = (await rapporteur.post(consolidations(), { title: "Y", sources: [{ documentId: wg2 }] })).body;
    const first = (await rapporteur.get(`/api/documents/${created.documentId}/provenance`)).body.paragraphs[0];
    // Nothing changed in the source: nothing to pull or decline.
    expect((await rapporteur.post(`/api/documents/${created.documentId}/provenance/${first.paragraphId}/pull`)).status).toBe(409);
    expect((await rapporteur.post(`/api/documents/${created.documentId}/provenance/pNope/pull`)).status).toBe(404);
    expect((await rapporteur.get(`/api/documents/${elsewhere.documentId}/provenance`)).status).toBe(404);
    // A document that is no consolidation has an empty report.
    const plain = (await delegate.get(`/api/documents/${wg2}/provenance`)).body;
    expect(plain).toMatchObject({ sources: [], paragraphs: [], omitted: [] });
    expect((await rapporteur.get(`/api/meetings/${server.demo.meetingId}/audit?action=consolidation.created`)).body.length).toBeGreaterThanOrEqual(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents, type CollabClient } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";
import { textFragment, type CanonicalDocument } from "../schema/index.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

// Block indices of a seeded group report: 0 title, 1 heading, 2 pp, 3 heading, 4 chapeau, 5–8 the recommendations.
const OP = (n: number) => 4 + n;

/** Inserts `text` into the XmlText of block `index` of a client's doc (at the end by default). */
function typeInto(doc: Y.Doc, index: number, text: string, at?: number): void {
  const element = textFragment(doc).get(index) as Y.XmlElement;
  const t = element.get(0) as Y.XmlText;
  t.insert(at ?? t.length, text);
}

async function content(api: ApiClient, documentId: string): Promise<CanonicalDocument> {
  return (await api.get(`/api/documents/${documentId}/content`)).body.canonical;
}

/** Waits until the server holds what a client wrote. */
async function serverHas(api: ApiClient, documentId: string, client: CollabClient): Promise<void> {
  await eventually(async () => JSON.stringify(await content(api, documentId)) === JSON.stringify(client.canonical()), 5000, "server has the edit");
}

describe("consolidation: group reports into a work programme, end to end", () => {
  it("group reports edited, consolidated, two source paragraphs edited and one deleted: exactly those three reported; one pulled, one declined", async () => {
    const groups = ["wg1", "wg2", "wg3", "wg4"] as const;
    const delegates = await Promise.all(["arg.delegate", "bra.delegate", "can.delegate", "mex.delegate"].map((u) => server.login(u)));
    const reports = groups.map((g) => server.demo.documents[g]!);

    // Each group report is edited by a delegate through a stock y-websocket client.
    const clients = reports.map((id, i) => collabClient(server.url, id, delegates[i]!.cookie));
    await Promise.all(clients.map((c) => c.synced));
    clients.forEach((c, i) => typeInto(c.doc, OP(1), ` (edited by group ${i + 1})`));
    await Promise.all(clients.map((c, i) => serverHas(delegates[i]!, reports[i]!, c)));
    const sourcesBefore = await Promise.all(reports.map((id) => content(delegates[0]!, id)));

    // The rapporteur consolidates the four reports in one command.
    const rapporteur = await server.login("rapporteur");
    const created = await rapporteur.post(`/api/meetings/${server.demo.meetingId}/consolidations`, {
      title: "Inter-American Work Programme to Combat Trafficking in Persons",
      sources: reports.map((documentId) => ({ documentId })),
    });
    expect(created.status).toBe(201);
    const wp = created.body.documentId as string;
    expect(created.body.symbol).toBe("RTP-II/doc.6/09");
    const info = (await rapporteur.get(`/api/documents/${wp}`)).body;
    expect(info).toMatchObject({ kind: "work_programme", bodyId: server.demo.bodies.plenary, title: "Inter-American Work Programme to Combat Trafficking in Persons" });

    // Sections by group: the title, then per report its title as a heading and its paragraphs with fresh ids.
    const consolidated = await content(rapporteur, wp);
    const expectedTexts = ["Inter-American Work Programme to Combat Trafficking in Persons", ...sourcesBefore.flatMap((s) => s.paragraphs.map((p) => p.text))];
    expect(consolidated.paragraphs.map((p) => p.text)).toEqual(expectedTexts);
    expect(consolidated.paragraphs.filter((p) => p.kind === "heading").length).toBe(4 * 3);
    const sourceIds = new Set(sourcesBefore.flatMap((s) => s.paragraphs.map((p) => p.id)));
    expect(consolidated.paragraphs.some((p) => sourceIds.has(p.id))).toBe(false);
    expect(consolidated.paragraphs.find((p) => p.text.includes("(edited by group 2)"))).toBeDefined();

    const fresh = (await rapporteur.get(`/api/documents/${wp}/provenance`)).body;
    expect(fresh.paragraphs).toHaveLength(consolidated.paragraphs.length - 1);
    expect(fresh.summary).toEqual({ same: consolidated.paragraphs.length - 1, changed: 0, deleted: 0, pending: 0, omitted: 0 });
    expect(fresh.sources.map((s: { documentId: string }) => s.documentId)).toEqual(reports);

    // Group 2 then edits two source paragraphs and deletes one, through a stock client.
    const events = await listenEvents(server.url, wp, rapporteur.cookie);
    const wg2 = clients[1]!;
    const wg2Before = sourcesBefore[1]!.paragraphs;
    const edited = [wg2Before[OP(2)]!, wg2Before[OP(3)]!];
    const deleted = wg2Before[OP(4)]!;
    wg2.doc.transact(() => {
      typeInto(wg2.doc, OP(2), "Effectively ", 0);
      typeInto(wg2.doc, OP(3), " and the Hague Conventions");
      textFragment(wg2.doc).delete(OP(4), 1);
    });
    await serverHas(delegates[1]!, reports[1]!, wg2);
    const changedEvent = await events.waitFor("provenance.source_changed");
    expect(changedEvent.data.sourceDocumentId).toBe(reports[1]);
    expect(new Set(changedEvent.data.sourceParagraphIds)).toEqual(new Set([edited[0]!.id, edited[1]!.id, deleted.id]));

    // The consolidated document reports exactly those three, and nothing else.
    const report = (await rapporteur.get(`/api/documents/${wp}/provenance`)).body;
    const open = report.paragraphs.filter((p: { status: string }) => p.status !== "same");
    expect(open).toHaveLength(3);
    expect(open.map((p: { sourceParagraphId: string }) => p.sourceParagraphId).sort()).toEqual([edited[0]!.id, edited[1]!.id, deleted.id].sort());
    const byId = new Map<string, any>(open.map((p: { sourceParagraphId: string }) => [p.sourceParagraphId, p]));
    expect(byId.get(deleted.id)).toMatchObject({ status: "deleted", pending: true, sourceText: null, sourceDocumentId: reports[1] });
    const first = byId.get(edited[0]!.id);
    expect(first).toMatchObject({ status: "changed", pending: true });
    expect(first.diff.filter((r: { op: string }) => r.op !== "equal")).toEqual([
      { op: "insert", text: "Effectively " },
    ]);
    const second = byId.get(edited[1]!.id);
    expect(second.diff.filter((r: { op: string }) => r.op !== "equal").map((r: { text: string }) => r.text).join("")).toBe(" and the Hague Conventions");
    expect(report.summary).toEqual({ same: fresh.summary.same - 3, changed: 2, deleted: 1, pending: 3, omitted: 0 });
    // Per source, whether anything in it changed since the consolidation: only group 2's report.
    expect(report.sources.map((s: { hashAtCopy: string; currentHash: string }) => s.hashAtCopy !== s.currentHash)).toEqual([false, true, false, false]);

    // The rapporteur pulls the first change: the consolidated text now holds the source
    // wording, and a stock client connected to the consolidated document sees it.
    const viewer = collabClient(server.url, wp, rapporteur.cookie);
    await viewer.synced;
    const pulled = await rapporteur.post(`/api/documents/${wp}/provenance/${first.paragraphId}/pull`);
    expect(pulled.status).toBe(200);
    expect(pulled.body).toMatchObject({ status: "same", pending: false, decision: { action: "pulled", by: "rapporteur" } });
    const newWording = (await content(rapporteur, reports[1]!)).paragraphs.find((p) => p.id === edited[0]!.id)!.text;
    expect(newWording.startsWith("Effectively Protect victims")).toBe(true);
    await eventually(() => viewer.canonical().paragraphs.find((p) => p.id === first.paragraphId)?.text === newWording, 5000, "viewer sees the pulled wording");
    expect((await content(rapporteur, wp)).paragraphs.find((p) => p.id === first.paragraphId)!.text).toBe(newWording);
    await events.waitFor("provenance.pulled", (e) => e.data.paragraphId === first.paragraphId);

    // …and declines the second: recorded, no longer pending, text unchanged.
    const declined = await rapporteur.post(`/api/documents/${wp}/provenance/${second.paragraphId}/decline`, { reason: "the Hague Conventions are covered elsewhere" });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: "changed", pending: false, declined: true, decision: { action: "declined", by: "rapporteur" } });
    await events.waitFor("provenance.declined", (e) => e.data.paragraphId === second.paragraphId);
    expect((await content(rapporteur, wp)).paragraphs.find((p) => p.id === second.paragraphId)!.text).toBe(second.baseText);

    const after = (await rapporteur.get(`/api/documents/${wp}/provenance`)).body;
    expect(after.summary).toMatchObject({ changed: 1, deleted: 1, pending: 1 });
    expect(after.paragraphs.filter((p: { pending: boolean }) => p.pending).map((p: { sourceParagraphId: string }) => p.sourceParagraphId)).toEqual([deleted.id]);

    const audit = (await rapporteur.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${wp}&action=provenance`)).body;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(["provenance.pulled", "provenance.declined"]);
    expect(audit[1].details.reason).toBe("the Hague Conventions are covered elsewhere");

    events.close();
    viewer.destroy();
    clients.forEach((c) => c.destroy());
  });
});

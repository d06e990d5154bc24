import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const ids = (doc: Y.Doc) => textFragment(doc).toArray().map((el) => String((el as Y.XmlElement).getAttribute("id")));
const stored = async (api: ApiClient, docId: string) =>
  (await api.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs as Array<{ id: string; text: string; ref: string; kind: string }>;

/** Waits for the next refusal a client gets and returns it. */
async function nextDenial(client: CollabClient, before: number): Promise<string> {
  await eventually(() => client.denials.length > before, 5000, "a refusal");
  return client.denials[before]!;
}

describe("structure is protected", () => {
  it("a paragraph's id never changes", async () => {
    const docId = server.demo.documents.wg1!;
    const api = await server.login("arg.delegate");
    const c = collabClient(server.url, docId, api.cookie);
    await c.synced;
    const before = await stored(api, docId);
    (textFragment(c.doc).get(2) as Y.XmlElement).setAttribute("id", "p-stolen");
    expect(await nextDenial(c, 0)).toMatch(/a paragraph's id never changes/);
    expect((await stored(api, docId)).map((p) => p.id)).toEqual(before.map((p) => p.id));
    c.destroy();
  });

  it("a delegate deletes at most a few paragraphs at once; the chair restores a deleted one at its place", async () => {
    const docId = server.demo.documents.wg2!;
    const [api, chair, other] = await Promise.all([server.login("bra.delegate"), server.login("wg2.chair"), server.login("arg.delegate")]);
    const c = collabClient(server.url, docId, api.cookie);
    await c.synced;
    const before = await stored(api, docId);
    expect(before.length).toBeGreaterThan(6);
    textFragment(c.doc).delete(1, 4);
    expect(await nextDenial(c, 0)).toMatch(/a delegate may delete at most 3 paragraphs at once \(this update deletes 4\)/);
    expect((await stored(api, docId)).length).toBe(before.length);

    // Two at once is within the limit.
    const gone = before.slice(2, 4);
    const fresh = collabClient(server.url, docId, api.cookie);
    await fresh.synced;
    textFragment(fresh.doc).delete(2, 2);
    await eventually(async () => (await stored(api, docId)).length === before.length - 2, 5000, "deleted");
    const listed = (await api.get(`/api/documents/${docId}/deleted-paragraphs`)).body as Array<{ paragraphId: string; text: string; deletedBy: string; restoredAt: string | null }>;
    expect(listed.map((d) => d.paragraphId).sort()).toEqual(gone.map((p) => p.id).sort());
    expect(listed.every((d) => d.deletedBy === "bra.delegate" && d.restoredAt === null)).toBe(true);
    expect(listed.find((d) => d.paragraphId === gone[1]!.id)!.text).toBe(gone[1]!.text);

    // A delegate may not restore; the chair puts it back where it stood, with its id and words.
    expect((await other.post(`/api/documents/${docId}/paragraphs/${gone[1]!.id}/restore`)).status).toBe(403);
    const restored = await chair.post(`/api/documents/${docId}/paragraphs/${gone[1]!.id}/restore`);
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body).toMatchObject({ paragraphId: gone[1]!.id, restoredBy: "wg2.chair" });
    const after = await stored(api, docId);
    expect(after.map((p) => p.id)).toEqual(before.filter((p) => p.id !== gone[0]!.id).map((p) => p.id));
    expect(after.find((p) => p.id === gone[1]!.id)!.text).toBe(gone[1]!.text);
    await eventually(() => ids(fresh.doc).includes(gone[1]!.id), 5000, "clients see it back");
    expect((await chair.post(`/api/documents/${docId}/paragraphs/${gone[1]!.id}/restore`)).status).toBe(404);
    const audit = (await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${docId}&action=paragraph`)).body as Array<{ action: string; targetId: string }>;
    expect(audit.filter((e) => e.action === "paragraph.deleted").map((e) => e.targetId).sort()).toEqual(gone.map((p) => p.id).sort());
    expect(audit.some((e) => e.action === "paragraph.restored" && e.targetId === gone[1]!.id)).toBe(true);
    c.destroy();
    fresh.destroy();
  });

  it("a delegate may not delete an agreed paragraph, one with brackets, or one with amendments on the table", async () => {
    const docId = server.demo.documents.declaration!;
    const [api, chair] = await Promise.all([server.login("mex.delegate"), server.login("chair")]);
    const paragraphs = await stored(api, docId);
    const bracketed = server.demo.declarationBrackets[0]!.paragraphId;
    const tabled = ((await api.get(`/api/documents/${docId}/amendments`)).body as Array<{ paragraphId: string; state: string }>).find((a) => a.state === "tabled");
    expect(tabled).toBeDefined();
    const statuses = (await api.get(`/api/documents/${docId}/paragraph-statuses`)).body as Array<{ paragraphId: string }>;
    const candidates = paragraphs.filter(
      (p) => (p.kind === "op" || p.kind === "pp") && p.id !== bracketed && p.id !== tabled!.paragraphId && !server.demo.declarationBrackets.some((b) => b.paragraphId === p.id),
    );
    let agreed: string | null = null;
    for (const p of candidates) {
      const set = await chair.put(`/api/documents/${docId}/paragraphs/${p.id}/status`, { status: "yellow" });
      if (set.status === 200) {
        agreed = p.id;
        break;
      }
    }
    expect(agreed, JSON.stringify(statuses)).not.toBeNull();
    const c = collabClient(server.url, docId, api.cookie);
    await c.synced;
    const cases: Array<[string, RegExp]> = [
      [agreed!, /is agreed \(yellow\)/],
      [bracketed, /(holds open brackets|is held by)/],
      [tabled!.paragraphId, /has amendments on the table/],
    ];
    for (const [paragraphId, reason] of cases) {
      const index = ids(c.doc).indexOf(paragraphId);
      expect(index).toBeGreaterThan(0);
      const n = c.denials.length;
      textFragment(c.doc).delete(index, 1);
      expect(await nextDenial(c, n)).toMatch(reason);
      // The refused client resyncs from a fresh connection.
      c.provider.disconnect();
      c.destroy();
      const again = collabClient(server.url, docId, api.cookie);
      await again.synced;
      expect(ids(again.doc)).toContain(paragraphId);
      Object.assign(c, again);
    }
    expect((await stored(api, docId)).map((p) => p.id)).toEqual(paragraphs.map((p) => p.id));
    c.destroy();
  });
});

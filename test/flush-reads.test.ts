import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, typeInto } from "./helpers/collab.js";
import { documentText } from "../server/documents/paragraphs.js";
import { openBracketsInEach, openBracketsInEachDocument } from "../server/brackets/records.js";
import { tabledAmendmentsOfEach } from "../server/amendments/staleness.js";
import { versionsOf, versionsOfEach } from "../server/languages/versions.js";
import { feedingConsolidation, feedsConsolidation } from "../server/consolidation/store.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

// A flush of typing in several documents reads what its reactions need about all of them in
// one statement per kind: each answer must be what a read of each document alone gives.
describe("a flush's reads of several documents at once", () => {
  /** Every demo document with its paragraphs, and one paragraph id that is no document's. */
  function documents(): Map<string, string[]> {
    const ids = Object.values(server.demo.documents).filter((id): id is string => typeof id === "string");
    return new Map(ids.map((id) => [id, [...documentText(server.ctx, id).blocks.map((b) => b.id), "no-such-paragraph"]]));
  }

  it("open brackets and tabled amendments, by document and paragraph", () => {
    const wanted = documents();
    expect(wanted.size).toBeGreaterThan(1);
    const brackets = openBracketsInEachDocument(server.ctx, wanted);
    const amendments = tabledAmendmentsOfEach(server.ctx.db, wanted);
    let found = 0;
    for (const [documentId, paragraphIds] of wanted) {
      const alone = openBracketsInEach(server.ctx, documentId, paragraphIds);
      expect(brackets.get(documentId) ?? new Map()).toEqual(alone);
      const tabled = tabledAmendmentsOfEach(server.ctx.db, new Map([[documentId, paragraphIds]]));
      expect(amendments.get(documentId) ?? new Map()).toEqual(tabled.get(documentId) ?? new Map());
      found += alone.size + (tabled.get(documentId)?.size ?? 0);
    }
    // The demo has both: the comparison is not of empty maps only.
    expect(found).toBeGreaterThan(0);
    // Only the paragraphs asked for, in their own document.
    const [first, second] = [...wanted.keys()];
    const narrow = new Map([[first!, wanted.get(second!)!], [second!, wanted.get(first!)!]]);
    for (const [documentId, rows] of openBracketsInEachDocument(server.ctx, narrow)) for (const paragraphId of rows.keys()) expect(narrow.get(documentId)).toContain(paragraphId);
  });

  it("language versions and whether a document feeds a consolidation", () => {
    const ids = [...documents().keys(), "no-such-document"];
    const versions = versionsOfEach(server.ctx, ids);
    const feeding = feedingConsolidation(server.ctx, ids);
    server.ctx.db.transaction(() => {
      // Inside a transaction, as in a flush: read from the store, not from what was kept.
      const inside = versionsOfEach(server.ctx, ids);
      for (const id of ids) expect(inside.get(id) ?? []).toEqual(versions.get(id) ?? []);
    })();
    for (const id of ids) {
      expect(versions.get(id) ?? []).toEqual(versionsOf(server.ctx, id));
      expect(feeding.has(id)).toBe(feedsConsolidation(server.ctx, id));
    }
    expect([...versions.values()].some((v) => v.length > 0)).toBe(true);
  });
});

describe("a flush of typing in several documents", () => {
  it("stores and delivers every document's updates, with the reactions' rows of each", async () => {
    const api = await server.login("secretariat");
    const reader = await server.login("arg.delegate");
    const ids = Object.values(server.demo.documents).filter((id): id is string => typeof id === "string");
    const writers = ids.map((id) => collabClient(server.url, id, api.cookie));
    const readers = ids.map((id) => collabClient(server.url, id, reader.cookie));
    await Promise.all([...writers, ...readers].map((c) => c.synced));
    // In one turn of the test's event loop, so that the server takes them in one flush or few.
    writers.forEach((w, i) => {
      typeInto(w.doc, 1, ` typed in ${i}`);
      typeInto(w.doc, 2, ` and here ${i}`);
    });
    for (const [i, r] of readers.entries()) {
      await eventually(() => r.canonical().paragraphs[2]?.text.endsWith(` and here ${i}`) === true, 10_000, `document ${i} delivered`);
      expect(r.canonical().paragraphs[1]!.text.endsWith(` typed in ${i}`)).toBe(true);
      expect(writers[i]!.denials).toEqual([]);
      const stored = (await api.get(`/api/documents/${ids[i]}/content`)).body;
      expect(stored.canonical).toEqual(writers[i]!.canonical());
    }
    const rows = await server.ctx.db
      .prepare("SELECT document_id, count(*) AS n FROM text_authorship WHERE document_id IN (SELECT value FROM json_each(?)) AND username = 'secretariat' GROUP BY document_id")
      .all(JSON.stringify(ids)) as Array<{ document_id: string; n: number }>;
    expect(rows.map((r) => r.document_id).sort()).toEqual([...ids].sort());
    for (const c of [...writers, ...readers]) c.destroy();
  });
});

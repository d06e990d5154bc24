import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.js";
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

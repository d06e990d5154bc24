import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex, stableStringify } from "../schema/hash.js";
import { appendAudit, eventHash, listAudit, verifyAuditChain, SYSTEM } from "../server/audit/audit.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

/** The audit trail on its own: the hash of an event, the chain, and reading it back by filter. */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("the audit chain's hash", () => {
  it("is the SHA-256 of the sorted-key JSON of the event, as chains already written have it", () => {
    const row = {
      seq: 7,
      meeting_id: "m1",
      document_id: null,
      at: "2009-03-27T12:00:00.000Z",
      user_id: "u1",
      username: "chair",
      role: "chair",
      delegation: "ARG",
      action: "document.transitioned",
      target_type: "document",
      target_id: "d1",
      details: stableStringify({ from: "referred", to: "adopted", reason: "Ñandú \u2028 \"quoted\"" }),
      prev_hash: "a".repeat(64),
    };
    const reference = sha256Hex(
      stableStringify({
        seq: row.seq,
        meetingId: row.meeting_id,
        documentId: row.document_id,
        at: row.at,
        userId: row.user_id,
        username: row.username,
        role: row.role,
        delegation: row.delegation,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        details: row.details,
        prevHash: row.prev_hash,
      }),
    );
    expect(eventHash(row)).toBe(reference);
  });
});
describe("the audit trail", () => {
  it("lists events by document, action prefix, user and target, in chain order, and pages by seq", () => {
    const db = server.ctx.db;
    const meetingId = server.demo.meetingId;
    const documentId = server.demo.documents.wg3!;
    const first = appendAudit(db, SYSTEM, { meetingId, documentId, action: "test.opened", targetType: "test", targetId: "t1", details: { n: 1 } });
    const second = appendAudit(db, SYSTEM, { meetingId, documentId, action: "test.closed", targetType: "test", targetId: "t2", details: { n: 2 } });
    const listed = listAudit(db, { meetingId, documentId, action: "test" });
    expect(listed.map((e) => [e.seq, e.action, e.targetId])).toEqual([
      [first.seq, "test.opened", "t1"],
      [second.seq, "test.closed", "t2"],
    ]);
    expect(listAudit(db, { meetingId, action: "test.closed" }).map((e) => e.seq)).toEqual([second.seq]);
    expect(listAudit(db, { meetingId, targetId: "t1" }).map((e) => e.seq)).toEqual([first.seq]);
    expect(listAudit(db, { meetingId, action: "test", after: first.seq }).map((e) => e.seq)).toEqual([second.seq]);
    expect(listAudit(db, { meetingId, action: "test", before: second.seq }).map((e) => e.seq)).toEqual([first.seq]);
    // A wildcard in a filter is a literal character, not a pattern.
    expect(listAudit(db, { meetingId, action: "tes_" })).toEqual([]);
  });

  it("the chain verifies, and an altered event breaks it at that event", () => {
    const db = server.ctx.db;
    expect(verifyAuditChain(db).ok).toBe(true);
    const last = db.prepare("SELECT seq, details FROM audit_events ORDER BY seq DESC LIMIT 1").get() as { seq: number; details: string };
    db.prepare("UPDATE audit_events SET details = ? WHERE seq = ?").run(JSON.stringify({ forged: true }), last.seq);
    try {
      const check = verifyAuditChain(db);
      expect(check.ok).toBe(false);
      expect(check.brokenAt).toBe(last.seq);
    } finally {
      db.prepare("UPDATE audit_events SET details = ? WHERE seq = ?").run(last.details, last.seq);
    }
    expect(verifyAuditChain(db).ok).toBe(true);
  });
});

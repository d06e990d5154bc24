import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import type { ApiClient } from "./helpers/api.js";
import { runCommand } from "../server/commands/command.js";
import { CANONICAL_FORMAT, CANONICAL_FORMAT_V1, indexOfBlock, insertBlocks, newId, type CanonicalDocument, type CanonicalParagraph } from "../schema/index.js";
import { freezeDocumentsUnderNegotiation } from "../server/numbering/upgrade.js";
import { documentText } from "../server/documents/paragraphs.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

async function content(api: ApiClient, documentId: string): Promise<CanonicalDocument> {
  return (await api.get(`/api/documents/${documentId}/content`)).body.canonical;
}
const byRef = (c: CanonicalDocument, ref: string): CanonicalParagraph => {
  const p = c.paragraphs.find((x) => x.ref === ref);
  if (!p) throw new Error(`no ${ref} in ${c.paragraphs.map((x) => x.ref).join(" ")}`);
  return p;
};

/** Inserts an operative paragraph after another, on the server, as a client's edit would. */
function insertAfter(documentId: string, afterId: string, text: string, level = 0): string {
  const id = newId("p");
  runCommand(server.ctx, (tx) =>
    tx.changeText(documentId, null, (fragment) => {
      insertBlocks(fragment, indexOfBlock(fragment, afterId) + 1, [{ id, type: "paragraph", kind: "op", level, runs: [{ text }] }]);
    }),
  );
  return id;
}

function remove(documentId: string, paragraphId: string): void {
  runCommand(server.ctx, (tx) =>
    tx.changeText(documentId, null, (fragment) => {
      fragment.delete(indexOfBlock(fragment, paragraphId), 1);
    }),
  );
}

describe("stable numbers under negotiation", () => {
  it("a group report under negotiation keeps its numbers: an insertion is bis, a deletion leaves a gap; the secretariat renumbers once, with a version", async () => {
    const secretariat = await server.login("secretariat");
    const docId = server.demo.documents.wg2!;
    const numbering = (await secretariat.get(`/api/documents/${docId}/numbering`)).body;
    expect(numbering.revision).toBeGreaterThan(0);
    expect(numbering.act).toBe("frozen");
    const before = await content(secretariat, docId);
    const op1 = byRef(before, "OP1");
    const op2 = byRef(before, "OP2");
    const op3 = byRef(before, "OP3");
    expect(numbering.labels[op2.id]).toEqual({ kind: "op", level: 0, label: "2" });

    const bis = insertAfter(docId, op1.id, "Inserted under negotiation;");
    const ter = insertAfter(docId, bis, "And another;");
    remove(docId, op2.id);
    const during = await content(secretariat, docId);
    expect(during.format).toBe(CANONICAL_FORMAT);
    const refOf = (c: CanonicalDocument, id: string) => c.paragraphs.find((p) => p.id === id)?.ref;
    expect([refOf(during, op1.id), refOf(during, bis), refOf(during, ter), refOf(during, op3.id)]).toEqual(["OP1", "OP1 bis", "OP1 ter", "OP3"]);
    expect(during.paragraphs.find((p) => p.id === bis)!.number).toBe("1 bis");

    // Only the secretariat renumbers.
    const chair = await server.login("wg2.chair");
    const refused = await chair.post(`/api/documents/${docId}/renumber`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/only the secretariat/);
    const delegate = await server.login("bra.delegate");
    expect((await delegate.post(`/api/documents/${docId}/renumber`)).status).toBe(403);

    const renumbered = await secretariat.post(`/api/documents/${docId}/renumber`);
    expect(renumbered.status).toBe(200);
    expect(renumbered.body.version).toMatchObject({ label: "Renumbered" });
    expect(renumbered.body.changed).toEqual(
      expect.arrayContaining([
        { paragraphId: bis, from: "OP1 bis", to: "OP2" },
        { paragraphId: ter, from: "OP1 ter", to: "OP3" },
        { paragraphId: op3.id, from: "OP3", to: "OP4" },
      ]),
    );
    const after = await content(secretariat, docId);
    expect([refOf(after, bis), refOf(after, ter), refOf(after, op3.id)]).toEqual(["OP2", "OP3", "OP4"]);
    const versions = (await secretariat.get(`/api/documents/${docId}/versions`)).body as Array<{ id: string; reason: string; hash: string }>;
    const stored = versions.at(-1)!;
    expect(stored).toMatchObject({ id: renumbered.body.version.id, reason: "renumbered", hash: (await secretariat.get(`/api/documents/${docId}/content`)).body.hash });
    const audit = server.ctx.db
      .prepare("SELECT details FROM audit_events WHERE document_id = ? AND action = 'document.renumbered' ORDER BY seq DESC LIMIT 1")
      .pluck()
      .get(docId) as string;
    expect(JSON.parse(audit)).toMatchObject({ act: "renumbered", revision: numbering.revision + 1 });
    expect((await secretariat.get(`/api/documents/${docId}/numbering`)).body).toMatchObject({ revision: numbering.revision + 1, act: "renumbered" });

    // A new paragraph now follows the renumbered numbers; renumbering twice with nothing to do is refused.
    expect((await secretariat.post(`/api/documents/${docId}/renumber`)).status).toBe(409);
    const next = insertAfter(docId, op3.id, "After the fourth;");
    expect(refOf(await content(secretariat, docId), next)).toBe("OP4 bis");
  });

  it("a draft is numbered in order and its numbers are frozen when it goes to negotiation; renumbering a draft is refused", async () => {
    const secretariat = await server.login("secretariat");
    const created = await secretariat.post(`/api/meetings/${server.demo.meetingId}/documents`, {
      bodyId: server.demo.bodies.wg1,
      kind: "group_report",
      title: "Numbers",
      content: { text: "One;\nTwo;\nThree." },
    });
    expect(created.status).toBe(201);
    const docId = created.body.id as string;
    expect((await secretariat.get(`/api/documents/${docId}/numbering`)).body).toEqual({ revision: 0, act: null, actedAt: null, labels: {} });
    const draft = await content(secretariat, docId);
    insertAfter(docId, byRef(draft, "OP1").id, "Inserted in the draft;");
    const renumberedInOrder = await content(secretariat, docId);
    expect(renumberedInOrder.paragraphs.map((p) => p.ref)).toEqual([null, "OP1", "OP2", "OP3", "OP4"]);
    expect(renumberedInOrder.format).toBe(CANONICAL_FORMAT_V1);
    expect((await secretariat.post(`/api/documents/${docId}/renumber`)).status).toBe(409);

    const opened = await secretariat.post(`/api/documents/${docId}/transitions`, { to: "negotiation" });
    expect(opened.status).toBe(200);
    // The version the move stored has the numbers as they were frozen.
    expect(opened.body.version.hash).toBe((await secretariat.get(`/api/documents/${docId}/content`)).body.hash);
    const frozenAudit = server.ctx.db.prepare("SELECT COUNT(*) FROM audit_events WHERE document_id = ? AND action = 'numbering.frozen'").pluck().get(docId);
    expect(frozenAudit).toBe(1);
    insertAfter(docId, byRef(renumberedInOrder, "OP2").id, "Inserted in negotiation;");
    expect((await content(secretariat, docId)).paragraphs.map((p) => p.ref)).toEqual([null, "OP1", "OP2", "OP2 bis", "OP3", "OP4"]);
  });

  it("documents under negotiation in a database made before stable numbering get their numbers frozen at start, once", async () => {
    const docId = server.demo.documents.wg3!;
    const { db } = server.ctx;
    db.prepare("DELETE FROM paragraph_numbers WHERE document_id = ?").run(docId);
    db.prepare("DELETE FROM document_numbering WHERE document_id = ?").run(docId);
    const unfrozen = documentText(server.ctx, docId);
    expect(unfrozen.frozen.size).toBe(0);
    freezeDocumentsUnderNegotiation(server.ctx);
    const frozen = documentText(server.ctx, docId);
    expect(frozen.frozen.size).toBe(frozen.paragraphs.filter((p) => p.kind === "op" || p.kind === "pp").length);
    expect(frozen.paragraphs.map((p) => p.ref)).toEqual(unfrozen.paragraphs.map((p) => p.ref));
    const events = () => db.prepare("SELECT COUNT(*) FROM audit_events WHERE document_id = ? AND action = 'numbering.frozen' AND username = 'system'").pluck().get(docId);
    const once = events();
    freezeDocumentsUnderNegotiation(server.ctx);
    expect(events()).toBe(once);
  });

  it("the versions stored in format 1 still verify once the text is written in format 2; a language version is numbered as its original", async () => {
    const secretariat = await server.login("secretariat");
    const docId = server.demo.documents.declaration!;
    const versions = (await secretariat.get(`/api/documents/${docId}/versions`)).body as Array<{ id: string }>;
    const first = (await secretariat.get(`/api/documents/${docId}/versions/${versions[0]!.id}`)).body;
    expect(first.canonical.format).toBe(CANONICAL_FORMAT_V1);
    const op1 = byRef(await content(secretariat, docId), "OP1");
    const added = insertAfter(docId, op1.id, "A new paragraph under negotiation;");
    expect((await content(secretariat, docId)).format).toBe(CANONICAL_FORMAT);
    // A language version follows its original's structure and is numbered as the original.
    const spanish = server.ctx.db.prepare("SELECT id FROM documents WHERE original_id = ?").pluck().get(docId) as string | undefined;
    expect(spanish).toBeTruthy();
    const es = await content(secretariat, spanish!);
    expect(es.paragraphs.find((p) => p.id === added)?.ref).toBe("OP1 bis");
    expect(es.paragraphs.map((p) => p.ref)).toEqual((await content(secretariat, docId)).paragraphs.map((p) => p.ref));
    expect((await secretariat.post(`/api/documents/${spanish}/renumber`)).status).toBe(409);
    const saved = await secretariat.post(`/api/documents/${docId}/versions`, { label: "Rev.1" });
    expect(saved.status).toBe(201);
    const verification = (await secretariat.get(`/api/documents/${docId}/verification`)).body;
    expect(verification.problems ?? []).toEqual([]);
    const rev1 = (await secretariat.get(`/api/documents/${docId}/versions/${saved.body.id}`)).body;
    expect(rev1.canonical.format).toBe(CANONICAL_FORMAT);
    expect(rev1.canonical.paragraphs.some((p: CanonicalParagraph) => p.ref === "OP1 bis")).toBe(true);
  });
});

void Y;

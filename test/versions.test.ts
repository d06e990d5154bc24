import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";
import { runCommand } from "../server/commands/command.js";
import { blockOfYElement, blocksOfDoc, canonicalize, frozenLabelsOf, indexOfBlock, insertBlocks, textFragment, type CanonicalDocument } from "../schema/index.js";
import { documentElsewhere } from "./helpers/elsewhere.js";
import { baseSymbol, revisionOf } from "../server/versions/versions.js";

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

/**
 * Changes one paragraph's wording as an accepted amendment: through the amendments routes
 * when that feature is installed, else (the feature not there) through a stock client.
 */
async function acceptAmendment(documentId: string, paragraphId: string, text: string): Promise<void> {
  const sponsor = await server.login("arg.delegate");
  const chair = await server.login("chair");
  const created = await sponsor.post(`/api/documents/${documentId}/amendments`, {
    paragraphId,
    operation: "replace",
    content: { text },
    rationale: "clearer obligation",
  });
  if (created.status === 404 && /no route/.test(created.body?.error ?? "")) {
    const client = collabClient(server.url, documentId, sponsor.cookie);
    await client.synced;
    const index = indexOfBlock(textFragment(client.doc), paragraphId);
    const t = (textFragment(client.doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
    client.doc.transact(() => {
      t.delete(0, t.length);
      t.insert(0, text);
    });
    await eventually(async () => (await content(chair, documentId)).paragraphs.find((p) => p.id === paragraphId)?.text === text, 5000, "edit stored");
    client.destroy();
    return;
  }
  expect(created.status).toBe(201);
  expect((await sponsor.post(`/api/amendments/${created.body.id}/table`)).status).toBe(200);
  const decided = await chair.post(`/api/amendments/${created.body.id}/decision`, { decision: "accepted" });
  expect(decided.status).toBe(200);
  expect((await content(chair, documentId)).paragraphs.find((p) => p.id === paragraphId)!.text).toBe(text);
}

/** Moves a paragraph (same element id) to just after another, on the server, in one Yjs transaction. */
function moveAfter(documentId: string, paragraphId: string, afterId: string): void {
  runCommand(server.ctx, (tx) =>
    tx.changeText(documentId, null, (fragment) => {
      const from = indexOfBlock(fragment, paragraphId);
      const block = blockOfYElement(fragment.get(from) as Y.XmlElement)!;
      fragment.delete(from, 1);
      insertBlocks(fragment, indexOfBlock(fragment, afterId) + 1, [block]);
    }),
  );
}

describe("compare and named versions", () => {
  it("compare of two versions of the declaration after an accepted amendment and a moved paragraph reports the change, the move with both numbers, and nothing else", async () => {
    const chair = await server.login("chair");
    const docId = server.demo.documents.declaration!;
    const rev1 = await chair.post(`/api/documents/${docId}/versions`, { label: "Rev.1" });
    expect(rev1.status).toBe(201);

    const before = await content(chair, docId);
    const op = (ref: string) => before.paragraphs.find((p) => p.ref === ref)!;
    const amended = op("OP3");
    const moved = op("OP2");
    expect(amended.text).toContain("shall adopt");
    await acceptAmendment(docId, amended.id, amended.text.replace("shall adopt", "should adopt"));
    moveAfter(docId, moved.id, op("OP5").id);

    const rev2 = await chair.post(`/api/documents/${docId}/versions`, { label: "Rev.2" });
    expect(rev2.status).toBe(201);
    // The text changed, so the revision went up and the document took the new symbol.
    expect(rev2.body.symbol).toBe(`${baseSymbol(rev1.body.symbol)} rev. ${revisionOf(rev1.body.symbol) + 1}`);
    expect((await chair.get(`/api/documents/${docId}`)).body.symbol).toBe(rev2.body.symbol);

    const delegate = await server.login("bra.delegate");
    const compared = await delegate.get(`/api/documents/${docId}/compare?from=${rev1.body.id}&to=${rev2.body.id}`);
    expect(compared.status).toBe(200);
    const { summary, paragraphs } = compared.body;
    expect(summary).toEqual({ added: 0, deleted: 0, moved: 1, changed: 1, same: before.paragraphs.length - 2 });
    const notSame = paragraphs.filter((p: { change: string }) => p.change !== "same");
    expect(notSame).toHaveLength(2);
    // The declaration is under negotiation: its numbers are frozen, so the moved paragraph
    // is still OP2 where it now stands, and OP3 is still OP3.
    expect(paragraphs.find((p: { id: string }) => p.id === moved.id)).toMatchObject({
      change: "moved",
      fromNumber: "2",
      toNumber: "2",
      fromRef: "OP2",
      toRef: "OP2",
    });
    const change = paragraphs.find((p: { id: string }) => p.id === amended.id);
    expect(change).toMatchObject({ change: "changed", fromNumber: "3", toNumber: "3", aspects: ["text"] });
    expect(change.diff.filter((r: { op: string }) => r.op !== "equal")).toEqual([
      { op: "delete", text: "shall" },
      { op: "insert", text: "should" },
    ]);
    // The newer order, every paragraph once.
    expect(paragraphs.map((p: { id: string }) => p.id)).toEqual((await content(chair, docId)).paragraphs.map((p) => p.id));
    expect(compared.body.from).toMatchObject({ versionId: rev1.body.id, label: "Rev.1" });

    // Against the current text: the same answer; the newest version against the current text: no change.
    const toCurrent = (await delegate.get(`/api/documents/${docId}/compare?from=${rev1.body.id}`)).body;
    expect(toCurrent.summary).toEqual(summary);
    expect(toCurrent.to).toMatchObject({ versionId: null, label: "current text" });
    const none = (await delegate.get(`/api/documents/${docId}/compare?from=${rev2.body.id}&to=current`)).body;
    expect(none.summary).toEqual({ added: 0, deleted: 0, moved: 0, changed: 0, same: before.paragraphs.length });
  });

  it("a named version without a text change keeps the symbol; any version opens read-only as its canonical form and its Yjs state", async () => {
    const chair = await server.login("chair");
    const observer = await server.login("observer");
    const docId = server.demo.documents.declaration!;
    const a = (await chair.post(`/api/documents/${docId}/versions`, { label: "Rev.3 draft" })).body;
    const b = (await chair.post(`/api/documents/${docId}/versions`, { label: "same text" })).body;
    expect(b.symbol).toBe(a.symbol);
    expect(b.number).toBe(a.number + 1);

    const res = await fetch(`${server.url}/api/documents/${docId}/versions/${a.id}/state`, { headers: { cookie: observer.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/octet-stream/);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
    const opened = (await observer.get(`/api/documents/${docId}/versions/${a.id}`)).body;
    // Numbered with the labels its canonical form was frozen with (a moved paragraph kept its number).
    expect(canonicalize(blocksOfDoc(doc), frozenLabelsOf(opened.canonical))).toEqual(opened.canonical);
    doc.destroy();
    expect((await observer.get(`/api/documents/${docId}/versions/nope/state`)).status).toBe(404);
  });

  it("the first named version after edits to a new text is rev. 1", async () => {
    const chair = await server.login("wg3.chair");
    const docId = server.demo.documents.wg3!;
    const delegate = await server.login("per.delegate");
    const client = collabClient(server.url, docId, delegate.cookie);
    await client.synced;
    ((textFragment(client.doc).get(2) as Y.XmlElement).get(0) as Y.XmlText).insert(0, "In plenary session, ");
    await eventually(async () => (await content(chair, docId)).paragraphs[2]!.text.startsWith("In plenary session, "), 5000, "edit stored");
    client.destroy();
    const base = (await chair.get(`/api/documents/${docId}`)).body.symbol;
    const rev1 = (await chair.post(`/api/documents/${docId}/versions`, { label: "Rev.1" })).body;
    expect(rev1.symbol).toBe(`${base} rev. 1`);
  });

  it("refuses malformed and foreign comparisons with 4xx", async () => {
    const chair = await server.login("chair");
    const docId = server.demo.documents.declaration!;
    const v = (await chair.post(`/api/documents/${docId}/versions`, { label: "for errors" })).body;
    expect((await chair.get(`/api/documents/${docId}/compare`)).status).toBe(400);
    expect((await chair.get(`/api/documents/${docId}/compare?from=${encodeURIComponent("<script>")}`)).status).toBe(400);
    expect((await chair.get(`/api/documents/${docId}/compare?from=v-unknown`)).status).toBe(404);
    // A version of another document is not a version of this one.
    expect((await chair.get(`/api/documents/${server.demo.documents.wg1}/compare?from=${v.id}`)).status).toBe(404);
    const elsewhere = documentElsewhere(server.ctx);
    expect((await chair.get(`/api/documents/${elsewhere.documentId}/compare?from=${v.id}`)).status).toBe(404);
    const anonymous = await fetch(`${server.url}/api/documents/${docId}/compare?from=${v.id}`);
    expect(anonymous.status).toBe(401);
  });
});

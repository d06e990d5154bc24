import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { createTestDeclaration, logins } from "./helpers/lifecycle.js";
import { textFragment } from "../schema/index.js";
import type { ApiClient } from "./helpers/api.js";

let server: TestServer;
let arg: ApiClient, can: ApiClient, bra: ApiClient, chair: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  [arg, can, bra, chair] = await logins(server, ["arg.delegate", "can.delegate", "bra.delegate", "chair"] as const);
});
afterAll(async () => {
  await server?.stop();
});

/** A fresh small declaration and the id and text of its operative paragraph `n` (1-based). */
async function freshDeclaration(title: string): Promise<{ id: string; op: (n: number) => Promise<{ id: string; text: string }> }> {
  const { id } = createTestDeclaration(server, title);
  return {
    id,
    op: async (n) => {
      const content = (await chair.get(`/api/documents/${id}/content`)).body.canonical;
      return content.paragraphs.find((p: { ref: string }) => p.ref === `OP${n}`);
    },
  };
}

/** Opens a bracket on the first occurrence of `words` in a paragraph. */
async function bracketWords(who: ApiClient, docId: string, paragraph: { id: string; text: string }, words: string) {
  const from = paragraph.text.indexOf(words);
  expect(from).toBeGreaterThanOrEqual(0);
  return who.post(`/api/documents/${docId}/brackets`, { paragraphId: paragraph.id, from, to: from + words.length });
}

describe("resolution", () => {
  it("the chair resolves a held bracket only with an override reason, which is recorded", async () => {
    const doc = await freshDeclaration("Override declaration");
    const opened = await bracketWords(arg, doc.id, await doc.op(1), "ratify");
    expect(opened.status).toBe(201);
    expect((await arg.post(`/api/brackets/${opened.body.id}/resolution`, { action: "keep" })).status).toBe(403);
    const refused = await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "keep" });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toEqual([`bracket ${opened.body.label} is held by ARG`]);
    const kept = await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "keep", reason: "consensus in informal consultations" });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ state: "resolved", closed: { how: "kept", by: "chair", reason: "consensus in informal consultations" } });
    expect((await doc.op(1)).text).toBe("To urge member states to ratify the Palermo Protocol;");
    const audit = await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${doc.id}&action=bracket.resolved`);
    expect(audit.body.at(-1).details).toMatchObject({ reason: "consensus in informal consultations", overrode: [opened.body.label], holders: ["ARG"] });
    expect((await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "delete" })).status).toBe(409);
  });

  it("keep on one option of a group is refused; delete drops one option; choose deletes the rest", async () => {
    const doc = await freshDeclaration("Options declaration");
    const op2 = await doc.op(2);
    const first = await bracketWords(arg, doc.id, op2, "strengthen");
    const second = await can.post(`/api/brackets/${first.body.id}/options`, { text: "enhance" });
    const third = await bra.post(`/api/brackets/${first.body.id}/options`, { text: "deepen" });
    expect([second.status, third.status]).toEqual([201, 201]);
    // Each option stands after a visible separator, stored in the text and in its record.
    expect((await doc.op(2)).text).toBe("To strengthen / enhance / deepen cooperation among national authorities.");
    expect([second.body.separator, third.body.separator]).toEqual([" / ", " / "]);
    const keep = await chair.post(`/api/brackets/${third.body.id}/resolution`, { action: "keep" });
    expect(keep.status).toBe(409);
    expect(keep.body.error).toMatch(/one of 3 options/);
    expect((await chair.post(`/api/brackets/${second.body.id}/resolution`, { action: "delete" })).status).toBe(200);
    expect((await doc.op(2)).text).toBe("To strengthen / deepen cooperation among national authorities.");
    // The remaining group is still held by ARG on its first option: choosing over it needs a reason.
    expect((await chair.post(`/api/brackets/${third.body.id}/resolution`, { action: "choose" })).status).toBe(409);
    const chosen = await chair.post(`/api/brackets/${third.body.id}/resolution`, { action: "choose", reason: "the group preferred it" });
    expect(chosen.status).toBe(200);
    expect((await doc.op(2)).text).toBe("To deepen cooperation among national authorities.");
    const register = (await chair.get(`/api/documents/${doc.id}/brackets`)).body;
    expect(register.clean).toBe(true);
    expect(register.counts).toMatchObject({ open: 0, resolved: 1, removed: 2 });
  });
});

describe("spacing after a deletion", () => {
  it("a deleted passage takes the space before punctuation and one of two spaces that would meet", async () => {
    const doc = await freshDeclaration("Spacing declaration");
    const op1 = await doc.op(1);
    const atEnd = await bracketWords(arg, doc.id, op1, "the Palermo Protocol");
    const inMiddle = await bracketWords(can, doc.id, op1, "ratify");
    for (const b of [atEnd, inMiddle]) {
      expect(b.status).toBe(201);
      const deleted = await chair.post(`/api/brackets/${b.body.id}/resolution`, { action: "delete", reason: "no consensus" });
      expect(deleted.status).toBe(200);
    }
    expect((await doc.op(1)).text).toBe("To urge member states to;");
  });
});

describe("nesting", () => {
  it("brackets nest three deep but may not cross; deleting the outer one removes those inside", async () => {
    const doc = await freshDeclaration("Nesting declaration");
    const op1 = await doc.op(1);
    const outer = await bracketWords(arg, doc.id, op1, "member states to ratify the Palermo");
    const middle = await bracketWords(can, doc.id, op1, "states to ratify");
    const inner = await bracketWords(bra, doc.id, op1, "ratify");
    expect([outer.status, middle.status, inner.status]).toEqual([201, 201, 201]);
    const crossing = await bracketWords(bra, doc.id, op1, "Palermo Protocol");
    expect(crossing.status).toBe(409);
    expect(crossing.body.error).toMatch(new RegExp(`crosses bracket ${outer.body.label}`));
    expect((await bracketWords(bra, doc.id, op1, "ratify")).status).toBe(409);

    const compilation = (await chair.get(`/api/documents/${doc.id}/register/compilation`)).body;
    const line = compilation.paragraphs.find((p: { id: string }) => p.id === op1.id).text;
    expect(line).toBe(
      `To urge [member [states to [ratify]{${inner.body.label}: BRA}]{${middle.body.label}: CAN} the Palermo]{${outer.body.label}: ARG} Protocol;`,
    );
    const clean = await chair.get(`/api/documents/${doc.id}/register/clean`);
    expect(clean.status).toBe(409);
    expect(clean.body.reasons).toHaveLength(3);

    const events = await listenEvents(server.url, doc.id, chair.cookie);
    const resolved = await chair.post(`/api/brackets/${outer.body.id}/resolution`, { action: "delete", reason: "no consensus" });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: "removed", closed: { how: "deleted" } });
    expect((await doc.op(1)).text).toBe("To urge Protocol;");
    for (const b of [middle.body, inner.body]) {
      const now = (await chair.get(`/api/brackets/${b.id}`)).body;
      expect(now).toMatchObject({ state: "removed", closed: { how: "text_deleted", by: "chair" } });
      await events.waitFor("bracket.removed", (e) => e.data.id === b.id);
    }
    expect((await chair.get(`/api/documents/${doc.id}/register/clean`)).status).toBe(200);
    events.close();
  });
});

describe("text deleted by an edit", () => {
  it("closes the bracket as removed, in the name of the delegate who deleted it", async () => {
    const doc = await freshDeclaration("Deletion declaration");
    const op1 = await doc.op(1);
    const opened = await bracketWords(arg, doc.id, op1, "the Palermo ");
    const events = await listenEvents(server.url, doc.id, chair.cookie);
    const paragraphText = (client: ReturnType<typeof collabClient>) =>
      (textFragment(client.doc).toArray().find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === op1.id) as Y.XmlElement).get(0) as Y.XmlText;
    // Another delegation may not end Argentina's objection by deleting its words…
    const other = collabClient(server.url, doc.id, bra.cookie);
    await other.synced;
    paragraphText(other).delete(op1.text.indexOf("the Palermo "), "the Palermo ".length);
    await eventually(() => other.denials.length > 0, 5000, "refusal");
    expect(other.denials[0]).toMatch(/held by ARG/);
    expect((await doc.op(1)).text).toBe(op1.text);
    other.destroy();
    // …Argentina, its only holder, may.
    const client = collabClient(server.url, doc.id, arg.cookie);
    await client.synced;
    paragraphText(client).delete(op1.text.indexOf("the Palermo "), "the Palermo ".length);
    const removed = await events.waitFor("bracket.removed");
    expect(removed.data).toMatchObject({ id: opened.body.id, state: "removed", text: "the Palermo ", closed: { how: "text_deleted", by: "arg.delegate" } });
    expect(removed.actor.username).toBe("arg.delegate");
    expect(client.denials).toEqual([]);
    expect((await doc.op(1)).text).toBe("To urge member states to ratify Protocol;");
    const audit = await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${doc.id}&action=bracket.removed`);
    expect(audit.body.map((e: { username: string; targetId: string }) => [e.username, e.targetId])).toEqual([["arg.delegate", opened.body.id]]);
    client.destroy();
    events.close();
  });
});

describe("paragraphs removed and marks stripped", () => {
  it("a deleted paragraph takes its brackets with it; a stripped mark closes its bracket too", async () => {
    const doc = await freshDeclaration("Removal declaration");
    const [op1, op2] = [await doc.op(1), await doc.op(2)];
    const inOp1 = await bracketWords(arg, doc.id, op1, "Palermo");
    const inOp2 = await bracketWords(arg, doc.id, op2, "cooperation");
    // Canada's delegate may not take away Argentina's brackets (paragraph deleted, mark stripped)…
    const refusedClient = collabClient(server.url, doc.id, can.cookie);
    await refusedClient.synced;
    {
      const fragment = textFragment(refusedClient.doc);
      const index = fragment.toArray().findIndex((c) => c instanceof Y.XmlElement && c.getAttribute("id") === op1.id);
      fragment.delete(index, 1);
      await eventually(() => refusedClient.denials.length > 0, 5000, "refusal");
      expect(refusedClient.denials[0]).toMatch(/held by ARG/);
      refusedClient.destroy();
    }
    expect((await chair.get(`/api/documents/${doc.id}/brackets`)).body.clean).toBe(false);
    // …nor may Argentina's delete a whole bracketed paragraph (that is what a deletion
    // amendment is for), but it may strip its own mark…
    const client = collabClient(server.url, doc.id, arg.cookie);
    await client.synced;
    const fragment = textFragment(client.doc);
    const index = fragment.toArray().findIndex((c) => c instanceof Y.XmlElement && c.getAttribute("id") === op1.id);
    fragment.delete(index, 1);
    await eventually(() => client.denials.length > 0, 5000, "refusal");
    expect(client.denials[0]).toMatch(/holds open brackets/);
    client.destroy();
    const stripper = collabClient(server.url, doc.id, arg.cookie);
    await stripper.synced;
    const op2Text = (textFragment(stripper.doc).get(index + 1) as Y.XmlElement).get(0) as Y.XmlText;
    const [key] = Object.keys(op2Text.toDelta().find((d: { attributes?: object }) => d.attributes)!.attributes!);
    op2Text.format(0, op2Text.length, { [key!]: null });
    await eventually(async () => (await chair.get(`/api/brackets/${inOp2.body.id}`)).body.state === "removed", 5000, "OP2's closed");
    expect((await chair.get(`/api/brackets/${inOp2.body.id}`)).body).toMatchObject({ closed: { how: "text_deleted", by: "arg.delegate" } });
    expect(stripper.denials).toEqual([]);
    stripper.destroy();
    // …and the chair deleting the paragraph takes its bracket with it.
    const presiding = collabClient(server.url, doc.id, chair.cookie);
    await presiding.synced;
    textFragment(presiding.doc).delete(index, 1);
    await eventually(async () => (await chair.get(`/api/documents/${doc.id}/brackets`)).body.clean === true, 5000, "both closed");
    expect((await chair.get(`/api/brackets/${inOp1.body.id}`)).body).toMatchObject({ state: "removed", closed: { how: "text_deleted", by: "chair" } });
    expect((await chair.get(`/api/brackets/${inOp1.body.id}`)).body.paragraphRef).toBe("OP1");
    expect(presiding.denials).toEqual([]);
    presiding.destroy();
  });
});

describe("a bracket around several paragraphs stripped at once", () => {
  it("is closed once when one update strips its marks from all of its paragraphs", async () => {
    const doc = await freshDeclaration("Stripped paragraphs declaration");
    const [op1, op2] = [await doc.op(1), await doc.op(2)];
    const opened = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op1.id, op2.id] });
    expect(opened.status).toBe(201);
    const client = collabClient(server.url, doc.id, arg.cookie);
    await client.synced;
    const texts = [op1.id, op2.id].map(
      (id) => (textFragment(client.doc).toArray().find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === id) as Y.XmlElement).get(0) as Y.XmlText,
    );
    // Both paragraphs in one transaction: one update, both read in the same flush.
    client.doc.transact(() => {
      for (const text of texts) {
        const [key] = Object.keys(text.toDelta().find((d: { attributes?: object }) => d.attributes)!.attributes!);
        text.format(0, text.length, { [key!]: null });
      }
    });
    await eventually(async () => (await chair.get(`/api/brackets/${opened.body.id}`)).body.state === "removed", 5000, "the bracket closed");
    expect(client.denials).toEqual([]);
    const audit = await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${doc.id}&action=bracket.removed`);
    expect(audit.body.map((e: { username: string; targetId: string }) => [e.username, e.targetId])).toEqual([["arg.delegate", opened.body.id]]);
    client.destroy();
  });
});

describe("input and scope", () => {
  it("answers 400, 404 and 409 for mistakes and never confirms other ids", async () => {
    const doc = await freshDeclaration("Mistakes declaration");
    const op1 = await doc.op(1);
    const path = `/api/documents/${doc.id}/brackets`;
    expect((await arg.post(path, { paragraphId: op1.id, from: 5, to: 5 })).status).toBe(400);
    expect((await arg.post(path, { paragraphId: op1.id, from: 0, to: 999 })).status).toBe(400);
    expect((await arg.post(path, { paragraphId: op1.id, from: "a", to: 3 })).status).toBe(400);
    expect((await arg.post(path, { paragraphId: "pNoSuchParagraph", from: 0, to: 3 })).status).toBe(404);
    const title = (await chair.get(`/api/documents/${doc.id}/content`)).body.canonical.paragraphs[0];
    expect((await arg.post(path, { paragraphId: title.id, from: 0, to: 3 })).status).toBe(409);
    expect((await chair.post(path, { paragraphId: op1.id, from: 0, to: 3 })).status).toBe(403);
    expect((await arg.post(`/api/documents/dNoSuchDocument/brackets`, { paragraphId: op1.id, from: 0, to: 3 })).status).toBe(404);
    expect((await arg.get(`/api/brackets/bNoSuchBracket`)).status).toBe(404);
    expect((await arg.post(`/api/brackets/bNoSuchBracket/options`, { text: "x" })).status).toBe(404);
    const opened = await arg.post(path, { paragraphId: op1.id, from: 0, to: 2 });
    expect((await arg.post(`/api/brackets/${opened.body.id}/options`, { text: "   " })).status).toBe(400);
    expect((await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "maybe" })).status).toBe(400);
  });
});

describe("resolution while a delegate types", () => {
  it("converges: what was typed inside the deleted option survives without its bracket, nothing is refused", async () => {
    const doc = await freshDeclaration("Concurrent declaration");
    const op2 = await doc.op(2);
    const first = await bracketWords(arg, doc.id, op2, "strengthen");
    const option = await can.post(`/api/brackets/${first.body.id}/options`, { text: "deepen" });
    expect(option.status).toBe(201);
    await arg.delete(`/api/brackets/${first.body.id}/holders`);
    const client = collabClient(server.url, doc.id, bra.cookie);
    await client.synced;
    await eventually(() => client.canonical().paragraphs.find((p) => p.id === op2.id)!.text.includes("strengthen / deepen"), 5000, "option arrives");
    // Offline, the delegate types inside the option about to be deleted and at the end.
    client.provider.disconnect();
    const el = textFragment(client.doc)
      .toArray()
      .find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === op2.id) as Y.XmlElement;
    const text = el.get(0) as Y.XmlText;
    text.insert("To stren".length, "X");
    text.insert(text.length, " Indeed.");
    const chosen = await chair.post(`/api/brackets/${option.body.id}/resolution`, { action: "choose" });
    expect(chosen.status).toBe(200);
    client.provider.connect();
    const expected = "To Xdeepen cooperation among national authorities. Indeed.";
    await eventually(async () => (await doc.op(2)).text === expected, 5000, "server converges");
    await eventually(() => client.canonical().paragraphs.find((p) => p.id === op2.id)!.text === expected, 5000, "client converges");
    expect(client.denials).toEqual([]);
    const server_ = (await chair.get(`/api/documents/${doc.id}/content`)).body.canonical;
    expect(server_).toEqual(client.canonical());
    expect(server_.paragraphs.find((p: { id: string }) => p.id === op2.id).brackets).toEqual([]);
    client.destroy();
  });
});

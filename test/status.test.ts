import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, } from "./helpers/collab.js";
import { logins } from "./helpers/lifecycle.js";
import { textFragment } from "../schema/index.js";
import type { ApiClient } from "./helpers/api.js";

let server: TestServer;
let docId: string;
let arg: ApiClient, chair: ApiClient, wg1: ApiClient, observer: ApiClient;
let refs: Map<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  docId = server.demo.documents.declaration!;
  [arg, chair, wg1, observer] = await logins(server, ["arg.delegate", "chair", "wg1.chair", "observer"] as const);
  const content = (await chair.get(`/api/documents/${docId}/content`)).body.canonical;
  refs = new Map(content.paragraphs.filter((p: { ref: string | null }) => p.ref).map((p: { ref: string; id: string }) => [p.ref, p.id]));
});
afterAll(async () => {
  await server?.stop();
});

const statusPath = (ref: string, doc = docId) => `/api/documents/${doc}/paragraphs/${refs.get(ref)}/status`;

describe("paragraph status", () => {
  it("turning OP3 green with a bracket open gets 409 naming the bracket", async () => {
    const op3 = (await arg.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs.find((p: { ref: string }) => p.ref === "OP3");
    const from = op3.text.indexOf("shall");
    const opened = await arg.post(`/api/documents/${docId}/brackets`, { paragraphId: op3.id, from, to: from + 5 });
    expect(opened.status).toBe(201);
    const green = await chair.put(statusPath("OP3"), { status: "green" });
    expect(green.status).toBe(409);
    expect(green.body.error).toContain(`bracket ${opened.body.label} "shall" is open in OP3`);
    expect(green.body.reasons).toEqual([`bracket ${opened.body.label} "shall" is open in OP3`]);
    expect((await chair.put(statusPath("OP3"), { status: "yellow" })).status).toBe(409);
    const statuses = (await chair.get(`/api/documents/${docId}/paragraph-statuses`)).body;
    expect(statuses.find((s: { ref: string }) => s.ref === "OP3").status).toBe("white");
    const blockers = server.ctx.guards.documentBlockers(server.ctx, docId);
    expect(blockers).toContain(`bracket ${opened.body.label} "shall" is open in OP3`);
    expect(blockers).toContain("OP3 is still white (not agreed)");
  });

  it("yellow and ad ref are the owning body's chair's; green the plenary chair's", async () => {
    expect((await arg.put(statusPath("OP2"), { status: "yellow" })).status).toBe(403);
    expect((await observer.put(statusPath("OP2"), { status: "yellow" })).status).toBe(403);
    expect((await wg1.put(statusPath("OP2"), { status: "yellow" })).status).toBe(403);
    const yellow = await chair.put(statusPath("OP2"), { status: "yellow" });
    expect(yellow.status).toBe(200);
    expect(yellow.body).toMatchObject({ paragraphId: refs.get("OP2"), ref: "OP2", status: "yellow", setBy: "chair" });
    expect((await chair.put(statusPath("OP2"), { status: "purple" })).status).toBe(400);
    expect((await chair.put(`/api/documents/${docId}/paragraphs/pNoSuchParagraph/status`, { status: "yellow" })).status).toBe(404);

    // A working group's report: its coordinator gives yellow, only the plenary chair green.
    const report = server.demo.documents.wg1!;
    const content = (await wg1.get(`/api/documents/${report}/content`)).body.canonical;
    const op3 = content.paragraphs.find((p: { ref: string }) => p.ref === "OP3").id;
    const path = `/api/documents/${report}/paragraphs/${op3}/status`;
    expect((await wg1.put(path, { status: "ad_ref" })).status).toBe(200);
    expect((await wg1.put(path, { status: "green" })).status).toBe(403);
    expect((await chair.put(path, { status: "green" })).status).toBe(200);
    expect((await wg1.put(path, { status: "yellow" })).status).toBe(403);
    const title = content.paragraphs[0].id;
    expect((await wg1.put(`/api/documents/${report}/paragraphs/${title}/status`, { status: "yellow" })).status).toBe(409);
  });

  it("asks every feature: a tabled amendment keeps its paragraph from turning yellow too", async () => {
    const tabled = (await chair.get(`/api/documents/${docId}/amendments?state=tabled`)).body as Array<{ number: string; paragraphRef: string; paragraphId: string }>;
    const target = tabled.find((a) => a.paragraphRef === "OP5");
    expect(target).toBeTruthy();
    const refused = await chair.put(`/api/documents/${docId}/paragraphs/${target!.paragraphId}/status`, { status: "yellow" });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toContain(`amendment ${target!.number} tabled on OP5`);
  });

  it("lists every PP and OP with its status, the demo's yellow ones included", async () => {
    const statuses = (await observer.get(`/api/documents/${docId}/paragraph-statuses`)).body as Array<{ ref: string; kind: string; status: string }>;
    expect(statuses.every((s) => s.kind === "pp" || s.kind === "op")).toBe(true);
    expect(statuses.length).toBe([...refs.keys()].length);
    const of = (ref: string) => statuses.find((s) => s.ref === ref)!.status;
    expect([of("PP3"), of("PP4"), of("PP6"), of("OP4(c)"), of("PP1")]).toEqual(["yellow", "yellow", "yellow", "ad_ref", "white"]);
    expect((await observer.get(`/api/documents/dNoSuchDocument/paragraph-statuses`)).status).toBe(404);
  });

  it("an agreed paragraph's text is locked: typing is refused with the reason until the chair reopens it", async () => {
    expect((await chair.put(statusPath("OP2"), { status: "green" })).status).toBe(200);
    let client = collabClient(server.url, docId, arg.cookie);
    await client.synced;
    const textOf = (ref: string) =>
      (textFragment(client.doc)
        .toArray()
        .find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === refs.get(ref)) as Y.XmlElement).get(0) as Y.XmlText;
    const serverText = async (ref: string) =>
      (await chair.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs.find((p: { ref: string }) => p.ref === ref).text as string;
    const before = await serverText("OP2");
    textOf("OP2").insert(textOf("OP2").length, " Amen.");
    await eventually(() => client.denials.length === 1, 5000, "the refusal");
    expect(client.denials[0]).toBe("update refused: OP2 is agreed in plenary by chair and locked; the chair must reopen it before its text can change");
    // A yellow paragraph is locked the same way (a fresh client: the refused edit's successors would be refused too).
    client.destroy();
    client = collabClient(server.url, docId, arg.cookie);
    await client.synced;
    textOf("PP3").insert(0, "Also ");
    await eventually(() => client.denials.length === 1, 5000, "the second refusal");
    expect(client.denials[0]).toContain("PP3 is agreed in the group");
    expect(await serverText("OP2")).toBe(before);
    const statuses = (await chair.get(`/api/documents/${docId}/paragraph-statuses`)).body;
    expect(statuses.find((s: { ref: string }) => s.ref === "OP2").status).toBe("green");
    client.destroy();

    // The chair reopens it (recorded, back to white); then it may be edited again.
    expect((await chair.put(statusPath("OP2"), { status: "white" })).status).toBe(200);
    const audit = (await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${docId}&action=paragraph.status_changed`)).body;
    expect(audit.at(-1)).toMatchObject({ username: "chair", targetId: refs.get("OP2"), details: { from: "green", to: "white", ref: "OP2" } });
    const again = collabClient(server.url, docId, arg.cookie);
    await again.synced;
    const op2 = (textFragment(again.doc)
      .toArray()
      .find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === refs.get("OP2")) as Y.XmlElement).get(0) as Y.XmlText;
    op2.insert(op2.length, " Amen.");
    await eventually(async () => (await serverText("OP2")) === `${before} Amen.`, 5000, "the edit stored");
    expect(again.denials).toEqual([]);
    again.destroy();
  });

  it("nothing changes an agreed paragraph's words: brackets, amendments to it, accepting them", async () => {
    const pp2 = refs.get("PP3")!;
    const opened = await arg.post(`/api/documents/${docId}/brackets`, { paragraphId: pp2, from: 0, to: 11 });
    expect(opened.status).toBe(409);
    expect(opened.body.error).toBe("no bracket can be opened here: PP3 is agreed in the group by chair and locked; the chair must reopen it before its text can change");
    const replace = await arg.post(`/api/documents/${docId}/amendments`, { paragraphId: pp2, operation: "replace", content: { text: "RECALLING the new words" } });
    expect(replace.status).toBe(201);
    const tabled = await arg.post(`/api/amendments/${replace.body.id}/table`);
    expect(tabled.status).toBe(409);
    expect(tabled.body.reasons).toEqual(["PP3 is agreed in the group by chair and locked; the chair must reopen it before its text can change"]);
    // A new paragraph beside it changes none of its words.
    const after = await arg.post(`/api/documents/${docId}/amendments`, { paragraphId: pp2, operation: "insert_after", content: { text: "NOTING also the new words" } });
    expect((await arg.post(`/api/amendments/${after.body.id}/table`)).status).toBe(200);
    // Reopened, the replacement may be tabled.
    expect((await chair.put(statusPath("PP3"), { status: "white" })).status).toBe(200);
    expect((await arg.post(`/api/amendments/${replace.body.id}/table`)).status).toBe(200);
  });

  it("the status feature keeps an agreed paragraph from a delegate's deletion; a white one is left to the other rules", async () => {
    const listed = (await chair.get(`/api/documents/${docId}/paragraph-statuses`)).body as Array<{ paragraphId: string; ref: string; status: string }>;
    const agreed = listed.find((s) => s.status !== "white")!;
    const white = listed.find((s) => s.status === "white")!;
    expect(agreed, JSON.stringify(listed)).toBeTruthy();
    const delegate = { id: "u-delegate", role: "delegate", delegation: "ARG", chairOf: [] } as const;
    expect(server.ctx.hooks.removalProblem(docId, delegate, agreed.paragraphId, null)).toContain(`paragraph ${agreed.paragraphId} is agreed`);
    expect(server.ctx.hooks.removalProblem(docId, { ...delegate, role: "chair" }, agreed.paragraphId, null)).toBeNull();
    expect(server.ctx.hooks.removalProblem(docId, delegate, white.paragraphId, null) ?? "").not.toContain("is agreed");
  });
});

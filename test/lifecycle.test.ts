import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { allowedTransitions, TRANSITIONS } from "../schema/lifecycle.js";
import { DOCUMENT_STATES, textFragment, type Actor, type DocumentState } from "../schema/index.js";
import { replaceBlockText } from "../schema/yfragment.js";
import { runCommand } from "../server/commands/command.js";
import { blockersSentence } from "../server/lifecycle/blockers.js";
import { HttpError } from "../server/http/errors.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { adopt, createTestDeclaration, logins, makeClean } from "./helpers/lifecycle.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Appends `text` to the text of block `index` in a client's doc. */
function typeInto(doc: Y.Doc, index: number, text: string): void {
  const el = textFragment(doc).get(index) as Y.XmlElement;
  const t = el.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

describe("the transition table", () => {
  it("names each (from, to) pair at most once and covers the document state machine", () => {
    const pairs = TRANSITIONS.flatMap((r) => r.from.map((f) => `${f}→${r.to}`));
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const s of ["draft", "negotiation", "agreed_ad_ref", "referred"]) expect(pairs).toContain(`${s}→withdrawn`);
    for (const s of ["adopted", "signed", "withdrawn"]) expect(pairs).not.toContain(`${s}→withdrawn`);
    for (const s of ["agreed_ad_ref", "referred", "adopted", "signed"]) expect(pairs).toContain(`${s}→negotiation`);
    for (const rule of TRANSITIONS) for (const f of rule.from) expect(DOCUMENT_STATES).toContain(f);
  });

  it("offers each actor only the moves it may make", () => {
    const facts = { bodyId: "adhoc", plenaryBodyIds: ["plenary"] };
    const chair: Actor = { id: "u1", role: "chair", delegation: "ARG", chairOf: ["adhoc", "plenary"] };
    const wgChair: Actor = { id: "u2", role: "chair", delegation: null, chairOf: ["wg1"] };
    const delegate: Actor = { id: "u3", role: "delegate", delegation: "BRA", chairOf: [] };
    const rapporteur: Actor = { id: "u4", role: "rapporteur", delegation: null, chairOf: [] };
    const secretariat: Actor = { id: "u5", role: "secretariat", delegation: null, chairOf: [] };
    const to = (actor: Actor, state: DocumentState, blockers?: string[]) =>
      allowedTransitions(actor, { ...facts, state, ...(blockers ? { blockers } : {}) });
    expect(to(chair, "negotiation").map((t) => t.to)).toEqual(["agreed_ad_ref", "withdrawn"]);
    expect(to(chair, "negotiation", ["OP9 is white"])[0]!.blockers).toEqual(["OP9 is white"]);
    expect(to(delegate, "negotiation")).toEqual([]);
    expect(to(wgChair, "referred")).toEqual([]);
    expect(to(rapporteur, "agreed_ad_ref").map((t) => t.to)).toEqual(["referred"]);
    expect(to(chair, "referred").map((t) => t.to)).toEqual(["adopted", "negotiation", "withdrawn"]);
    expect(to(secretariat, "referred").map((t) => t.to)).not.toContain("adopted");
    expect(to(chair, "adopted").map((t) => t.to)).toEqual(["negotiation"]);
    expect(to(chair, "adopted")[0]!.reasonRequired).toBe(true);
  });
});

describe("the sentence of a refusal", () => {
  it("counts brackets, amendments and white paragraphs with what they name, and quotes anything else", () => {
    const sentence = blockersSentence([
      "amendment A1 tabled on OP5",
      "amendment A2 tabled on PP6",
      'bracket B1 "strengthened" is open in PP8',
      'bracket B2 "enhanced" is open in PP8',
      'bracket B3 "within available resources" is open in OP4(a)',
      "OP9 is still white (not agreed)",
      "source report RTP-II/doc.1/09 changed since consolidation",
    ]);
    expect(sentence).toBe(
      "the document is not clean: 2 amendments undecided (A1, A2); 3 brackets open (PP8, OP4(a)); OP9 is still white (not agreed); source report RTP-II/doc.1/09 changed since consolidation",
    );
  });
});

describe("transitions through the API", () => {
  it("refuses agreement ad referendum with every reason at once", async () => {
    const { id } = createTestDeclaration(server, "Guarded declaration");
    const reasons = ["2 open brackets: OP3, OP7", "amendment A4 tabled", "OP9 is white"];
    // Stands in for the brackets, amendments and status features, through the same guard contract.
    server.ctx.guards.addDocumentCheck((_ctx, docId) => (docId === id ? reasons : []));
    const chair = await server.login("chair");
    const refused = await chair.post(`/api/documents/${id}/transitions`, { to: "agreed_ad_ref" });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toEqual(expect.arrayContaining(reasons));
    // The sentence names everything; white paragraphs are counted when the status feature reports others too.
    expect(refused.body.error).toContain("2 open brackets: OP3, OP7");
    expect(refused.body.error).toContain("amendment A4 tabled");
    expect(refused.body.error).toMatch(/OP9/);
    const offered = await chair.get(`/api/documents/${id}/transitions`);
    expect(offered.body.transitions.find((t: { to: string }) => t.to === "agreed_ad_ref").blockers).toEqual(expect.arrayContaining(reasons));
    expect((await chair.get(`/api/documents/${id}`)).body.state).toBe("negotiation");
  });

  it("checks who moves the document, which moves exist, and reasons", async () => {
    const { id } = createTestDeclaration(server, "Permissions declaration");
    const [chair, delegate, wg1, secretariat, rapporteur] = await logins(server, ["chair", "arg.delegate", "wg1.chair", "secretariat", "rapporteur"] as const);
    await makeClean(server, id, chair);
    const path = `/api/documents/${id}/transitions`;
    expect((await delegate.post(path, { to: "agreed_ad_ref" })).status).toBe(403);
    expect((await wg1.post(path, { to: "agreed_ad_ref" })).status).toBe(403);
    expect((await chair.post(path, { to: "adopted" })).status).toBe(409);
    expect((await chair.post(path, { to: "negotiation" })).status).toBe(409);
    expect((await chair.post(path, { to: "nonsense" })).status).toBe(400);
    expect((await chair.post(path, { to: "withdrawn" })).status).toBe(400);
    expect((await delegate.get(path)).body.transitions).toEqual([]);
    expect((await chair.post(path, { to: "agreed_ad_ref" })).status).toBe(200);
    expect((await rapporteur.post(path, { to: "referred" })).status).toBe(200);
    expect((await secretariat.post(path, { to: "adopted" })).status).toBe(403);
    expect((await wg1.post(path, { to: "adopted" })).status).toBe(403);
    const signed = await chair.post(path, { to: "signed" });
    expect(signed.status).toBe(409);
    const adopted = await chair.post(path, { to: "adopted" });
    expect(adopted.status).toBe(200);
    expect(adopted.body.state).toBe("adopted");
    expect((await chair.post(path, { to: "withdrawn", reason: "too late" })).status).toBe(409);
    expect((await chair.post(path, { to: "signed" })).body.reasons.length).toBe(35);
    expect((await delegate.post(`/api/documents/nonexistent/transitions`, { to: "adopted" })).status).toBe(404);
  });

  it("stores a version at every step and audits each move with before and after", async () => {
    const { id } = createTestDeclaration(server, "Versioned declaration");
    const chair = await server.login("chair");
    const events = await listenEvents(server.url, id, chair.cookie);
    await makeClean(server, id, chair);
    await adopt(server, id, chair);
    const versions = (await chair.get(`/api/documents/${id}/versions`)).body as Array<{ label: string; reason: string; state: string; hash: string }>;
    const transitions = versions.filter((v) => v.reason === "transition");
    expect(transitions.map((v) => [v.label, v.state])).toEqual([
      ["as agreed ad referendum", "agreed_ad_ref"],
      ["as referred to the plenary", "referred"],
      ["as adopted", "adopted"],
    ]);
    expect(transitions.at(-1)!.hash).toBe((await chair.get(`/api/documents/${id}/content`)).body.hash);
    const moved = await events.waitFor("document.transitioned", (e) => e.data.state === "adopted");
    expect(moved.data.id).toBe(id);
    expect(moved.actor.username).toBe("chair");
    const audit = (await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${id}&action=document.transitioned`)).body;
    expect(audit.map((e: { details: { before: { state: string }; after: { state: string } } }) => [e.details.before.state, e.details.after.state])).toEqual([
      ["negotiation", "agreed_ad_ref"],
      ["agreed_ad_ref", "referred"],
      ["referred", "adopted"],
    ]);
    const last = audit.at(-1);
    const before = (await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${id}&before=${last.seq}&targetId=${id}`)).body;
    expect(before.every((e: { seq: number; targetId: string }) => e.seq < last.seq && e.targetId === id)).toBe(true);
    expect(before.length).toBeGreaterThanOrEqual(3);
    events.close();
  });
});

describe("freeze at adoption", () => {
  it("stock clients connected before and after adoption cannot change the text; others see nothing", async () => {
    const { id } = createTestDeclaration(server, "Frozen declaration");
    const [chair, arg, bra, mex] = await logins(server, ["chair", "arg.delegate", "bra.delegate", "mex.delegate"] as const);
    const before = collabClient(server.url, id, arg.cookie);
    const watcher = collabClient(server.url, id, bra.cookie);
    const events = await listenEvents(server.url, id, arg.cookie);
    await Promise.all([before.synced, watcher.synced]);
    // The same client could write while the text was under negotiation.
    typeInto(before.doc, 2, " (as amended)");
    await eventually(() => watcher.canonical().paragraphs[2]!.text.endsWith("(as amended)"), 5000, "edit before adoption");
    await makeClean(server, id, chair);
    await adopt(server, id, chair);
    await events.waitFor("access.changed", (e) => e.data.canWrite === false && e.data.state === "adopted");
    const adoptedHash = (await chair.get(`/api/documents/${id}/versions`)).body.at(-1).hash;

    typeInto(before.doc, 2, " FROZEN-BEFORE");
    await eventually(() => before.denials.length > 0, 5000, "refusal of the old connection");
    expect(before.denials[0]).toMatch(/adopted/);
    const after = collabClient(server.url, id, mex.cookie);
    await after.synced;
    typeInto(after.doc, 3, " FROZEN-AFTER");
    await eventually(() => after.denials.length > 0, 5000, "refusal of the new connection");
    expect(after.denials[0]).toMatch(/adopted/);

    const content = (await chair.get(`/api/documents/${id}/content`)).body;
    expect(content.hash).toBe(adoptedHash);
    expect(JSON.stringify(content.canonical)).not.toContain("FROZEN");
    expect(JSON.stringify(watcher.canonical())).not.toContain("FROZEN");
    expect(watcher.canonical()).toEqual(content.canonical);
    // The server's own commands are refused too.
    expect(() =>
      runCommand(server.ctx, (tx) => tx.changeText(id, null, (fragment) => replaceBlockText(fragment, 2, [{ text: "changed by a command" }]))),
    ).toThrow(HttpError);
    // And so are the features' HTTP commands that would touch the text (a new bracket here).
    const bracket = await arg.post(`/api/documents/${id}/brackets`, { paragraphId: content.canonical.paragraphs[2].id, from: 0, to: 5 });
    expect(bracket.status).toBeGreaterThanOrEqual(400);
    expect(bracket.status).toBeLessThan(500);
    expect((await chair.get(`/api/documents/${id}/content`)).body.hash).toBe(adoptedHash);
    for (const c of [before, after, watcher]) c.destroy();
    events.close();
  });

  it("reopening needs a reason and gives writers their pen back", async () => {
    const { id } = createTestDeclaration(server, "Reopened declaration");
    const [chair, arg, wg1] = await logins(server, ["chair", "arg.delegate", "wg1.chair"] as const);
    await makeClean(server, id, chair);
    await adopt(server, id, chair);
    const events = await listenEvents(server.url, id, arg.cookie);
    await events.waitFor("access.changed", (e) => e.data.canWrite === false);
    expect((await chair.post(`/api/documents/${id}/transitions`, { to: "reopened" })).status).toBe(400);
    expect((await wg1.post(`/api/documents/${id}/transitions`, { to: "reopened", reason: "x" })).status).toBe(403);
    const reopened = await chair.post(`/api/documents/${id}/transitions`, { to: "reopened", reason: "a delegation asked to revisit OP2" });
    expect(reopened.status).toBe(200);
    expect(reopened.body.state).toBe("negotiation");
    await events.waitFor("access.changed", (e) => e.data.canWrite === true && e.data.state === "negotiation");
    // The document is open again, but what was agreed stays locked until the chair reopens the paragraph.
    const op = (await chair.get(`/api/documents/${id}/content`)).body.canonical.paragraphs[2];
    expect((await chair.put(`/api/documents/${id}/paragraphs/${op.id}/status`, { status: "white" })).status).toBe(200);
    const client = collabClient(server.url, id, arg.cookie);
    await client.synced;
    typeInto(client.doc, 2, " again");
    await eventually(async () => (await arg.get(`/api/documents/${id}/content`)).body.canonical.paragraphs[2].text.endsWith(" again"), 5000, "edit after reopening");
    client.destroy();
    events.close();
  });

  it("withdrawing needs a reason, freezes the text at once and ends the document's moves", async () => {
    const { id } = createTestDeclaration(server, "Withdrawn declaration");
    const [secretariat, arg, delegate] = await logins(server, ["secretariat", "arg.delegate", "bra.delegate"] as const);
    const events = await listenEvents(server.url, id, arg.cookie);
    await events.waitFor("access.changed", (e) => e.data.canWrite === true);
    expect((await delegate.post(`/api/documents/${id}/transitions`, { to: "withdrawn", reason: "mine" })).status).toBe(403);
    const withdrawn = await secretariat.post(`/api/documents/${id}/transitions`, { to: "withdrawn", reason: "merged into the declaration" });
    expect(withdrawn.status).toBe(200);
    await events.waitFor("access.changed", (e) => e.data.canWrite === false && e.data.state === "withdrawn");
    expect((await secretariat.get(`/api/documents/${id}/transitions`)).body.transitions).toEqual([]);
    expect((await secretariat.post(`/api/documents/${id}/transitions`, { to: "negotiation", reason: "back" })).status).toBe(409);
    expect((await delegate.post(`/api/documents/${id}/reservations`, { text: "too late" })).status).toBe(409);
    events.close();
  });
});

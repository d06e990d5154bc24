import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { logins } from "./helpers/lifecycle.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { bracketKey, textFragment, type CanonicalParagraph } from "../schema/index.js";

let server: TestServer;
let docId: string;
beforeAll(async () => {
  server = await startTestServer();
  docId = server.demo.documents.declaration!;
});
afterAll(async () => {
  await server?.stop();
});

const byRef = (paragraphs: CanonicalParagraph[], ref: string) => paragraphs.find((p) => p.ref === ref)!;

/** Consecutive duplicates dropped: the distinct states a client went through. */
function distinct<T>(values: T[]): T[] {
  return values.filter((v, i) => i === 0 || v !== values[i - 1]);
}

/** The XmlText of the block with `id` in a client's doc. */
function yTextOf(doc: Y.Doc, id: string): Y.XmlText {
  const el = textFragment(doc)
    .toArray()
    .find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === id) as Y.XmlElement;
  return el.get(0) as Y.XmlText;
}

describe("the bracket scenario: hold, option, lift, resolve", () => {
  it("ARG brackets 'shall' in OP3 and adds 'agree to'; CAN joins; ARG and CAN lift; the chair keeps 'agree to'", async () => {
    const [arg, can, chair, usa] = await logins(server, ["arg.delegate", "can.delegate", "chair", "usa.delegate"] as const);
    const watcher = collabClient(server.url, docId, usa.cookie);
    await watcher.synced;
    const events = await listenEvents(server.url, docId, usa.cookie);
    const seen: string[] = [];
    watcher.doc.on("update", () => seen.push(byRef(watcher.canonical().paragraphs, "OP3").text));

    const op3 = byRef((await arg.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs, "OP3");
    expect(op3.text).toMatch(/^That member states shall adopt /);
    const from = op3.text.indexOf("shall");

    const opened = await arg.post(`/api/documents/${docId}/brackets`, { paragraphId: op3.id, from, to: from + "shall".length });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ paragraphId: op3.id, paragraphRef: "OP3", text: "shall", holders: ["ARG"], state: "open", group: null });
    expect(opened.body.label).toMatch(/^B\d+$/);
    const shall = opened.body.id as string;

    const option = await arg.post(`/api/brackets/${shall}/options`, { text: "agree to" });
    expect(option.status).toBe(201);
    expect(option.body).toMatchObject({ paragraphId: op3.id, text: "agree to", holders: [], state: "open" });
    const agreeTo = option.body.id as string;
    const group = option.body.group as string;
    expect(group).toBeTruthy();
    expect((await arg.get(`/api/brackets/${shall}`)).body.group).toBe(group);

    const joined = await can.post(`/api/brackets/${shall}/holders`);
    expect(joined.status).toBe(200);
    expect(joined.body.holders).toEqual(["ARG", "CAN"]);
    expect((await arg.delete(`/api/brackets/${shall}/holders`)).body.holders).toEqual(["CAN"]);
    expect((await can.delete(`/api/brackets/${shall}/holders`)).body.holders).toEqual([]);

    await eventually(() => byRef(watcher.canonical().paragraphs, "OP3").brackets.length === 2, 5000, "the option in the watcher's text");
    const resolved = await chair.post(`/api/brackets/${agreeTo}/resolution`, { action: "choose" });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ state: "resolved", text: "agree to", closed: { how: "chosen", by: "chair" } });

    const final = "That member states agree to adopt national strategies, plans and programmes against trafficking in persons, with adequate resources and measurable results.";
    await eventually(() => byRef(watcher.canonical().paragraphs, "OP3").text === final, 5000, "the resolution in the watcher's text");
    // The watcher saw each command as one change: never a half-resolved paragraph.
    expect(distinct(seen)).toEqual([op3.text, op3.text.replace("shall", "shall / agree to"), final]);
    expect(byRef(watcher.canonical().paragraphs, "OP3").brackets).toEqual([]);
    const content = (await usa.get(`/api/documents/${docId}/content`)).body.canonical;
    expect(byRef(content.paragraphs, "OP3")).toEqual(byRef(watcher.canonical().paragraphs, "OP3"));

    const register = (await usa.get(`/api/documents/${docId}/brackets`)).body;
    expect(register.byParagraph.OP3).toBeUndefined();
    const inOp3 = register.brackets.filter((b: { paragraphId: string }) => b.paragraphId === op3.id);
    expect(inOp3.map((b: { id: string; state: string }) => [b.id, b.state]).sort()).toEqual([[agreeTo, "resolved"], [shall, "removed"]].sort());
    expect(inOp3.find((b: { id: string }) => b.id === shall).closed.how).toBe("not_chosen");
    expect((await chair.put(`/api/documents/${docId}/paragraphs/${op3.id}/status`, { status: "yellow" })).status).toBe(200);

    for (const type of ["bracket.opened", "bracket.option_added", "bracket.held", "bracket.lifted", "bracket.resolved"]) await events.waitFor(type);
    const shallHistory = (await usa.get(`/api/brackets/${shall}`)).body.history.map((h: { action: string; delegation: string | null }) => `${h.action} ${h.delegation}`);
    expect(shallHistory).toEqual(["bracket.opened ARG", "bracket.held CAN", "bracket.lifted ARG", "bracket.lifted CAN", "bracket.resolved ARG"]);
    events.close();
    watcher.destroy();
  });
});

describe("the server owns bracket marks", () => {
  it("refuses a client update that invents a bracket mark", async () => {
    const mex = await server.login("mex.delegate");
    const client = collabClient(server.url, docId, mex.cookie);
    await client.synced;
    const before = (await mex.get(`/api/documents/${docId}/content`)).body.hash;
    const op1 = byRef(client.canonical().paragraphs, "OP1");
    const invented = { id: "bInventedByClient", group: null };
    yTextOf(client.doc, op1.id).format(0, 5, { [bracketKey(invented)]: invented });
    await eventually(() => client.denials.length > 0, 5000, "refusal");
    expect(client.denials[0]).toMatch(/bracket "bInventedByClient" does not exist/);
    expect((await mex.get(`/api/documents/${docId}/content`)).body.hash).toBe(before);
    client.destroy();
  });

  it("refuses a client update that stretches a bracket into another paragraph", async () => {
    const mex = await server.login("mex.delegate");
    const register = (await mex.get(`/api/documents/${docId}/brackets?state=open`)).body;
    const seeded = register.brackets.find((b: { text: string }) => b.text === "within available resources");
    expect(seeded).toBeTruthy();
    const client = collabClient(server.url, docId, mex.cookie);
    await client.synced;
    const before = (await mex.get(`/api/documents/${docId}/content`)).body.hash;
    const paragraphs = client.canonical().paragraphs;
    const index = paragraphs.findIndex((p) => p.id === seeded.paragraphId);
    const next = paragraphs[index + 1]!;
    const mark = { [bracketKey({ id: seeded.id, group: seeded.group })]: { id: seeded.id, group: seeded.group } };
    client.doc.transact(() => {
      const own = yTextOf(client.doc, seeded.paragraphId);
      own.format(seeded.to, own.length - seeded.to, mark);
      yTextOf(client.doc, next.id).format(0, 8, mark);
    });
    await eventually(() => client.denials.length > 0, 5000, "refusal");
    expect(client.denials[0]).toMatch(/bracket B\d+ belongs to OP\d+; a bracket stays inside its paragraph/);
    expect((await mex.get(`/api/documents/${docId}/content`)).body.hash).toBe(before);
    client.destroy();
  });
});

describe("closed brackets stay closed", () => {
  it("refuses a client update that brings back the mark of a resolved bracket", async () => {
    const [arg, chair] = await logins(server, ["arg.delegate", "chair"] as const);
    const op4 = byRef((await arg.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs, "OP4");
    const opened = await arg.post(`/api/documents/${docId}/brackets`, { paragraphId: op4.id, from: 3, to: 13 });
    expect(opened.status).toBe(201);
    const kept = await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "keep", reason: "agreed" });
    expect(kept.status).toBe(200);
    const client = collabClient(server.url, docId, arg.cookie);
    await client.synced;
    const before = (await arg.get(`/api/documents/${docId}/content`)).body.hash;
    const mark = { id: opened.body.id, group: null };
    yTextOf(client.doc, op4.id).format(3, 10, { [bracketKey(mark)]: mark });
    await eventually(() => client.denials.length > 0, 5000, "refusal");
    expect(client.denials[0]).toMatch(new RegExp(`bracket ${opened.body.label} is resolved; its mark cannot come back`));
    expect((await arg.get(`/api/documents/${docId}/content`)).body.hash).toBe(before);
    client.destroy();
  });
});

describe("holds", () => {
  it("a delegate lifting another delegation's hold gets 403", async () => {
    const [arg, bra] = await Promise.all([server.login("arg.delegate"), server.login("bra.delegate")]);
    const op2 = byRef((await arg.get(`/api/documents/${docId}/content`)).body.canonical.paragraphs, "OP2");
    const opened = await arg.post(`/api/documents/${docId}/brackets`, { paragraphId: op2.id, from: 0, to: 6 });
    expect(opened.status).toBe(201);
    const lift = await bra.delete(`/api/brackets/${opened.body.id}/holders`);
    expect(lift.status).toBe(403);
    expect(lift.body.error).toMatch(/BRA does not hold bracket B\d+ \(it is held by ARG\)/);
    const named = await bra.delete(`/api/brackets/${opened.body.id}/holders`, { delegation: "ARG" });
    expect(named.status).toBe(403);
    expect((await bra.get(`/api/brackets/${opened.body.id}`)).body.holders).toEqual(["ARG"]);
    expect((await arg.post(`/api/brackets/${opened.body.id}/holders`)).status).toBe(409);
    const observer = await server.login("observer");
    expect((await observer.post(`/api/brackets/${opened.body.id}/holders`)).status).toBe(403);
  });
});

describe("the demo", () => {
  it("opens the declaration's seed brackets, held by realistic delegations, with one option group", async () => {
    const observer = await server.login("observer");
    const register = (await observer.get(`/api/documents/${docId}/brackets?state=open&history=1`)).body;
    const seeded = register.brackets.filter((b: { openedBy: { username: string } }) => b.openedBy.username !== "arg.delegate");
    const summary = seeded.map((b: { paragraphRef: string; text: string; holders: string[]; group: string | null }) => [b.paragraphRef, b.text, b.holders, b.group !== null]);
    expect(summary).toEqual([
      ["PP7", "strengthened", ["USA"], true],
      ["PP7", "enhanced", [], true],
      ["OP6", "including specialized shelters and care", ["CAN", "USA"], false],
      ["OP7", "within available resources", ["VEN", "BOL"], false],
    ]);
    expect(seeded[0].history[0]).toMatchObject({ action: "bracket.opened", username: "usa.delegate", delegation: "USA" });
    const compilation = (await observer.get(`/api/documents/${docId}/register/compilation`)).body;
    expect(compilation.text).toContain(`requires [strengthened]{${seeded[0].label}: USA} / [enhanced]{${seeded[1].label}} international cooperation;`);
  });
});

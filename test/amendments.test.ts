import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";
import { blocksOfDoc, canonicalize, textFragment, type CanonicalDocument, type FrozenLabel } from "../schema/index.js";

let server: TestServer;
let declaration: string;
beforeAll(async () => {
  server = await startTestServer();
  declaration = server.demo.documents.declaration!;
});
afterAll(async () => {
  await server?.stop();
});

/** Signs in several demo accounts at once. */
function logins<const T extends readonly string[]>(...names: T): Promise<{ [K in keyof T]: ApiClient }> {
  return Promise.all(names.map((n) => server.login(n))) as Promise<{ [K in keyof T]: ApiClient }>;
}

/** The id and text of the paragraph cited as `ref` in a document, read through the API. */
async function paragraph(client: ApiClient, documentId: string, ref: string): Promise<{ id: string; text: string }> {
  const { body } = await client.get(`/api/documents/${documentId}/content`);
  const p = body.canonical.paragraphs.find((x: { ref: string }) => x.ref === ref);
  if (!p) throw new Error(`no ${ref}`);
  return { id: p.id, text: p.text };
}

/** Drafts and tables an amendment; returns the tabled amendment. */
async function table(client: ApiClient, documentId: string, body: Record<string, unknown>): Promise<any> {
  const drafted = await client.post(`/api/documents/${documentId}/amendments`, body);
  expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
  const tabled = await client.post(`/api/amendments/${drafted.body.id}/table`);
  expect(tabled.status, JSON.stringify(tabled.body)).toBe(200);
  return tabled.body;
}

/** Appends text to block `index` of a client's doc, as a typing delegate would. */
function typeInto(doc: Y.Doc, index: number, text: string): void {
  const t = (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
  t.insert(t.length, text);
}

const ARG_WORDING =
  "To urge member states that have not yet done so to sign, ratify or accede to, and fully implement, the Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children.";

describe("the amendment scenario on OP2", () => {
  it("ARG's replacement, co-sponsored by BRA and MEX, is accepted over USA's deletion; live text, staleness and audit follow", async () => {
    const [arg, bra, mex, usa, chair] = await logins("arg.delegate", "bra.delegate", "mex.delegate", "usa.delegate", "chair");
    const live = collabClient(server.url, declaration, arg.cookie);
    const events = await listenEvents(server.url, declaration, mex.cookie);
    await live.synced;
    const op2 = await paragraph(arg, declaration, "OP2");

    const drafted = await arg.post(`/api/documents/${declaration}/amendments`, {
      paragraphId: op2.id,
      operation: "replace",
      content: { text: ARG_WORDING },
      rationale: "Ratification alone is not enough; implementation matters.",
    });
    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({ state: "draft", number: null, sponsor: "ARG", paragraphId: op2.id, paragraphRef: "OP2" });
    // A draft is ARG's working paper until tabled.
    expect((await bra.get(`/api/amendments/${drafted.body.id}`)).status).toBe(404);
    expect((await bra.get(`/api/documents/${declaration}/amendments`)).body.map((a: any) => a.id)).not.toContain(drafted.body.id);

    const tabled = await arg.post(`/api/amendments/${drafted.body.id}/table`);
    expect(tabled.status).toBe(200);
    expect(tabled.body.state).toBe("tabled");
    expect(tabled.body.number).toMatch(/^A\d+$/);
    expect(tabled.body.baseText).toBe(op2.text);
    const argId: string = tabled.body.id;
    const seen = await events.waitFor("amendment.tabled", (e) => e.data.id === argId);
    expect(seen.data.content).toEqual({ text: ARG_WORDING });
    expect(seen.actor.delegation).toBe("ARG");

    expect((await bra.post(`/api/amendments/${argId}/cosponsors`)).status).toBe(200);
    const joined = await mex.post(`/api/amendments/${argId}/cosponsors`);
    expect(joined.body.cosponsors).toEqual(["BRA", "MEX"]);
    expect(joined.body.cosponsorships.every((c: any) => typeof c.joinedAt === "string")).toBe(true);

    const usaAmendment = await table(usa, declaration, { paragraphId: op2.id, operation: "delete", rationale: "OP2 repeats PP4." });
    expect(usaAmendment.collidesWith).toEqual([argId]);
    const detail = await chair.get(`/api/amendments/${argId}`);
    expect(detail.body.collidesWith).toEqual([usaAmendment.id]);
    expect(detail.body.diff.current).toEqual(detail.body.diff.base);
    expect(detail.body.diff.current.some((r: any) => r.op === "insert" && r.text.includes("fully implement"))).toBe(true);
    expect(detail.body.diff.current.map((r: any) => (r.op === "insert" ? "" : r.text)).join("")).toBe(op2.text);

    // While both are on the table, the document and OP2 cannot be agreed.
    const blockers = server.ctx.guards.documentBlockers(server.ctx, declaration);
    expect(blockers).toContain(`amendment ${tabled.body.number} tabled on OP2`);
    expect(server.ctx.guards.paragraphBlockers(server.ctx, declaration, op2.id)).toHaveLength(2);

    const decided = await chair.post(`/api/amendments/${argId}/decision`, { decision: "accepted", reason: "Agreed in the room." });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body).toMatchObject({ state: "accepted", decidedBy: "chair", decisionReason: "Agreed in the room.", resultParagraphIds: [op2.id] });

    // The stock client, connected throughout, holds ARG's wording in OP2.
    await eventually(() => live.canonical().paragraphs.find((p) => p.id === op2.id)?.text === ARG_WORDING, 5000, "ARG's wording live");
    expect(live.canonical().paragraphs.find((p) => p.id === op2.id)!.ref).toBe("OP2");
    expect((await paragraph(chair, declaration, "OP2")).text).toBe(ARG_WORDING);

    const usaAfter = await usa.get(`/api/amendments/${usaAmendment.id}`);
    expect(usaAfter.body.state).toBe("stale");
    expect(usaAfter.body.staleReason).toContain(`${tabled.body.number} to the same paragraph (OP2) was accepted`);
    await events.waitFor("amendment.stale", (e) => e.data.id === usaAmendment.id);
    await events.waitFor("amendment.decided", (e) => e.data.id === argId && e.data.state === "accepted");

    const origins = await mex.get(`/api/documents/${declaration}/paragraph-origins`);
    expect(origins.body).toContainEqual(expect.objectContaining({ paragraphId: op2.id, amendmentId: argId, ref: "OP2", present: true, sponsor: "ARG" }));

    const audit = await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${declaration}&action=amendment&limit=1000`);
    const trail = audit.body
      .filter((e: any) => e.targetId === argId || e.targetId === usaAmendment.id)
      .map((e: any) => `${e.action} ${e.username}${e.details.delegation ? ` ${e.details.delegation}` : ""}`);
    expect(trail).toEqual([
      "amendment.drafted arg.delegate",
      "amendment.tabled arg.delegate",
      "amendment.cosponsor_joined bra.delegate BRA",
      "amendment.cosponsor_joined mex.delegate MEX",
      "amendment.drafted usa.delegate",
      "amendment.tabled usa.delegate",
      "amendment.stale system",
      "amendment.decided chair",
    ]);
    const decision = audit.body.find((e: any) => e.action === "amendment.decided" && e.targetId === argId);
    expect(decision.details).toMatchObject({ decision: "accepted", resultParagraphIds: [op2.id], content: { text: ARG_WORDING } });

    events.close();
    live.destroy();
  });
});

describe("forbidden moves", () => {
  it("refuses a delegate deciding and a delegation withdrawing another's amendment (403)", async () => {
    const [bra, col, chair] = await logins("bra.delegate", "col.delegate", "chair");
    const op3 = await paragraph(bra, declaration, "OP3");
    const a = await table(bra, declaration, { paragraphId: op3.id, operation: "replace", content: { text: "That member states should adopt national strategies." } });
    const decided = await col.post(`/api/amendments/${a.id}/decision`, { decision: "accepted" });
    expect(decided.status).toBe(403);
    expect(decided.body.error).toMatch(/chair/);
    const withdrawn = await col.post(`/api/amendments/${a.id}/withdraw`);
    expect(withdrawn.status).toBe(403);
    expect(withdrawn.body.error).toMatch(/BRA/);
    const edited = await col.patch(`/api/amendments/${a.id}`, { rationale: "mine now" });
    expect(edited.status).toBe(403);
    // A chair of another body (a working group) does not decide the declaration's amendments.
    const wg1 = await server.login("wg1.chair");
    expect((await wg1.post(`/api/amendments/${a.id}/decision`, { decision: "rejected" })).status).toBe(403);
    expect((await (await server.login("observer")).post(`/api/documents/${declaration}/amendments`, { paragraphId: op3.id, operation: "delete" })).status).toBe(403);
    // Nothing happened to it; its sponsor may withdraw it.
    const back = await bra.post(`/api/amendments/${a.id}/withdraw`, { reason: "overtaken" });
    expect(back.body.state).toBe("withdrawn");
    expect((await chair.post(`/api/amendments/${a.id}/decision`, { decision: "accepted" })).status).toBe(409);
  });

  it("refuses a paragraph id that does not exist, with a reason (409)", async () => {
    const arg = await server.login("arg.delegate");
    const res = await arg.post(`/api/documents/${declaration}/amendments`, { paragraphId: "pNoSuchParagraph", operation: "replace", content: { text: "x" } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/paragraph pNoSuchParagraph does not exist/);
    expect(res.body.reasons).toEqual(["no paragraph with id pNoSuchParagraph"]);
  });

  it("refuses content that is not valid in the schema (400 with reasons)", async () => {
    const arg = await server.login("arg.delegate");
    const op1 = await paragraph(arg, declaration, "OP1");
    const post = (body: unknown) => arg.post(`/api/documents/${declaration}/amendments`, body);
    const image = await post({ paragraphId: op1.id, operation: "replace", content: [{ type: "image", attrs: { src: "x" } }] });
    expect(image.status).toBe(400);
    expect(image.body.reasons[0]).toMatch(/unknown or forbidden type "image"/);
    const bracket = await post({
      paragraphId: op1.id,
      operation: "insert_after",
      content: [{ type: "paragraph", attrs: { kind: "op", level: 0 }, content: [{ type: "text", text: "x", marks: [{ type: "bracket", attrs: { id: "b1", group: null } }] }] }],
    });
    expect(bracket.status).toBe(400);
    expect(bracket.body.reasons[0]).toMatch(/forbidden mark "bracket"/);
    const badLevel = await post({ paragraphId: op1.id, operation: "insert_after", content: [{ type: "paragraph", attrs: { kind: "op", level: 9 } , content: [{ type: "text", text: "x" }]}] });
    expect(badLevel.status).toBe(400);
    const tooMany = Array.from({ length: 51 }, () => ({ type: "paragraph", attrs: { kind: "op", level: 0 }, content: [{ type: "text", text: "x" }] }));
    expect((await post({ paragraphId: op1.id, operation: "insert_after", content: tooMany })).body.reasons).toEqual(["content: at most 50 paragraphs in one amendment"]);
    expect((await post({ paragraphId: op1.id, operation: "replace" })).status).toBe(400);
    expect((await post({ paragraphId: op1.id, operation: "replace", content: { text: "   " } })).status).toBe(400);
    expect((await post({ paragraphId: op1.id, operation: "delete", content: { text: "no" } })).status).toBe(400);
    expect((await post({ paragraphId: op1.id, operation: "rewrite", content: { text: "no" } })).status).toBe(400);
  });

  it("refuses amending an adopted document (409), and a 404 for ids outside the meeting", async () => {
    const doc = server.demo.documents.wg4!;
    const delegate = await server.login("ury.delegate");
    const op1 = await paragraph(delegate, doc, "OP1");
    const pending = await table(delegate, doc, { paragraphId: op1.id, operation: "replace", content: { text: "Adopt specific standards." } });
    server.ctx.db.prepare("UPDATE documents SET state = 'adopted' WHERE id = ?").run(doc);
    server.ctx.rooms.refreshAccess(doc);
    const res = await delegate.post(`/api/documents/${doc}/amendments`, { paragraphId: op1.id, operation: "delete" });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/adopted; it can no longer be amended/);
    const decided = await (await server.login("wg4.chair")).post(`/api/amendments/${pending.id}/decision`, { decision: "accepted" });
    expect(decided.status).toBe(409);
    expect((await delegate.get(`/api/amendments/aNoSuchAmendment`)).status).toBe(404);
    expect((await delegate.get(`/api/documents/dNoSuchDocument/amendments`)).status).toBe(404);
  });
});

describe("co-sponsors and decisions", () => {
  it("a delegation joins and leaves as co-sponsor; the sponsor cannot co-sponsor its own; decision bodies are checked", async () => {
    const doc = server.demo.documents.wg1!;
    const [hti, jam, chair] = await logins("hti.delegate", "jam.delegate", "wg1.chair");
    const op4 = await paragraph(hti, doc, "OP4");
    const a = await table(hti, doc, { paragraphId: op4.id, operation: "delete", rationale: "Covered by OP3." });
    expect((await hti.post(`/api/amendments/${a.id}/cosponsors`)).status).toBe(409);
    expect((await jam.post(`/api/amendments/${a.id}/cosponsors`)).body.cosponsors).toEqual(["JAM"]);
    expect((await jam.post(`/api/amendments/${a.id}/cosponsors`)).body.cosponsors).toEqual(["JAM"]);
    expect((await jam.delete(`/api/amendments/${a.id}/cosponsors`)).body.cosponsors).toEqual([]);
    const modified = await chair.post(`/api/amendments/${a.id}/decision`, { decision: "accepted_as_modified", content: { text: "x" } });
    expect(modified.status).toBe(400);
    expect(modified.body.error).toMatch(/deletion cannot be modified/);
    expect((await chair.post(`/api/amendments/${a.id}/decision`, { decision: "accepted", content: { text: "x" } })).status).toBe(400);
    expect((await chair.post(`/api/amendments/${a.id}/decision`, { decision: "approved" })).status).toBe(400);
    const rejected = await chair.post(`/api/amendments/${a.id}/decision`, { decision: "rejected", reason: "No support in the room." });
    expect(rejected.body).toMatchObject({ state: "rejected", decisionReason: "No support in the room.", decidedBy: "wg1.chair" });
    expect((await paragraph(chair, doc, "OP4")).id).toBe(op4.id);
    expect((await jam.post(`/api/amendments/${a.id}/cosponsors`)).status).toBe(409);
    expect(server.ctx.guards.paragraphBlockers(server.ctx, doc, op4.id)).toEqual([]);
    const trail = (await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${doc}&action=amendment.cosponsor_left`)).body;
    expect(trail.map((e: any) => [e.targetId, e.username, e.details.delegation])).toEqual([[a.id, "jam.delegate", "JAM"]]);
  });
});

describe("staleness and rebase", () => {
  it("typing in the target makes a tabled amendment stale; the sponsor edits and rebases it, keeping number and co-sponsors", async () => {
    const doc = server.demo.documents.wg1!;
    const [per, chl] = await logins("per.delegate", "chl.delegate");
    const op2 = await paragraph(per, doc, "OP2");
    const a = await table(per, doc, { paragraphId: op2.id, operation: "replace", content: { text: "Include trafficking in persons in school curricula." } });
    await chl.post(`/api/amendments/${a.id}/cosponsors`);
    const events = await listenEvents(server.url, doc, chl.cookie);
    const typist = collabClient(server.url, doc, chl.cookie);
    await typist.synced;
    const index = typist.canonical().paragraphs.findIndex((p) => p.id === op2.id);
    typeInto(typist.doc, index, " and in teacher training");
    const stale = await events.waitFor("amendment.stale", (e) => e.data.id === a.id);
    expect(stale.data.staleReason).toBe(`OP2 changed after ${a.number} was tabled`);
    const detail = (await per.get(`/api/amendments/${a.id}`)).body;
    expect(detail.state).toBe("stale");
    expect(detail.diff.current).not.toEqual(detail.diff.base);
    expect(detail.diff.current.filter((r: any) => r.op === "delete").map((r: any) => r.text).join("")).toContain("teacher training");
    expect(detail.diff.base.filter((r: any) => r.op === "delete").map((r: any) => r.text).join("")).not.toContain("teacher training");

    // The sponsor revises the wording and takes it back to the table against the new text.
    const edited = await per.patch(`/api/amendments/${a.id}`, { content: { text: "Include trafficking in persons in school curricula and in teacher training." } });
    expect(edited.status).toBe(200);
    const rebased = await per.post(`/api/amendments/${a.id}/rebase`);
    expect(rebased.status).toBe(200);
    expect(rebased.body).toMatchObject({ state: "tabled", number: a.number, cosponsors: ["CHL"], staleReason: null });
    expect(rebased.body.baseText).toBe(`${op2.text} and in teacher training`);
    expect((await per.post(`/api/amendments/${a.id}/rebase`)).status).toBe(409);
    events.close();
    typist.destroy();
  });

  it("formatting the target's text (italics) leaves a tabled amendment on the table", async () => {
    const doc = server.demo.documents.wg3!;
    const [dom, chair] = await logins("dom.delegate", "wg3.chair");
    const op4 = await paragraph(dom, doc, "OP4");
    const a = await table(dom, doc, { paragraphId: op4.id, operation: "replace", content: { text: "Improve statistical records." } });
    const typist = collabClient(server.url, doc, dom.cookie);
    await typist.synced;
    const paragraphs = typist.canonical().paragraphs;
    const target = (textFragment(typist.doc).get(paragraphs.findIndex((p) => p.id === op4.id)) as Y.XmlElement).get(0) as Y.XmlText;
    target.format(0, 7, { em: {} });
    // Updates arrive in order: once this later keystroke is stored, so is the formatting.
    typeInto(typist.doc, paragraphs.findIndex((p) => p.ref === "PP1"), "!");
    await eventually(async () => (await paragraph(chair, doc, "PP1")).text.endsWith("!"), 5000, "keystroke stored");
    expect((await dom.get(`/api/amendments/${a.id}`)).body.state).toBe("tabled");
    typist.destroy();
  });

  it("a deleted target makes its amendments stale with the reason; rebase is refused, withdrawal works", async () => {
    const doc = server.demo.documents.wg2!;
    const [ecu, chair] = await Promise.all([server.login("ecu.delegate"), server.login("wg2.chair")]);
    const op4 = await paragraph(ecu, doc, "OP4");
    const a = await table(ecu, doc, { paragraphId: op4.id, operation: "replace", content: { text: "Establish safe voluntary repatriation." } });
    const gtm = await server.login("gtm.delegate");
    const deletion = await table(gtm, doc, { paragraphId: op4.id, operation: "delete" });
    // The chair deletes OP4 in the editor (not through an amendment; a delegate may not
    // delete a paragraph with amendments on the table).
    const typist = collabClient(server.url, doc, chair.cookie);
    await typist.synced;
    const fragment = textFragment(typist.doc);
    fragment.delete(typist.canonical().paragraphs.findIndex((p) => p.id === op4.id), 1);
    await eventually(async () => (await ecu.get(`/api/amendments/${a.id}`)).body.state === "stale", 5000, "stale");
    const body = (await ecu.get(`/api/amendments/${a.id}`)).body;
    expect(body.staleReason).toBe("paragraph deleted (OP4)");
    expect(body.paragraphRef).toBe("OP4");
    expect(body.diff.current).toBeNull();
    const rebase = await ecu.post(`/api/amendments/${a.id}/rebase`);
    expect(rebase.status).toBe(409);
    expect(rebase.body.reasons).toEqual(["paragraph deleted"]);
    expect((await chair.post(`/api/amendments/${deletion.id}/decision`, { decision: "accepted" })).status).toBe(409);
    expect((await chair.post(`/api/amendments/${deletion.id}/decision`, { decision: "rejected", reason: "moot" })).body.state).toBe("rejected");
    expect((await ecu.post(`/api/amendments/${a.id}/withdraw`)).body.state).toBe("withdrawn");
    expect(server.ctx.guards.documentBlockers(server.ctx, doc).filter((r) => r.includes("amendment"))).toEqual([]);
    typist.destroy();
  });
});

describe("applying amendments", () => {
  it("accepted as modified applies the chair's wording; insertions and deletions get fresh ids and provenance", async () => {
    const doc = server.demo.documents.wg3!;
    const [nic, pan, chair] = await logins("nic.delegate", "pan.delegate", "wg3.chair");
    const live = collabClient(server.url, doc, pan.cookie);
    await live.synced;
    const op1 = await paragraph(nic, doc, "OP1");
    const op2 = await paragraph(nic, doc, "OP2");
    const op3 = await paragraph(nic, doc, "OP3");
    const replace = await table(nic, doc, { paragraphId: op1.id, operation: "replace", content: { text: "Extend police cooperation." } });
    const insert = await table(pan, doc, { paragraphId: op2.id, operation: "insert_after", content: { text: "Share best practices through the OAS." } });
    const deletion = await table(pan, doc, { paragraphId: op3.id, operation: "delete" });

    const modified = await chair.post(`/api/amendments/${replace.id}/decision`, {
      decision: "accepted_as_modified",
      reason: "Merged with the Peruvian proposal.",
      content: [
        { type: "paragraph", attrs: { kind: "op", level: 0 }, content: [{ type: "text", text: "Extend consular, judicial and " }, { type: "text", text: "police", marks: [{ type: "em" }] }, { type: "text", text: " cooperation." }] },
        { type: "paragraph", attrs: { kind: "op", level: 1 }, content: [{ type: "text", text: "along borders;" }] },
      ],
    });
    expect(modified.status, JSON.stringify(modified.body)).toBe(200);
    expect(modified.body.state).toBe("accepted_as_modified");
    const [kept, added] = modified.body.resultParagraphIds;
    expect(kept).toBe(op1.id);
    expect(added).toMatch(/^p/);
    const inserted = (await chair.post(`/api/amendments/${insert.id}/decision`, { decision: "accepted" })).body;
    expect(inserted.resultParagraphIds).toHaveLength(1);
    expect((await chair.post(`/api/amendments/${deletion.id}/decision`, { decision: "accepted" })).body.resultParagraphIds).toEqual([]);

    await eventually(() => !live.canonical().paragraphs.some((p) => p.id === op3.id), 5000, "deletion live");
    // The report is under negotiation, so its numbers are frozen: the insertion after OP2 is
    // OP2 bis and the deleted OP3 leaves its number unused.
    const content = await chair.get(`/api/documents/${doc}/content`);
    const ops = (content.body.canonical as CanonicalDocument).paragraphs.filter((p) => p.kind === "op");
    expect(ops.slice(0, 4).map((p) => [p.ref, p.text])).toEqual([
      ["OP1", "Extend consular, judicial and police cooperation."],
      ["OP1(a)", "along borders;"],
      ["OP2", op2.text],
      ["OP2 bis", "Share best practices through the OAS."],
    ]);
    expect(ops[3]!.id).toBe(inserted.resultParagraphIds[0]);
    // The same text as the delegates' live copy, numbered with the frozen labels.
    const frozen = new Map<string, FrozenLabel>(Object.entries((await chair.get(`/api/documents/${doc}/numbering`)).body.labels));
    expect(content.body.canonical).toEqual(canonicalize(blocksOfDoc(live.doc), frozen));
    const origins = (await chair.get(`/api/documents/${doc}/paragraph-origins`)).body;
    expect(origins.map((o: any) => [o.paragraphId, o.number, o.ref])).toEqual([
      [op1.id, replace.number, "OP1"],
      [added, replace.number, "OP1(a)"],
      [inserted.resultParagraphIds[0], insert.number, "OP2 bis"],
    ]);
    live.destroy();
  });
});

describe("civil society recommendations", () => {
  it("an observer recommends; the chair turns it into an amendment sponsored by a delegation that agreed", async () => {
    const [observer, cri, chair, arg] = await logins("observer", "cri.delegate", "chair", "arg.delegate");
    const pp1 = await paragraph(observer, declaration, "PP1");
    const submitted = await observer.post(`/api/documents/${declaration}/recommendations`, {
      text: "RECOGNIZING that trafficking in persons is a serious crime and a grave violation of human rights that affects the dignity and integrity of its victims, especially women, children and migrants;",
      rationale: "Migrants are at particular risk.",
      paragraphId: pp1.id,
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ state: "submitted", author: "observer", paragraphRef: "PP1" });
    const rid = submitted.body.id;
    expect((await arg.post(`/api/documents/${declaration}/recommendations`, { text: "x" })).status).toBe(403);
    expect((await arg.post(`/api/recommendations/${rid}/amendment`, { sponsor: "ARG" })).status).toBe(403);
    const notAgreed = await chair.post(`/api/recommendations/${rid}/amendment`, { sponsor: "CRI" });
    expect(notAgreed.status).toBe(409);
    expect(notAgreed.body.error).toMatch(/CRI has not agreed/);
    expect((await cri.post(`/api/recommendations/${rid}/sponsors`)).body.sponsorsOffered).toEqual(["CRI"]);
    const converted = await chair.post(`/api/recommendations/${rid}/amendment`, { sponsor: "CRI" });
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    expect(converted.body).toMatchObject({ state: "tabled", sponsor: "CRI", operation: "replace", paragraphId: pp1.id, recommendationId: rid, rationale: "Migrants are at particular risk." });
    expect(converted.body.number).toMatch(/^A\d+$/);
    const listed = (await observer.get(`/api/documents/${declaration}/recommendations`)).body;
    expect(listed.find((r: any) => r.id === rid)).toMatchObject({ state: "converted", amendmentId: converted.body.id });
    expect((await chair.post(`/api/recommendations/${rid}/amendment`, { sponsor: "CRI" })).status).toBe(409);
    // The sponsor owns it now like any other amendment.
    expect((await cri.post(`/api/amendments/${converted.body.id}/withdraw`)).body.state).toBe("withdrawn");
  });
});

describe("listing", () => {
  it("filters by paragraph, delegation (sponsor or co-sponsor) and state, and carries diffs on request", async () => {
    const arg = await server.login("arg.delegate");
    const all = (await arg.get(`/api/documents/${declaration}/amendments`)).body;
    // The demo seed: BRA's replacement of OP5 co-sponsored by COL, USA's deletion of PP5; MEX's draft is MEX's own.
    expect(all.some((a: any) => a.sponsor === "BRA" && a.paragraphRef === "OP5" && a.cosponsors.includes("COL"))).toBe(true);
    expect(all.some((a: any) => a.sponsor === "USA" && a.operation === "delete" && a.paragraphRef === "PP5")).toBe(true);
    expect(all.some((a: any) => a.sponsor === "MEX" && a.state === "draft")).toBe(false);
    const mex = await server.login("mex.delegate");
    const mexDrafts = (await mex.get(`/api/documents/${declaration}/amendments?state=draft`)).body;
    expect(mexDrafts.map((a: any) => a.sponsor)).toEqual(["MEX"]);
    // Withdrawn before tabling, it stays MEX's own.
    expect((await mex.post(`/api/amendments/${mexDrafts[0].id}/withdraw`)).body.state).toBe("withdrawn");
    expect((await arg.get(`/api/amendments/${mexDrafts[0].id}`)).status).toBe(404);
    expect((await arg.get(`/api/documents/${declaration}/amendments?state=withdrawn`)).body.map((a: any) => a.id)).not.toContain(mexDrafts[0].id);
    expect((await mex.get(`/api/amendments/${mexDrafts[0].id}`)).body.state).toBe("withdrawn");
    const col = (await arg.get(`/api/documents/${declaration}/amendments?delegation=col`)).body;
    expect(col.map((a: any) => a.sponsor)).toEqual(["BRA"]);
    const op5 = col[0].paragraphId;
    expect((await arg.get(`/api/documents/${declaration}/amendments?paragraph=${op5}&diff=1`)).body[0].diff.base.length).toBeGreaterThan(1);
    expect(all.every((a: any) => a.diff === undefined)).toBe(true);
    const tabled = (await arg.get(`/api/documents/${declaration}/amendments?state=tabled`)).body;
    expect(tabled.every((a: any) => a.state === "tabled")).toBe(true);
    expect((await arg.get(`/api/documents/${declaration}/amendments?state=bogus`)).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { bracketKey, newId, textFragment, type Block } from "../schema/index.js";
import { SYSTEM } from "../server/audit/audit.js";
import { runCommand } from "../server/commands/command.js";
import { createDocument } from "../server/documents/documents.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { logins } from "./helpers/lifecycle.js";
import { collabClient, eventually } from "./helpers/collab.js";
import type { ApiClient } from "./helpers/api.js";

// Brackets as negotiating texts use them: in lead-ins and headings, around several whole
// paragraphs, alternatives with a visible separator, labelled alternative paragraphs,
// groups holding and delegations supporting a wording.

let server: TestServer;
let arg: ApiClient, can: ApiClient, bra: ApiClient, chair: ApiClient, secretariat: ApiClient;
beforeAll(async () => {
  server = await startTestServer();
  [arg, can, bra, chair, secretariat] = await logins(server, ["arg.delegate", "can.delegate", "bra.delegate", "chair", "secretariat"] as const);
});
afterAll(async () => {
  await server?.stop();
});

type Para = { id: string; kind: string; ref: string | null; text: string; brackets: Array<{ id: string; from: number; to: number }> };

/** A declaration with a lead-in, a heading, two PPs and three OPs, under negotiation. */
async function declaration(title: string) {
  const b = (type: Block["type"], kind: Block["kind"], text: string, level = 0): Block => ({ id: newId("p"), type, kind, level, runs: [{ text }] });
  const blocks: Block[] = [
    b("title", "title", title),
    b("chapeau", "chapeau", "THE MINISTERS AND HIGH NATIONAL AUTHORITIES,"),
    b("paragraph", "pp", "RECOGNIZING that trafficking in persons is a grave crime;"),
    b("paragraph", "pp", "CONCERNED by the exploitation of migrants;"),
    b("heading", "heading", "I. Prevention", 1),
    b("paragraph", "op", "To urge member states to ratify the Palermo Protocol;"),
    b("paragraph", "op", "To strengthen cooperation among national authorities;"),
    b("paragraph", "op", "To request the General Secretariat to report."),
  ];
  const id = runCommand(server.ctx, (tx) =>
    createDocument(tx, SYSTEM, {
      meetingId: server.demo.meetingId,
      bodyId: server.demo.bodies.adhoc!,
      kind: "declaration",
      title,
      symbol: `RTP-II/doc.${Math.floor(Math.random() * 1e6)}/09`,
      blocks,
      state: "negotiation",
    }),
  );
  const paragraphs = async (): Promise<Para[]> => (await chair.get(`/api/documents/${id}/content`)).body.canonical.paragraphs;
  const at = async (kind: string, n = 0): Promise<Para> => (await paragraphs()).filter((p) => p.kind === kind)[n]!;
  return { id, paragraphs, at, ref: async (ref: string) => (await paragraphs()).find((p) => p.ref === ref)! };
}

describe("brackets in lead-ins and headings", () => {
  it("a delegate brackets words of a lead-in and a heading; the register cites them; the chair keeps one and deletes the other", async () => {
    const doc = await declaration("Lead-in brackets");
    const chapeau = await doc.at("chapeau");
    const heading = await doc.at("heading");
    const inLeadIn = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphId: chapeau.id, from: 4, to: 13 });
    expect(inLeadIn.status).toBe(201);
    expect(inLeadIn.body).toMatchObject({ text: "MINISTERS", paragraphRef: 'lead-in "THE MINISTERS AND HIGH NATIONAL AUTHORI…"', scope: "text" });
    const inHeading = await can.post(`/api/documents/${doc.id}/brackets`, { paragraphId: heading.id, from: 3, to: 13 });
    expect(inHeading.status).toBe(201);
    const register = (await chair.get(`/api/documents/${doc.id}/brackets`)).body;
    expect(Object.keys(register.byParagraph)).toEqual(['lead-in "THE MINISTERS AND HIGH NATIONAL AUTHORI…"', 'heading "I. Prevention"']);
    expect(register.clean).toBe(false);
    // The lifecycle's blockers name them too.
    const compilation = (await chair.get(`/api/documents/${doc.id}/register/compilation`)).body;
    expect(compilation.text).toContain(`THE [MINISTERS]{${inLeadIn.body.label}: ARG} AND HIGH`);
    expect(compilation.text).toContain(`I. [Prevention]{${inHeading.body.label}: CAN}`);

    await arg.delete(`/api/brackets/${inLeadIn.body.id}/holders`);
    await can.delete(`/api/brackets/${inHeading.body.id}/holders`);
    expect((await chair.post(`/api/brackets/${inLeadIn.body.id}/resolution`, { action: "keep" })).status).toBe(200);
    expect((await chair.post(`/api/brackets/${inHeading.body.id}/resolution`, { action: "delete" })).status).toBe(200);
    expect((await doc.at("chapeau")).text).toBe("THE MINISTERS AND HIGH NATIONAL AUTHORITIES,");
    expect((await doc.at("chapeau")).brackets).toEqual([]);
    expect((await doc.at("heading")).text).toBe("I.");
    expect((await chair.get(`/api/documents/${doc.id}/brackets`)).body.clean).toBe(true);
  });

  it("the title holds no bracket", async () => {
    const doc = await declaration("Title brackets");
    const title = await doc.at("title");
    const refused = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphId: title.id, from: 0, to: 3 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/not in the title/);
  });
});

describe("a bracket around several whole paragraphs", () => {
  it("is one bracket and one register line, drawn once around the paragraphs, resolved as one", async () => {
    const doc = await declaration("Paragraphs bracket");
    const [op1, op2] = [await doc.ref("OP1"), await doc.ref("OP2")];
    const opened = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op1.id, op2.id] });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      scope: "paragraphs",
      paragraphIds: [op1.id, op2.id],
      paragraphRefs: ["OP1", "OP2"],
      paragraphRef: "OP1",
      holders: ["ARG"],
      from: null,
      to: null,
      text: `${op1.text}\n${op2.text}`,
    });
    const register = (await chair.get(`/api/documents/${doc.id}/brackets`)).body;
    expect(register.counts.open).toBe(1);
    expect(register.byParagraph).toEqual({ OP1: [opened.body.id] });
    // In the text: the same bracket's mark on the whole of each paragraph.
    expect((await doc.ref("OP1")).brackets).toEqual([{ id: opened.body.id, group: null, from: 0, to: op1.text.length }]);
    expect((await doc.ref("OP2")).brackets).toEqual([{ id: opened.body.id, group: null, from: 0, to: op2.text.length }]);
    const compilation = (await chair.get(`/api/documents/${doc.id}/register/compilation`)).body.text as string;
    expect(compilation).toContain(`1. [${op1.text}\n2. ${op2.text}]{${opened.body.label}: ARG}`);
    // Nested brackets stand inside; a range crossing it or repeating it is refused.
    const inner = await can.post(`/api/documents/${doc.id}/brackets`, { paragraphId: op2.id, from: 3, to: 13 });
    expect(inner.status).toBe(201);
    expect((await bra.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op1.id, op2.id] })).status).toBe(409);
    const op3 = await doc.ref("OP3");
    const crossing = await bra.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op2.id, op3.id] });
    expect(crossing.status).toBe(409);
    expect(crossing.body.error).toMatch(/cross/);
    expect((await bra.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op1.id, op3.id] })).status).toBe(400);

    // Deleting it takes both paragraphs out of the text, and what was nested in them.
    const refused = await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "delete" });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toHaveLength(2);
    const deleted = await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "delete", reason: "agreed in informals" });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ state: "removed", closed: { how: "deleted" } });
    const after = await doc.paragraphs();
    expect(after.map((p) => p.id)).not.toContain(op1.id);
    expect(after.map((p) => p.id)).not.toContain(op2.id);
    // The declaration is under negotiation: the deleted OP1 and OP2 leave their numbers unused.
    expect(after.find((p) => p.kind === "op")!.ref).toBe("OP3");
    expect((await chair.get(`/api/brackets/${inner.body.id}`)).body.state).toBe("removed");
    expect((await chair.get(`/api/documents/${doc.id}/brackets`)).body.clean).toBe(true);
  });

  it("kept, its marks go from every paragraph and the words stay", async () => {
    const doc = await declaration("Paragraphs kept");
    const [pp1, pp2] = [await doc.ref("PP1"), await doc.ref("PP2")];
    const opened = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [pp2.id, pp1.id] });
    expect(opened.status).toBe(201);
    expect(opened.body.paragraphIds).toEqual([pp1.id, pp2.id]);
    await arg.delete(`/api/brackets/${opened.body.id}/holders`);
    expect((await chair.post(`/api/brackets/${opened.body.id}/resolution`, { action: "keep" })).status).toBe(200);
    expect([(await doc.ref("PP1")).text, (await doc.ref("PP2")).text]).toEqual([pp1.text, pp2.text]);
    expect([(await doc.ref("PP1")).brackets, (await doc.ref("PP2")).brackets]).toEqual([[], []]);
  });
});

describe("labelled alternative paragraphs", () => {
  it("Option 1, Option 2 and 'No text' form one group; choosing one keeps its paragraphs and removes the others", async () => {
    const doc = await declaration("Option paragraphs");
    const op2 = await doc.ref("OP2");
    const first = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op2.id] });
    const second = await can.post(`/api/brackets/${first.body.id}/options`, { paragraphs: ["To deepen cooperation;", "To share information;"] });
    expect(second.status).toBe(201);
    const third = await bra.post(`/api/brackets/${first.body.id}/options`, { noText: true });
    expect(third.status).toBe(201);
    // Under negotiation the options' new paragraphs follow OP2 as bis, ter, quater; OP3 keeps its number.
    expect(second.body).toMatchObject({ scope: "paragraphs", optionLabel: "Option 2", noText: false, holders: [], paragraphRefs: ["OP2 bis", "OP2 ter"] });
    expect(third.body).toMatchObject({ optionLabel: "Option 3", noText: true, text: "No text", paragraphRefs: ["OP2 quater"] });
    const group = (await chair.get(`/api/brackets/${first.body.id}`)).body;
    expect(group).toMatchObject({ optionLabel: "Option 1", group: second.body.group });
    const compilation = (await chair.get(`/api/documents/${doc.id}/register/compilation`)).body.text as string;
    expect(compilation).toContain(`2. Option 1: [To strengthen cooperation among national authorities;]{${first.body.label}: ARG}`);
    expect(compilation).toContain(`2 bis. Option 2: [To deepen cooperation;\n2 ter. To share information;]{${second.body.label}}`);
    expect(compilation).toContain(`2 quater. Option 3: [No text]{${third.body.label}}`);

    await arg.delete(`/api/brackets/${first.body.id}/holders`);
    const chosen = await chair.post(`/api/brackets/${second.body.id}/resolution`, { action: "choose" });
    expect(chosen.status).toBe(200);
    const ops = (await doc.paragraphs()).filter((p) => p.kind === "op").map((p) => p.text);
    expect(ops).toEqual(["To urge member states to ratify the Palermo Protocol;", "To deepen cooperation;", "To share information;", "To request the General Secretariat to report."]);
    const register = (await chair.get(`/api/documents/${doc.id}/brackets`)).body;
    expect(register.clean).toBe(true);
    expect(register.counts).toMatchObject({ resolved: 1, removed: 2 });
  });

  it("choosing 'No text' leaves none of the options' paragraphs", async () => {
    const doc = await declaration("No text chosen");
    const op1 = await doc.ref("OP1");
    const first = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op1.id] });
    const none = await can.post(`/api/brackets/${first.body.id}/options`, { noText: true });
    await arg.delete(`/api/brackets/${first.body.id}/holders`);
    const chosen = await chair.post(`/api/brackets/${none.body.id}/resolution`, { action: "choose" });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ state: "removed", closed: { how: "not_chosen" } });
    const ops = (await doc.paragraphs()).filter((p) => p.kind === "op").map((p) => p.text);
    expect(ops).toEqual(["To strengthen cooperation among national authorities;", "To request the General Secretariat to report."]);
    expect(ops.join()).not.toContain("No text");
  });

  it("refuses paragraphs beside a span and an empty option", async () => {
    const doc = await declaration("Option mistakes");
    const op1 = await doc.ref("OP1");
    const span = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphId: op1.id, from: 3, to: 7 });
    expect((await can.post(`/api/brackets/${span.body.id}/options`, { paragraphs: ["x"] })).status).toBe(400);
    expect((await can.post(`/api/brackets/${span.body.id}/options`, {})).status).toBe(400);
    const whole = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [(await doc.ref("OP2")).id] });
    expect((await can.post(`/api/brackets/${whole.body.id}/options`, { paragraphs: [" "] })).status).toBe(400);
  });
});

describe("separators between alternatives", () => {
  it("choosing the middle of three options leaves no separator behind", async () => {
    const doc = await declaration("Separators");
    const op1 = await doc.ref("OP1");
    const from = op1.text.indexOf("urge");
    const first = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphId: op1.id, from, to: from + 4 });
    const second = await can.post(`/api/brackets/${first.body.id}/options`, { text: "call upon" });
    const third = await bra.post(`/api/brackets/${first.body.id}/options`, { text: "encourage", separator: " or " });
    expect([second.body.separator, third.body.separator]).toEqual([" / ", " or "]);
    expect((await doc.ref("OP1")).text).toBe("To urge / call upon or encourage member states to ratify the Palermo Protocol;");
    const register = (await chair.get(`/api/documents/${doc.id}/brackets`)).body;
    expect(register.brackets.map((b: { text: string }) => b.text)).toEqual(["urge", "call upon", "encourage"]);
    await arg.delete(`/api/brackets/${first.body.id}/holders`);
    expect((await chair.post(`/api/brackets/${second.body.id}/resolution`, { action: "choose" })).status).toBe(200);
    expect((await doc.ref("OP1")).text).toBe("To call upon member states to ratify the Palermo Protocol;");
  });
});

describe("groups and supporters", () => {
  it("a delegate records a group's hold and a delegation's support; the register and the compilation show both", async () => {
    const meeting = (await secretariat.get(`/api/meetings/${server.demo.meetingId}`)).body;
    const delegations = (await secretariat.get(`/api/meetings/${server.demo.meetingId}/delegations`)).body.map((d: { code: string }) => d.code);
    expect((await secretariat.patch(`/api/meetings/${meeting.id}`, { delegations: [...delegations, "G77", "EU"] })).status).toBe(200);
    const holders = (await arg.get(`/api/meetings/${meeting.id}/bracket-holders`)).body;
    expect(holders.groups).toEqual(["EU", "G77"]);
    expect(holders.delegations).toContain("ARG");

    const doc = await declaration("Group holders");
    const op1 = await doc.ref("OP1");
    const opened = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphId: op1.id, from: 3, to: 7 });
    const g77 = await arg.post(`/api/brackets/${opened.body.id}/holders`, { holder: "G77" });
    expect(g77.status).toBe(200);
    expect(g77.body.holders).toEqual(["ARG", "G77"]);
    // A delegate speaks for a group of the meeting, never for another state.
    expect((await arg.post(`/api/brackets/${opened.body.id}/holders`, { holder: "CAN" })).status).toBe(400);
    expect((await arg.post(`/api/brackets/${opened.body.id}/holders`, { holder: "CARICOM" })).status).toBe(400);
    const support = await can.post(`/api/brackets/${opened.body.id}/supporters`);
    expect(support.status).toBe(200);
    expect(support.body.supporters).toEqual(["CAN"]);
    const eu = await bra.post(`/api/brackets/${opened.body.id}/supporters`, { holder: "EU" });
    expect(eu.body.supporters).toEqual(["CAN", "EU"]);
    // One does not both hold and support a wording.
    expect((await can.post(`/api/brackets/${opened.body.id}/holders`)).status).toBe(409);

    const register = (await chair.get(`/api/documents/${doc.id}/brackets`)).body;
    expect(register.byHolder).toEqual({ ARG: [opened.body.id], G77: [opened.body.id] });
    expect(register.bySupporter).toEqual({ CAN: [opened.body.id], EU: [opened.body.id] });
    expect(register.counts.holders).toEqual({ ARG: 1, G77: 1 });
    const compilation = (await chair.get(`/api/documents/${doc.id}/register/compilation`)).body;
    expect(compilation.text).toContain(`To [urge]{${opened.body.label}: ARG, G77; supported by CAN, EU} member states`);

    // Only the delegation that spoke for the group lifts its hold.
    expect((await can.delete(`/api/brackets/${opened.body.id}/holders`, { delegation: "G77" })).status).toBe(403);
    expect((await arg.delete(`/api/brackets/${opened.body.id}/holders`, { delegation: "G77" })).body.holders).toEqual(["ARG"]);
    expect((await bra.delete(`/api/brackets/${opened.body.id}/supporters`, { delegation: "EU" })).body.supporters).toEqual(["CAN"]);
    const audit = (await chair.get(`/api/meetings/${meeting.id}/audit?documentId=${doc.id}&action=bracket.held`)).body;
    expect(audit.at(-1).details).toMatchObject({ delegation: "G77", recordedBy: "ARG" });
  });
});

describe("paragraph annotations", () => {
  it("the chair adds '[Agreed ad ref]' and a facilitator's note; not text; the exports print them after the paragraph", async () => {
    const doc = await declaration("Annotations");
    const op1 = await doc.ref("OP1");
    const hash = (await chair.get(`/api/documents/${doc.id}/content`)).body.hash;
    const path = `/api/documents/${doc.id}/paragraphs/${op1.id}/annotations`;
    expect((await arg.post(path, { kind: "facilitator", text: "to be revisited" })).status).toBe(403);
    const note = await chair.post(path, { kind: "facilitator", text: "to be revisited after informals" });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ paragraphRef: "OP1", kind: "facilitator", text: "to be revisited after informals", createdBy: "chair" });
    const adRef = await secretariat.post(path, { kind: "agreed_ad_ref" });
    expect(adRef.body).toMatchObject({ kind: "agreed_ad_ref", text: "Agreed ad ref" });
    expect((await secretariat.post(path, { kind: "agreed_ad_ref" })).status).toBe(409);
    expect((await chair.post(path, { kind: "other" })).status).toBe(400);
    expect((await chair.post(`/api/documents/${doc.id}/paragraphs/pNoSuch/annotations`, { kind: "agreed_ad_ref" })).status).toBe(404);
    // Not text: the hash stays.
    expect((await chair.get(`/api/documents/${doc.id}/content`)).body.hash).toBe(hash);
    expect((await arg.get(`/api/documents/${doc.id}/annotations`)).body.map((a: { kind: string }) => a.kind)).toEqual(["facilitator", "agreed_ad_ref"]);

    const text = (await arg.get(`/api/documents/${doc.id}/export?format=text`)).body as string;
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain("To urge member states to ratify the Palermo Protocol; [Agreed ad ref] {to be revisited after informals}");
    const html = (await arg.get(`/api/documents/${doc.id}/export?format=html`)).body as string;
    expect(html).toContain(`<p class="facilitator-note"><em>{to be revisited after informals}</em></p>`);

    expect((await arg.delete(`/api/documents/${doc.id}/annotations/${note.body.id}`)).status).toBe(403);
    expect((await chair.delete(`/api/documents/${doc.id}/annotations/${note.body.id}`)).status).toBe(200);
    expect((await chair.get(`/api/documents/${doc.id}/annotations`)).body).toHaveLength(1);
    const events = (await chair.get(`/api/meetings/${server.demo.meetingId}/audit?documentId=${doc.id}&action=annotation.removed`)).body;
    expect(events).toHaveLength(1);
  });

  it("the exports draw a bracket around whole paragraphs once, with an option's label and the supporters", async () => {
    const doc = await declaration("Export brackets");
    const [op1, op2] = [await doc.ref("OP1"), await doc.ref("OP2")];
    const whole = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op1.id, op2.id] });
    const option = await can.post(`/api/brackets/${whole.body.id}/options`, { noText: true });
    expect(option.status).toBe(201);
    await bra.post(`/api/brackets/${whole.body.id}/supporters`);
    const text = ((await arg.get(`/api/documents/${doc.id}/export?format=text`)).body as string).replace(/\s+/g, " ");
    expect(text).toContain(`Option 1: [To urge member states to ratify the Palermo Protocol; 2. To strengthen cooperation among national authorities;]{${whole.body.label}: ARG; supported by BRA}`);
    expect(text).toContain(`Option 2: [No text]{${option.body.label}}`);
  });
});

describe("typing at a bracket's edge, from a stock y-websocket client", () => {
  it("words added with the mark at the end of each paragraph of a bracket of whole paragraphs keep both paragraphs in it; words added without it after a span that ends its paragraph leave the span as it was", async () => {
    const doc = await declaration("Typing at the edge");
    const [pp1, op1, op2] = [await doc.ref("PP1"), await doc.ref("OP1"), await doc.ref("OP2")];
    const whole = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphIds: [op1.id, op2.id] });
    expect(whole.status).toBe(201);
    const spanFrom = pp1.text.indexOf("a grave crime;");
    const span = await arg.post(`/api/documents/${doc.id}/brackets`, { paragraphId: pp1.id, from: spanFrom, to: pp1.text.length });
    expect(span.status).toBe(201);

    const client = collabClient(server.url, doc.id, arg.cookie);
    try {
      await client.synced;
      const textOf = (paragraphId: string) =>
        (textFragment(client.doc).toArray().find((c) => c instanceof Y.XmlElement && c.getAttribute("id") === paragraphId) as Y.XmlElement).get(0) as Y.XmlText;
      await eventually(() => textOf(op2.id).toDelta().length === 1, 5000, "the bracket's mark reaches the client");
      const mark = { id: whole.body.id as string, group: null };
      // What the editor now sends: the words typed at a paragraph's end inside its bracket...
      client.doc.transact(() => {
        textOf(op1.id).insert(op1.text.length, " without delay", { [bracketKey(mark)]: mark });
        textOf(op2.id).insert(op2.text.length, " and regions", { [bracketKey(mark)]: mark });
        // ...and those typed after a span's "]" outside it (explicitly unformatted: a bare
        // Y.Text insert would take the formatting before it).
        textOf(pp1.id).insert(pp1.text.length, " X", {});
      });
      await eventually(async () => (await doc.ref("OP2")).text.endsWith(" and regions") && (await doc.ref("PP1")).text.endsWith(" X"), 5000, "the words reach the server");
      expect(client.denials).toEqual([]);
      expect((await doc.ref("OP1")).brackets).toEqual([{ id: whole.body.id, group: null, from: 0, to: op1.text.length + " without delay".length }]);
      expect((await doc.ref("OP2")).brackets).toEqual([{ id: whole.body.id, group: null, from: 0, to: op2.text.length + " and regions".length }]);
      expect((await arg.get(`/api/brackets/${whole.body.id}`)).body).toMatchObject({ state: "open", paragraphIds: [op1.id, op2.id] });
      expect((await doc.ref("PP1")).brackets).toEqual([{ id: span.body.id, group: null, from: spanFrom, to: pp1.text.length }]);
      expect((await arg.get(`/api/brackets/${span.body.id}`)).body).toMatchObject({ state: "open", text: "a grave crime;" });
    } finally {
      client.destroy();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { insertBlocks, newId, textFragment, type Block } from "../schema/index.js";
import { SYSTEM } from "../server/audit/audit.js";
import { runCommand } from "../server/commands/command.js";
import { createDocument } from "../server/documents/documents.js";
import { followInto, followTimings } from "../server/languages/follow.js";
import { documentStructure } from "../server/languages/versions.js";
import { languageAdoptionBlockers } from "../server/languages/status.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import { adopt, createTestDeclaration, logins, makeClean } from "./helpers/lifecycle.js";
import { login, type ApiClient } from "./helpers/api.js";
import { confirmedKey, signDocument } from "./helpers/signing.js";

let server: TestServer;
let secretariat: ApiClient;
let translator: ApiClient;
let delegate: ApiClient;
let chair: ApiClient;
const clients: CollabClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [secretariat, translator, delegate, chair] = await logins(server, ["secretariat", "translator.es", "arg.delegate", "chair"] as const);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

function connect(documentId: string, who: ApiClient): CollabClient {
  const client = collabClient(server.url, documentId, who.cookie);
  clients.push(client);
  return client;
}

/** The block ids of a client's copy, in order. */
const idsOf = (c: CollabClient) => textFragment(c.doc).toArray().map((e) => String((e as Y.XmlElement).getAttribute("id")));
/** The text of the block with `id` in a client's copy. */
const textIn = (c: CollabClient, id: string) => {
  const el = textFragment(c.doc).toArray().find((e) => (e as Y.XmlElement).getAttribute("id") === id) as Y.XmlElement | undefined;
  return el ? el.toArray().map((t) => (t as Y.XmlText).toString()).join("") : null;
};
/** Types `text` at the end of block `index` of a client's copy. */
function typeAt(c: CollabClient, index: number, text: string): void {
  const el = textFragment(c.doc).get(index) as Y.XmlElement;
  let t = el.toArray().find((x) => x instanceof Y.XmlText) as Y.XmlText | undefined;
  c.doc.transact(() => {
    if (!t) {
      t = new Y.XmlText();
      el.insert(0, [t]);
    }
    t.insert(t.length, text);
  });
}

const statusOf = async (versionId: string) =>
  new Map(((await translator.get(`/api/documents/${versionId}/translation-status`)).body as Array<{ paragraphId: string; status: string; originalDiff?: unknown }>).map((p) => [p.paragraphId, p]));

describe("language versions", () => {
  let original: { id: string; blocks: { id: string }[] };
  let es: string;

  it("the secretariat adds one per language of the meeting; its paragraphs carry the original's ids, all missing", async () => {
    original = createTestDeclaration(server, "Languages test");
    const created = await secretariat.post(`/api/documents/${original.id}/languages`, { language: "es" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    es = created.body.id;
    expect(created.body).toMatchObject({ language: "es", originalId: original.id });
    const content = await secretariat.get(`/api/documents/${es}/content`);
    expect(content.body.canonical.paragraphs.map((p: { id: string }) => p.id)).toEqual(original.blocks.map((b) => b.id));
    expect(content.body.canonical.paragraphs.every((p: { text: string }) => p.text === "")).toBe(true);
    const languages = await delegate.get(`/api/documents/${original.id}/languages`);
    expect(languages.body).toEqual([
      { language: "en", documentId: original.id, original: true, paragraphs: { current: 4, outdated: 0, missing: 0 } },
      { language: "es", documentId: es, original: false, paragraphs: { current: 0, outdated: 0, missing: 4 } },
    ]);
    // Only the originals are listed among the meeting's documents.
    const listed = await delegate.get(`/api/meetings/${server.demo.meetingId}/documents`);
    expect(listed.body.some((d: { id: string }) => d.id === es)).toBe(false);
  });

  it("refuses another language of the same, a language the meeting has not, the original's own, a version of a version, and anyone but the secretariat", async () => {
    expect((await secretariat.post(`/api/documents/${original.id}/languages`, { language: "es" })).status).toBe(409);
    const de = await secretariat.post(`/api/documents/${original.id}/languages`, { language: "de" });
    expect(de.status).toBe(400);
    expect(de.body.error).toMatch(/no language "de"/);
    expect((await secretariat.post(`/api/documents/${original.id}/languages`, { language: "en" })).status).toBe(409);
    expect((await secretariat.post(`/api/documents/${es}/languages`, { language: "fr" })).status).toBe(400);
    expect((await chair.post(`/api/documents/${original.id}/languages`, { language: "fr" })).status).toBe(403);
    expect((await secretariat.post(`/api/documents/${original.id}/languages`, {})).status).toBe(400);
  });

  it("follows the original's structure: a paragraph added, moved and deleted there appears, moves and disappears in the version", async () => {
    const fr = (await secretariat.post(`/api/documents/${original.id}/languages`, { language: "fr" })).body.id as string;
    const writer = connect(original.id, delegate);
    const esReader = connect(es, translator);
    const frReader = connect(fr, secretariat);
    await Promise.all([writer.synced, esReader.synced, frReader.synced]);
    // Added: a new operative paragraph after OP1, as the editor writes it.
    const added = new Y.XmlElement("paragraph");
    added.setAttribute("id", "pAddedInOriginal");
    added.setAttribute("kind", "op");
    added.setAttribute("level", "0" as unknown as string);
    const existing = textFragment(writer.doc).get(2) as Y.XmlElement;
    for (const [k, v] of Object.entries(existing.getAttributes())) if (k !== "id") added.setAttribute(k, v as string);
    writer.doc.transact(() => textFragment(writer.doc).insert(3, [added]));
    const expected = [...original.blocks.map((b) => b.id)];
    expected.splice(3, 0, "pAddedInOriginal");
    await eventually(() => JSON.stringify(idsOf(esReader)) === JSON.stringify(expected) && JSON.stringify(idsOf(frReader)) === JSON.stringify(expected), 5000, "the added paragraph in both versions");
    expect(textIn(esReader, "pAddedInOriginal")).toBe("");
    // Moved: the last paragraph to before the first operative one (a copy with the same id, as y-prosemirror moves).
    const last = textFragment(writer.doc).get(4) as Y.XmlElement;
    const lastId = String(last.getAttribute("id"));
    writer.doc.transact(() => {
      const copy = new Y.XmlElement("paragraph");
      for (const [k, v] of Object.entries(last.getAttributes())) copy.setAttribute(k, v as string);
      copy.insert(0, [new Y.XmlText(last.toArray().map((t) => t.toString()).join(""))]);
      textFragment(writer.doc).delete(4, 1);
      textFragment(writer.doc).insert(2, [copy]);
    });
    await eventually(() => idsOf(esReader)[2] === lastId && idsOf(esReader).length === 5, 5000, "the moved paragraph");
    // Deleted.
    writer.doc.transact(() => textFragment(writer.doc).delete(3, 1));
    await eventually(() => idsOf(esReader).length === 4 && JSON.stringify(idsOf(esReader)) === JSON.stringify(idsOf(writer)), 5000, "the deleted paragraph");
    expect(JSON.stringify(idsOf(frReader))).toBe(JSON.stringify(idsOf(writer)));
    expect(writer.denials).toEqual([]);
  });

  it("keeps a version's text loaded while its original's room is open, so each follow does not reload it, and lets it go with the original", async () => {
    const doc = createTestDeclaration(server, "Languages kept loaded");
    const version = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "es" })).body.id as string;
    const rooms = server.ctx.rooms;
    expect(rooms.get(version)).toBeUndefined();
    const writer = collabClient(server.url, doc.id, delegate.cookie);
    await writer.synced;
    const model = textFragment(writer.doc).get(2) as Y.XmlElement;
    const addParagraph = (id: string) => {
      const added = new Y.XmlElement("paragraph");
      for (const [k, v] of Object.entries(model.getAttributes())) added.setAttribute(k, k === "id" ? id : (v as string));
      writer.doc.transact(() => textFragment(writer.doc).insert(3, [added]));
    };
    addParagraph("pKeptFirst");
    await eventually(() => rooms.get(version)?.currentBlockIds().has("pKeptFirst") === true, 5000, "the first follow");
    const loaded = rooms.get(version);
    // Nobody has the version open, yet the next follow writes into the same loaded text.
    addParagraph("pKeptSecond");
    await eventually(() => rooms.get(doc.id) !== undefined && loaded!.currentBlockIds().has("pKeptSecond"), 5000, "the second follow");
    expect(rooms.get(version)).toBe(loaded);
    writer.destroy();
    await eventually(() => rooms.get(doc.id) === undefined, 5000, "the original's room closed");
    expect(rooms.get(version)).toBeUndefined();
    // What it held was stored: reopened from the store, the version has both paragraphs.
    const content = await secretariat.get(`/api/documents/${version}/content`);
    const ids = content.body.canonical.paragraphs.map((p: { id: string }) => p.id);
    expect(ids).toContain("pKeptFirst");
    expect(ids).toContain("pKeptSecond");
  });

  it("loads a closed version ahead once someone types in its reopened original, without a follow, so the first structural change does not read it from the store", async () => {
    const doc = createTestDeclaration(server, "Languages loaded ahead");
    const version = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "fr" })).body.id as string;
    const rooms = server.ctx.rooms;
    // A first structural change, followed; then everyone leaves and both rooms close.
    const first = collabClient(server.url, doc.id, delegate.cookie);
    await first.synced;
    const model = textFragment(first.doc).get(2) as Y.XmlElement;
    const added = new Y.XmlElement("paragraph");
    for (const [k, v] of Object.entries(model.getAttributes())) added.setAttribute(k, k === "id" ? "pAheadFirst" : (v as string));
    first.doc.transact(() => textFragment(first.doc).insert(3, [added]));
    await eventually(() => rooms.get(version)?.currentBlockIds().has("pAheadFirst") === true, 5000, "the follow");
    first.destroy();
    await eventually(() => rooms.get(doc.id) === undefined && rooms.get(version) === undefined, 5000, "both rooms closed");
    // Reopened, one keystroke: no follow, yet the version is loaded and kept.
    const follows = followTimings.length;
    const again = connect(doc.id, delegate);
    await again.synced;
    typeAt(again, 1, " Again.");
    await eventually(() => rooms.get(version)?.loaded === true, 5000, "the version loaded ahead");
    expect(followTimings.length).toBe(follows);
    expect(rooms.get(version)!.currentBlockIds().has("pAheadFirst")).toBe(true);
  });

  it("refuses a structural edit from a language version's client with a reason, and takes its text", async () => {
    const client = connect(es, translator);
    await client.synced;
    const before = idsOf(client);
    client.doc.transact(() => textFragment(client.doc).delete(1, 1));
    await eventually(() => client.denials.length > 0, 5000, "the refusal");
    expect(client.denials[0]).toMatch(/follows its original's paragraphs/);
    const second = connect(es, secretariat);
    await second.synced;
    expect(idsOf(second)).toEqual(before);
    // The refused client reloads (as the editor does); text inside a paragraph is taken.
    const again = connect(es, translator);
    await again.synced;
    typeAt(again, 1, "RECONOCIENDO que la trata de personas es un delito grave;");
    await eventually(() => textIn(second, before[1]!) === "RECONOCIENDO que la trata de personas es un delito grave;", 5000, "the translation typed");
  });

  it("refuses on a language version every command on structure and status, with the reason that its original governs them", async () => {
    const pp = original.blocks[1]!.id;
    const refusals = {
      status: await chair.put(`/api/documents/${es}/paragraphs/${pp}/status`, { status: "yellow" }),
      statuses: await chair.post(`/api/documents/${es}/paragraph-statuses`, { paragraphIds: [pp], status: "yellow" }),
      restore: await secretariat.post(`/api/documents/${es}/paragraphs/${pp}/restore`),
      amendment: await delegate.post(`/api/documents/${es}/amendments`, { paragraphId: pp, operation: "delete", rationale: "x" }),
      bracket: await delegate.post(`/api/documents/${es}/brackets`, { paragraphId: pp, from: 0, to: 3 }),
      paragraphsBracket: await delegate.post(`/api/documents/${es}/brackets`, { paragraphIds: [pp] }),
      typedBracket: await chair.post(`/api/documents/${es}/brackets/typed`, { paragraphId: pp, offset: 0 }),
    };
    for (const [what, res] of Object.entries(refusals)) {
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body.error, what).toMatch(/language version: its original \(document [^)]+\) governs its paragraphs and their statuses/);
    }
    // The restore names what it refused; the status is unchanged on the version.
    expect(refusals.restore.body.error).toMatch(/^no deleted paragraph can be restored here/);
    const statuses = (await chair.get(`/api/documents/${es}/paragraph-statuses`)).body as Array<{ paragraphId: string; status: string }>;
    expect(statuses.find((s) => s.paragraphId === pp)?.status ?? "white").toBe("white");
    // The original still takes them.
    expect((await chair.put(`/api/documents/${original.id}/paragraphs/${pp}/status`, { status: "white" })).status).toBe(200);
  });

  it("lets a translator write only the versions of their languages, and mark paragraphs done only there", async () => {
    const onOriginal = connect(original.id, translator);
    await onOriginal.synced;
    typeAt(onOriginal, 1, " (translator's edit)");
    await eventually(() => onOriginal.denials.length > 0, 5000, "the refusal on the original");
    expect(onOriginal.denials[0]).toMatch(/translators write language versions only/);
    const fr = (await secretariat.get(`/api/documents/${original.id}/languages`)).body.find((l: { language: string }) => l.language === "fr").documentId;
    const onFrench = connect(fr, translator);
    await onFrench.synced;
    typeAt(onFrench, 1, "RECONNAISSANT");
    await eventually(() => onFrench.denials.length > 0, 5000, "the refusal on the French version");
    expect(onFrench.denials[0]).toMatch(/you translate into es; this is the fr version/);
    const pp = original.blocks[1]!.id;
    expect((await translator.post(`/api/documents/${fr}/paragraphs/${pp}/translated`)).status).toBe(403);
    expect((await translator.post(`/api/documents/${original.id}/paragraphs/${pp}/translated`)).status).toBe(403);
    expect((await delegate.post(`/api/documents/${es}/paragraphs/${pp}/translated`)).status).toBe(403);
    // Nothing else: no amendment, no status, no transition.
    expect((await translator.post(`/api/documents/${original.id}/amendments`, { paragraphId: pp, operation: "delete", rationale: "x" })).status).toBe(403);
    expect((await translator.put(`/api/documents/${original.id}/paragraphs/${pp}/status`, { status: "yellow" })).status).toBe(403);
    expect((await translator.post(`/api/documents/${original.id}/transitions`, { to: "withdrawn", reason: "x" })).status).toBe(403);
    // A delegate may not write a language version either.
    const delegateOnEs = connect(es, delegate);
    await delegateOnEs.synced;
    typeAt(delegateOnEs, 2, "Instar");
    await eventually(() => delegateOnEs.denials.length > 0, 5000, "the delegate's refusal");
  });

  it("moves a paragraph from missing to current when marked, to outdated (with the original's diff) when the original changes, back to current when marked again", async () => {
    const pp = original.blocks[1]!.id;
    const op = original.blocks[3]!.id;
    expect((await statusOf(es)).get(pp)!.status).toBe("missing");
    const empty = await translator.post(`/api/documents/${es}/paragraphs/${op}/translated`);
    expect(empty.status).toBe(409);
    expect(empty.body.error).toMatch(/no translation yet/);
    expect((await translator.post(`/api/documents/${es}/paragraphs/nope/translated`)).status).toBe(404);
    const done = await translator.post(`/api/documents/${es}/paragraphs/${pp}/translated`);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toEqual({ paragraphId: pp, ref: "PP1", status: "current" });
    expect((await statusOf(es)).get(pp)!.status).toBe("current");
    const writer = connect(original.id, delegate);
    await writer.synced;
    const index = idsOf(writer).indexOf(pp);
    typeAt(writer, index, " Also a crime against humanity.");
    await eventually(async () => (await statusOf(es)).get(pp)!.status === "outdated", 5000, "outdated");
    const outdated = (await statusOf(es)).get(pp)!;
    expect(outdated.originalDiff).toEqual([
      { op: "equal", text: "RECOGNIZING that trafficking in persons is a grave crime;" },
      { op: "insert", text: " Also a crime against humanity." },
    ]);
    const counts = (await delegate.get(`/api/documents/${original.id}/languages`)).body.find((l: { language: string }) => l.language === "es").paragraphs;
    expect(counts).toEqual({ current: 0, outdated: 1, missing: 3 });
    expect((await translator.post(`/api/documents/${es}/paragraphs/${pp}/translated`)).status).toBe(200);
    expect((await statusOf(es)).get(pp)!.status).toBe("current");
    // Asked of an original: 400 with where to look.
    expect((await translator.get(`/api/documents/${original.id}/translation-status`)).status).toBe(400);
  });

  it("keeps the original from adoption while a version is not current, then adopts every text and has ministers sign all of them", async () => {
    const doc = createTestDeclaration(server, "Authentic texts");
    const esId = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "es" })).body.id as string;
    const es = connect(esId, translator);
    await es.synced;
    const spanish = ["Textos auténticos", "RECONOCIENDO que la trata es un delito grave;", "Instar a los Estados miembros a ratificar el Protocolo de Palermo;"];
    spanish.forEach((text, i) => typeAt(es, i, text));
    const typed = async (n: number) => (await translator.get(`/api/documents/${esId}/content`)).body.canonical.paragraphs.filter((p: { text: string }) => p.text !== "").length === n;
    await eventually(() => typed(3), 5000, "the Spanish text");
    // Clean (the translated paragraphs marked done) and referred, the last paragraph not translated: adoption is refused for it.
    await makeClean(server, doc.id, chair);
    const rapporteur = await server.login("rapporteur");
    expect((await chair.post(`/api/documents/${doc.id}/transitions`, { to: "agreed_ad_ref" })).status).toBe(200);
    expect((await rapporteur.post(`/api/documents/${doc.id}/transitions`, { to: "referred" })).status).toBe(200);
    const refused = await chair.post(`/api/documents/${doc.id}/transitions`, { to: "adopted" });
    expect(refused.status).toBe(409);
    expect(refused.body.reasons).toEqual(["es: OP2 is not translated"]);
    const offered = (await chair.get(`/api/documents/${doc.id}/transitions`)).body;
    if (Array.isArray(offered)) expect(offered.find((t: { to: string }) => t.to === "adopted")?.blockers).toEqual(["es: OP2 is not translated"]);
    typeAt(es, 3, "Fortalecer la cooperación.");
    await eventually(() => typed(4), 5000, "the last paragraph");
    expect((await translator.post(`/api/documents/${esId}/paragraphs/${doc.blocks[3]!.id}/translated`)).status).toBe(200);
    const adopted = await chair.post(`/api/documents/${doc.id}/transitions`, { to: "adopted" });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(200);
    expect((await secretariat.get(`/api/documents/${esId}`)).body.state).toBe("adopted");
    // A language version does not move on its own.
    expect((await chair.post(`/api/documents/${esId}/transitions`, { to: "negotiation", reason: "x" })).status).toBe(409);

    const esHash = (await secretariat.get(`/api/documents/${esId}/content`)).body.hash;
    const enHash = (await secretariat.get(`/api/documents/${doc.id}/content`)).body.hash;
    const minister = await server.login("arg.minister");
    const basis = (await minister.get(`/api/documents/${doc.id}/signing-statement`)).body;
    expect(basis.adoptedHash).toBe(enHash);
    expect(basis.authenticTexts).toEqual([{ language: "es", documentId: esId, versionId: expect.any(String), hash: esHash }]);
    const keys = await confirmedKey(minister, secretariat);
    const signed = await signDocument(minister, keys, doc.id);
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const verification = (await secretariat.get(`/api/documents/${doc.id}/verification`)).body;
    expect(verification.authenticTexts).toEqual([{ language: "es", documentId: esId, versionId: basis.authenticTexts[0].versionId, adoptedHash: esHash, currentHash: esHash, intact: true }]);
    expect(verification.signatures.find((s: { delegation: string }) => s.delegation === "ARG")).toMatchObject({ valid: true, signedWithKey: true });

    // Offline: the export names both texts, and verify-signatures checks each hash.
    const exported = (await secretariat.get(`/api/documents/${doc.id}/signatures/export`)).body;
    expect(exported.authenticTexts.map((t: { hash: string }) => t.hash)).toEqual([esHash]);
    const dir = mkdtempSync(join(tmpdir(), "languages-verify-"));
    try {
      const run = (file: string) =>
        new Promise<{ code: number; out: string }>((resolve) =>
          execFile(process.execPath, ["--import", "tsx", "scripts/verify-signatures.ts", file], (error, stdout) => resolve({ code: error ? Number(error.code) : 0, out: stdout })),
        );
      writeFileSync(join(dir, "ok.json"), JSON.stringify(exported));
      const ok = await run(join(dir, "ok.json"));
      expect(ok.out).toContain(`adopted es text: its canonical SHA-256 is ${esHash}`);
      expect(ok.code, ok.out).toBe(0);
      const altered = structuredClone(exported);
      altered.authenticTexts[0].canonical.paragraphs[1].text = "RECONOCIENDO otra cosa;";
      writeFileSync(join(dir, "altered.json"), JSON.stringify(altered));
      const bad = await run(join(dir, "altered.json"));
      expect(bad.code).toBe(1);
      expect(bad.out).toContain("ADOPTED ES TEXT ALTERED");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exports a language version through its original, and answers 404 for a language the document has not", async () => {
    const es = (await secretariat.get(`/api/documents/${original.id}/languages`)).body.find((l: { language: string }) => l.language === "es").documentId;
    const res = await fetch(`${server.url}/api/documents/${original.id}/export?format=text&language=es`, { headers: { cookie: delegate.cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("RECONOCIENDO que la trata de personas es un delito grave;");
    const same = await fetch(`${server.url}/api/documents/${es}/export?format=text&language=en`, { headers: { cookie: delegate.cookie } });
    expect(await same.text()).toContain("RECOGNIZING that trafficking");
    const pt = await fetch(`${server.url}/api/documents/${original.id}/export?format=text&language=pt`, { headers: { cookie: delegate.cookie } });
    expect(pt.status).toBe(404);
  });

  it("has a translator's languages set by the secretariat, checked against the meeting's", async () => {
    const meeting = server.demo.meetingId;
    const wrong = await secretariat.post(`/api/meetings/${meeting}/members`, { username: "translator.de", displayName: "German translator", role: "translator", languages: ["de"] });
    expect(wrong.status).toBe(400);
    const none = await secretariat.post(`/api/meetings/${meeting}/members`, { username: "translator.xx", displayName: "Translator", role: "translator" });
    expect(none.status).toBe(400);
    const added = await secretariat.post(`/api/meetings/${meeting}/members`, { username: "translator.fr", displayName: "French translator", role: "translator", languages: ["fr"] });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.member.languages).toEqual(["fr"]);
    const changed = await secretariat.patch(`/api/meetings/${meeting}/members/${added.body.member.userId}`, { languages: ["fr", "pt"] });
    expect(changed.body.languages).toEqual(["fr", "pt"]);
    const delegateWithLanguages = await secretariat.patch(`/api/meetings/${meeting}/members/${server.demo.users["arg.delegate"]!.id}`, { languages: ["es"] });
    expect(delegateWithLanguages.status).toBe(400);
    const session = await login(server.url, "translator.es", "accord-demo");
    expect(session.user).toMatchObject({ role: "translator" });
    expect((session.user as unknown as { languages: string[] }).languages).toEqual(["es"]);
  });
});

describe("the follow, off the editors' path", () => {
  /** A new operative paragraph `id` at `index` of a client's copy, as the editor writes it. */
  function addParagraph(c: CollabClient, index: number, id: string): void {
    const added = new Y.XmlElement("paragraph");
    for (const [k, v] of Object.entries((textFragment(c.doc).get(2) as Y.XmlElement).getAttributes())) added.setAttribute(k, k === "id" ? id : (v as string));
    c.doc.transact(() => textFragment(c.doc).insert(index, [added]));
  }
  const owed = (originalId: string) => server.ctx.db.prepare("SELECT touched FROM structure_follows WHERE original_id = ?").get(originalId) as { touched: string } | undefined;
  const storedIds = (documentId: string) => documentStructure(server.ctx, documentId).map((b) => b.id);

  it("follows a burst of structural changes once, after they are stored, against the original as it is then; the debt is on disk until the follow", async () => {
    const doc = createTestDeclaration(server, "Languages burst");
    const es = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "es" })).body.id as string;
    const fr = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "fr" })).body.id as string;
    const follows = followTimings.length;
    // Six changes of the original's structure in one turn, each committed on its own: five paragraphs added, one of them deleted again.
    for (let i = 0; i < 5; i++)
      runCommand(server.ctx, (tx) => tx.changeText(doc.id, null, (fragment) => insertBlocks(fragment, 2, [{ id: `pBurst${i}`, type: "paragraph", kind: "op", level: 0, runs: [] }])));
    runCommand(server.ctx, (tx) => tx.changeText(doc.id, null, (fragment) => fragment.delete(3, 1)));
    const expected = [doc.blocks[0]!.id, doc.blocks[1]!.id, "pBurst4", "pBurst2", "pBurst1", "pBurst0", doc.blocks[2]!.id, doc.blocks[3]!.id];
    expect(storedIds(doc.id)).toEqual(expected);
    // Stored and sent, the versions not yet changed: what they owe is recorded with the original's changes.
    expect(storedIds(es)).toEqual(doc.blocks.map((b) => b.id));
    expect(new Set(JSON.parse(owed(doc.id)!.touched))).toEqual(new Set(["pBurst0", "pBurst1", "pBurst2", "pBurst3", "pBurst4"]));
    await eventually(() => followTimings.length > follows, 5000, "the follow");
    expect(followTimings.length).toBe(follows + 1);
    expect(followTimings.at(-1)).toMatchObject({ versions: 2, changes: 6 });
    expect(storedIds(es)).toEqual(expected);
    expect(storedIds(fr)).toEqual(expected);
    expect(owed(doc.id)).toBeUndefined();
  });

  it("keeps the original from adoption while a version still has a paragraph the original deleted, until it follows", async () => {
    const doc = createTestDeclaration(server, "Languages not yet followed");
    const es = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "es" })).body.id as string;
    const follows = followTimings.length;
    runCommand(server.ctx, (tx) => tx.changeText(doc.id, null, (fragment) => fragment.delete(3, 1)));
    // In the turn between the original's change and the follow: the version's OP2 stands in the way.
    expect(storedIds(es)).toContain(doc.blocks[3]!.id);
    expect(languageAdoptionBlockers(server.ctx, doc.id)).toContain("es: OP2 is outdated");
    await eventually(() => followTimings.length > follows, 5000, "the follow");
    expect(storedIds(es)).not.toContain(doc.blocks[3]!.id);
    // Left: every paragraph not translated yet, none outdated.
    expect(languageAdoptionBlockers(server.ctx, doc.id).filter((r) => r.endsWith("is outdated"))).toEqual([]);
  });

  it("follows while a translator types in the version: the structure is the original's, every word typed is kept, nothing refused", async () => {
    const doc = createTestDeclaration(server, "Languages typing");
    const esId = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "es" })).body.id as string;
    const version = connect(esId, translator);
    const writer = connect(doc.id, delegate);
    await Promise.all([version.synced, writer.synced]);
    const follows = followTimings.length;
    let typed = "";
    for (let i = 0; i < 40; i++) {
      typeAt(version, 1, ` w${i}`);
      typed += ` w${i}`;
      if (i % 8 === 0) addParagraph(writer, 3, `pWhileTyping${i}`);
      // Each to its socket before the next, so that keystrokes and changes interleave at the server.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await eventually(() => JSON.stringify(idsOf(version)) === JSON.stringify(idsOf(writer)) && textIn(version, doc.blocks[1]!.id) === typed, 5000, "the version following and the translation typed");
    expect(followTimings.length).toBeGreaterThan(follows);
    expect(idsOf(writer).filter((id) => id.startsWith("pWhileTyping"))).toHaveLength(5);
    expect(storedIds(esId)).toEqual(storedIds(doc.id));
    const stored = (await translator.get(`/api/documents/${esId}/content`)).body.canonical.paragraphs as Array<{ id: string; text: string }>;
    expect(stored.find((p) => p.id === doc.blocks[1]!.id)!.text).toBe(typed);
    expect(version.denials).toEqual([]);
    expect(writer.denials).toEqual([]);
  });

  it("makes a follow left owed by a process stopped between the original's change and the follow, when a version or the original is next opened", async () => {
    const ctx = server.ctx;
    const doc = createTestDeclaration(server, "Languages stopped");
    const esId = (await secretariat.post(`/api/documents/${doc.id}/languages`, { language: "es" })).body.id as string;
    /** What a process stopped right after storing a new paragraph `id` in the original leaves: the change in its log, the debt, no follow. */
    const stoppedAfterChange = (id: string) => {
      const stored = ctx.texts.load(doc.id);
      let update: Uint8Array | null = null;
      stored.doc.on("update", (u: Uint8Array) => (update = u));
      stored.doc.transact(() => insertBlocks(textFragment(stored.doc), 2, [{ id, type: "paragraph", kind: "op", level: 0, runs: [] }]));
      ctx.db.transaction(() => {
        ctx.texts.append([{ documentId: doc.id, seq: stored.nextSeq, update: update!, userId: null }]);
        ctx.db.prepare("INSERT INTO structure_follows (original_id, touched, owed_since) VALUES (?, ?, ?)").run(doc.id, JSON.stringify([id]), new Date().toISOString());
      })();
      stored.doc.destroy();
    };
    expect(ctx.rooms.get(doc.id)).toBeUndefined();
    expect(ctx.rooms.get(esId)).toBeUndefined();
    stoppedAfterChange("pOwedFirst");
    // A translator opens the version: it follows the original at once.
    const reader = collabClient(server.url, esId, translator.cookie);
    await reader.synced;
    await eventually(() => idsOf(reader)[2] === "pOwedFirst", 5000, "the owed follow at the version's opening");
    expect(owed(doc.id)).toBeUndefined();
    reader.destroy();
    await eventually(() => ctx.rooms.get(esId) === undefined, 5000, "the version closed");
    stoppedAfterChange("pOwedSecond");
    // A delegate opens the original: its versions follow it, nobody typing.
    const writer = connect(doc.id, delegate);
    await writer.synced;
    await eventually(() => storedIds(esId)[2] === "pOwedSecond", 5000, "the owed follow at the original's opening");
    expect(storedIds(esId)).toEqual(idsOf(writer));
    expect(owed(doc.id)).toBeUndefined();
  });
});

/**
 * A real text that exists in two languages, the first articles of the Universal Declaration
 * of Human Rights as the United Nations publishes them in English and Spanish: the two say
 * the same with another inner structure (Spanish turns the first considerandum's clauses
 * round, and makes article 1's two sentences one).
 */
const UDHR = [
  ["title", "Universal Declaration of Human Rights", "Declaración Universal de Derechos Humanos"],
  ["pp", "Whereas recognition of the inherent dignity and of the equal and inalienable rights of all members of the human family is the foundation of freedom, justice and peace in the world,", "Considerando que la libertad, la justicia y la paz en el mundo tienen por base el reconocimiento de la dignidad intrínseca y de los derechos iguales e inalienables de todos los miembros de la familia humana;"],
  ["pp", "Whereas disregard and contempt for human rights have resulted in barbarous acts which have outraged the conscience of mankind,", "Considerando que el desconocimiento y el menosprecio de los derechos humanos han originado actos de barbarie ultrajantes para la conciencia de la humanidad;"],
  ["op", "All human beings are born free and equal in dignity and rights. They are endowed with reason and conscience and should act towards one another in a spirit of brotherhood.", "Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como están de razón y conciencia, deben comportarse fraternalmente los unos con los otros."],
  ["op", "Everyone is entitled to all the rights and freedoms set forth in this Declaration, without distinction of any kind.", "Toda persona tiene todos los derechos y libertades proclamados en esta Declaración, sin distinción alguna."],
  ["op", "Everyone has the right to life, liberty and security of person.", "Todo individuo tiene derecho a la vida, a la libertad y a la seguridad de su persona."],
] as const;

describe("a real text in two languages", () => {
  it("reports exactly the paragraphs changed in the original as outdated, refuses adoption while one is, adopts after, and the signature covers both texts", async () => {
    const blocks = UDHR.map(([kind, english]) => ({ id: newId("p"), type: kind === "title" ? "title" : "paragraph", kind, level: 0, runs: [{ text: english }] }) as Block);
    const id = runCommand(server.ctx, (tx) =>
      createDocument(tx, SYSTEM, { meetingId: server.demo.meetingId, bodyId: server.demo.bodies.adhoc!, kind: "declaration", title: UDHR[0][1], symbol: `UDHR/${newId("s")}`, blocks, state: "negotiation" }),
    );
    const esId = (await secretariat.post(`/api/documents/${id}/languages`, { language: "es" })).body.id as string;
    const version = connect(esId, translator);
    await version.synced;
    UDHR.forEach(([, , spanish], i) => typeAt(version, i, spanish));
    await eventually(async () => (await translator.get(`/api/documents/${esId}/content`)).body.canonical.paragraphs.every((p: { text: string }, i: number) => p.text === UDHR[i]![2]), 5000, "the Spanish text");
    for (const b of blocks) expect((await translator.post(`/api/documents/${esId}/paragraphs/${b.id}/translated`)).status).toBe(200);
    expect([...(await statusOf(esId)).values()].every((p) => p.status === "current")).toBe(true);

    // The original changes in article 1 and article 3: exactly those two are outdated, with what changed.
    const writer = connect(id, delegate);
    await writer.synced;
    typeAt(writer, 3, " Everyone shall respect this.");
    typeAt(writer, 5, " No one shall be held in slavery.");
    await eventually(async () => [...(await statusOf(esId)).values()].filter((p) => p.status === "outdated").length === 2, 5000, "two outdated");
    const statuses = await statusOf(esId);
    expect(blocks.filter((b) => statuses.get(b.id)!.status === "outdated").map((b) => b.id)).toEqual([blocks[3]!.id, blocks[5]!.id]);
    expect(statuses.get(blocks[5]!.id)!.originalDiff).toEqual([
      { op: "equal", text: UDHR[5][1] },
      { op: "insert", text: " No one shall be held in slavery." },
    ]);
    writer.destroy();
    // Clean as the chair makes it (every paragraph agreed), the translations left as they are.
    const agreed = await chair.post(`/api/documents/${id}/paragraph-statuses`, { paragraphIds: blocks.slice(1).map((b) => b.id), status: "yellow" });
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200);

    // Adoption waits for both, then for the one left, then takes place.
    expect((await chair.post(`/api/documents/${id}/transitions`, { to: "agreed_ad_ref" })).status).toBe(200);
    expect((await (await server.login("rapporteur")).post(`/api/documents/${id}/transitions`, { to: "referred" })).status).toBe(200);
    const twice = await chair.post(`/api/documents/${id}/transitions`, { to: "adopted" });
    expect(twice.status).toBe(409);
    expect(twice.body.reasons).toHaveLength(2);
    expect(twice.body.reasons).toEqual(["es: OP1 is outdated", "es: OP3 is outdated"]);
    typeAt(version, 3, " Todos deben respetarlo.");
    await eventually(async () => (await translator.get(`/api/documents/${esId}/content`)).body.canonical.paragraphs[3].text.endsWith("respetarlo."), 5000, "article 1 translated again");
    expect((await translator.post(`/api/documents/${esId}/paragraphs/${blocks[3]!.id}/translated`)).status).toBe(200);
    const once = await chair.post(`/api/documents/${id}/transitions`, { to: "adopted" });
    expect(once.status).toBe(409);
    expect(once.body.reasons).toEqual(["es: OP3 is outdated"]);
    typeAt(version, 5, " Nadie estará sometido a esclavitud.");
    await eventually(async () => (await translator.get(`/api/documents/${esId}/content`)).body.canonical.paragraphs[5].text.endsWith("esclavitud."), 5000, "article 3 translated again");
    expect((await translator.post(`/api/documents/${esId}/paragraphs/${blocks[5]!.id}/translated`)).status).toBe(200);
    const adopted = await chair.post(`/api/documents/${id}/transitions`, { to: "adopted" });
    expect(adopted.status, JSON.stringify(adopted.body)).toBe(200);

    // A minister signs both authentic texts; verification checks each hash.
    const enHash = (await secretariat.get(`/api/documents/${id}/content`)).body.hash;
    const esHash = (await secretariat.get(`/api/documents/${esId}/content`)).body.hash;
    expect(esHash).not.toBe(enHash);
    // Another minister than the earlier test's (each registers one key).
    const minister = await server.login("bra.minister");
    const basis = (await minister.get(`/api/documents/${id}/signing-statement`)).body;
    expect(basis.adoptedHash).toBe(enHash);
    expect(basis.authenticTexts).toEqual([expect.objectContaining({ language: "es", hash: esHash })]);
    const signed = await signDocument(minister, await confirmedKey(minister, secretariat), id);
    expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    const verification = (await secretariat.get(`/api/documents/${id}/verification`)).body;
    expect(verification.authenticTexts).toEqual([expect.objectContaining({ language: "es", adoptedHash: esHash, currentHash: esHash, intact: true })]);
    expect(verification.signatures.find((s: { delegation: string }) => s.delegation === "BRA")).toMatchObject({ valid: true, signedWithKey: true });
  });
});

describe("the demo", () => {
  it("has the declaration in Spanish, a few paragraphs outdated by the seeded amendments and options, and the declaration adopts once they are done again", async () => {
    const id = server.demo.documents.declaration!;
    const languages = (await delegate.get(`/api/documents/${id}/languages`)).body;
    const es = languages.find((l: { language: string }) => l.language === "es");
    const statuses = (await translator.get(`/api/documents/${es.documentId}/translation-status`)).body as Array<{ ref: string; status: string }>;
    // PP2 and OP8 by the amendments the chair accepted, PP7 by the option the group added to its bracket.
    expect(statuses.filter((s) => s.status === "outdated").map((s) => s.ref)).toEqual(["PP2", "PP7", "OP8"]);
    expect(es.paragraphs).toEqual({ current: statuses.length - 3, outdated: 3, missing: 0 });
    await makeClean(server, id, chair);
    await adopt(server, id, chair);
  });
});

describe("followInto", () => {
  const blocks = (ids: string[]) =>
    ids.map((id, i) => ({ id, type: (i === 0 ? "title" : "paragraph") as "title" | "paragraph", kind: (i === 0 ? "title" : "op") as "title" | "op", level: 0 }));
  function version(texts: Record<string, string>): Y.XmlFragment {
    const doc = new Y.Doc();
    const fragment = textFragment(doc);
    doc.transact(() =>
      insertBlocks(
        fragment,
        0,
        Object.entries(texts).map(([id, text], i) => ({ ...blocks(Object.keys(texts))[i]!, id, runs: text ? [{ text }] : [] })),
      ),
    );
    return fragment;
  }
  const read = (fragment: Y.XmlFragment) =>
    fragment.toArray().map((e) => [String((e as Y.XmlElement).getAttribute("id")), (e as Y.XmlElement).toArray().map((t) => t.toString()).join("")]);

  it("follows a split (the new half empty) and a merge (the merged translation kept in the paragraph it joined)", () => {
    const split = version({ t: "Título", a: "Uno. Dos.", b: "Tres." });
    split.doc!.transact(() => followInto(split, blocks(["t", "a", "a2", "b"]), new Set(["a"])));
    expect(read(split)).toEqual([["t", "Título"], ["a", "Uno. Dos."], ["a2", ""], ["b", "Tres."]]);
    const merge = version({ t: "Título", a: "Uno.", b: "Dos." });
    merge.doc!.transact(() => followInto(merge, blocks(["t", "a"]), new Set(["a"])));
    expect(read(merge)).toEqual([["t", "Título"], ["a", "Uno. Dos."]]);
    const reordered = version({ t: "T", a: "A", b: "B", c: "C" });
    reordered.doc!.transact(() => followInto(reordered, blocks(["t", "c", "a", "b"])));
    expect(read(reordered)).toEqual([["t", "T"], ["c", "C"], ["a", "A"], ["b", "B"]]);
  });
});

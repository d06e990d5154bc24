import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { databaseFile } from "../server/config.js";
import { eventHash } from "../server/audit/audit.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, listenEvents } from "./helpers/collab.js";
import { adopt, createTestDeclaration, logins, makeClean } from "./helpers/lifecycle.js";
import { login, type ApiClient } from "./helpers/api.js";
import { createContext, startAccord } from "../server/app.js";
import { confirmedKey, registerKey, signDocument, type MinisterKeys } from "./helpers/signing.js";

let server: TestServer;
let db: Database.Database;
beforeAll(async () => {
  server = await startTestServer();
  // A second connection to the server's SQLite file, as someone tampering with it would open it.
  db = new Database(databaseFile({ dataDir: server.dataDir }));
});
afterAll(async () => {
  db?.close();
  await server?.stop();
});

const MINISTERS = () => server.demo.accounts.filter((a) => a.role === "minister");

/** Each minister's confirmed key, made once per server. */
const keyring = new Map<string, MinisterKeys>();
const secretariats = new Map<string, Promise<ApiClient>>();
async function keyOf(target: TestServer, minister: ApiClient): Promise<MinisterKeys> {
  const name = `${target.url} ${minister.username}`;
  if (!secretariats.has(target.url)) secretariats.set(target.url, target.login("secretariat"));
  if (!keyring.has(name)) keyring.set(name, await confirmedKey(minister, await secretariats.get(target.url)!));
  return keyring.get(name)!;
}

describe("the demo declaration from negotiation to signature", () => {
  const docId = () => server.demo.documents.declaration!;
  let chair: ApiClient;
  let staleHash: string;

  it("is made clean, agreed ad ref, referred and adopted by the demo accounts", async () => {
    chair = await server.login("chair");
    const arg = await server.login("arg.delegate");
    // A delegate's last edit before the text is agreed: the hash shown before it goes stale.
    staleHash = (await arg.get(`/api/documents/${docId()}/content`)).body.hash;
    const client = collabClient(server.url, docId(), arg.cookie);
    await client.synced;
    const t = (textFragment(client.doc).get(2) as Y.XmlElement).get(0) as Y.XmlText;
    t.insert(t.length, " ");
    await eventually(async () => (await arg.get(`/api/documents/${docId()}/content`)).body.hash !== staleHash, 5000, "last edit");
    client.destroy();

    const blockers = server.ctx.guards.documentBlockers(server.ctx, docId());
    if (blockers.length > 0) {
      // The features that report what is not clean are installed: the chair hears every reason.
      const refused = await chair.post(`/api/documents/${docId()}/transitions`, { to: "agreed_ad_ref" });
      expect(refused.status).toBe(409);
      expect(refused.body.reasons).toEqual(blockers);
      if (blockers.filter((b) => b.startsWith("bracket")).length > 1) expect(refused.body.error).toMatch(/\d+ brackets open \(/);
    }
    await makeClean(server, docId(), chair);
    expect(server.ctx.guards.documentBlockers(server.ctx, docId())).toEqual([]);
    await adopt(server, docId(), chair);
    const verification = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    expect(verification.adoptedHash).toBe((await chair.get(`/api/documents/${docId()}/content`)).body.hash);
    expect(verification.adoptedHash).not.toBe(staleHash);
    expect(verification.missing.length).toBe(35);
  });

  it("refuses a stale hash (409), a delegate (403) and a minister signing for another delegation (403)", async () => {
    const { adoptedHash } = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    const [bra, delegate] = await logins(server, ["bra.minister", "arg.delegate"] as const);
    const braKeys = await keyOf(server, bra);
    const stale = await signDocument(bra, braKeys, docId(), { hash: staleHash });
    expect(stale.status).toBe(409);
    expect(stale.body.reasons.join(" ")).toContain(adoptedHash);
    expect((await delegate.post(`/api/documents/${docId()}/signatures`, { hash: adoptedHash, password: "accord-demo", statement: "{}", signature: "A".repeat(86) + "==" })).status).toBe(403);
    expect((await signDocument(bra, braKeys, docId(), { delegation: "ARG" })).status).toBe(403);
    expect((await chair.get(`/api/documents/${docId()}/signing-statement`)).status).toBe(403);
    expect((await bra.post(`/api/documents/${docId()}/signatures`, { hash: "nope" })).status).toBe(400);
    expect((await chair.get(`/api/documents/${docId()}/signatures`)).body.signatures).toEqual([]);
  });

  it("asks for the minister's password again, and a signature made with another key than the confirmed one is refused", async () => {
    const bra = await server.login("bra.minister");
    const braKeys = await keyOf(server, bra);
    const wrong = await signDocument(bra, braKeys, docId(), { password: "not-my-password" });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toMatch(/wrong password/);
    const missing = await bra.post(`/api/documents/${docId()}/signatures`, { hash: "a".repeat(64) });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.reasons)).toMatch(/password/);
    // A key the minister never confirmed (held by someone with the password) signs nothing.
    const { webcrypto } = await import("node:crypto");
    const other = (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as MinisterKeys;
    const forged = await signDocument(bra, other, docId());
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatch(/does not verify/);
    // A statement about another text is refused, field by field.
    const basis = (await bra.get(`/api/documents/${docId()}/signing-statement`)).body;
    const { statementText } = await import("../schema/signing-statement.js");
    const { signText } = await import("./helpers/signing.js");
    const altered = statementText({ ...basis, adoptedHash: "0".repeat(64), signedAt: new Date().toISOString(), reservation: null });
    const mismatch = await bra.post(`/api/documents/${docId()}/signatures`, { hash: basis.adoptedHash, password: "accord-demo", statement: altered, signature: await signText(braKeys, altered) });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.reasons).toEqual([`adoptedHash: expected "${basis.adoptedHash}"`]);
    // A key waiting for the secretariat's confirmation signs nothing yet.
    const chl = await server.login("chl.minister");
    const pending = await signDocument(chl, (await registerKey(chl)).keys, docId());
    expect(pending.status).toBe(409);
    expect(pending.body.error).toMatch(/no confirmed signing key/);
    expect((await chair.get(`/api/documents/${docId()}/signatures`)).body.signatures).toEqual([]);
  });

  it("all 35 ministers sign, two with reservations; the document becomes signed and every signature matches", async () => {
    const { adoptedHash } = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    const op = (await chair.get(`/api/documents/${docId()}/content`)).body.canonical.paragraphs.find((p: { kind: string }) => p.kind === "op");
    const events = await listenEvents(server.url, docId(), chair.cookie);
    const ministers = MINISTERS();
    expect(ministers.length).toBe(35);
    // Sign-ins first, in parallel: each one is a deliberate password hash.
    const clients = await Promise.all(ministers.map((m) => server.login(m.username)));
    const keys = await Promise.all(clients.map((c) => keyOf(server, c)));
    const signAs = async (i: number) => {
      const m = ministers[i]!;
      const options =
        m.delegation === "USA"
          ? { delegation: "USA", reservation: { paragraphId: op.id, text: "The United States joins consensus but does not consider this paragraph binding." } }
          : m.delegation === "CAN"
            ? { reservation: { text: "Canada reserves its position on the declaration as a whole pending domestic consultations." } }
            : {};
      const signed = await signDocument(clients[i]!, keys[i]!, docId(), options);
      expect(signed.status, JSON.stringify(signed.body)).toBe(201);
      expect(signed.body.delegation).toBe(m.delegation);
    };
    // All but the last in groups of five at once (each asks for a password hash), as a
    // room of ministers would; the document stays adopted until the last one signs.
    for (let from = 0; from < ministers.length - 1; from += 5)
      await Promise.all(Array.from({ length: Math.min(5, ministers.length - 1 - from) }, (_, k) => signAs(from + k)));
    expect((await chair.get(`/api/documents/${docId()}`)).body.state).toBe("adopted");
    await signAs(ministers.length - 1);
    expect((await chair.get(`/api/documents/${docId()}`)).body.state).toBe("signed");
    await events.waitFor("document.transitioned", (e) => e.data.state === "signed");
    await events.waitFor("reservation.added", (e) => e.data.delegation === "USA");
    expect(events.events.filter((e) => e.type === "signature.added").length).toBe(35);

    const v = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    expect(v.state).toBe("signed");
    expect(v.ok).toBe(true);
    expect(v.problems).toEqual([]);
    expect(v.currentHash).toBe(adoptedHash);
    expect(v.audit.ok).toBe(true);
    expect(v.signatures.length).toBe(35);
    expect(v.signatures.every((s: { valid: boolean; hash: string; matchesCurrent: boolean }) => s.valid && s.hash === adoptedHash && s.matchesCurrent)).toBe(true);
    expect(v.missing).toEqual([]);
    const footnotes = (await chair.get(`/api/documents/${docId()}/reservations`)).body;
    expect(footnotes.map((f: { footnote: number; delegation: string; ref: string | null }) => [f.footnote, f.delegation, f.ref])).toEqual(
      expect.arrayContaining([
        [expect.any(Number), "USA", op.ref],
        [expect.any(Number), "CAN", null],
      ]),
    );
    expect(footnotes.length).toBe(2);
    expect(v.reservations.length).toBe(2);
    const versions = (await chair.get(`/api/documents/${docId()}/versions`)).body;
    expect(versions.at(-1)).toMatchObject({ label: "as signed", state: "signed", hash: adoptedHash });
    const braAgain = await server.login("bra.minister");
    const again = await signDocument(braAgain, await keyOf(server, braAgain), docId());
    expect(again.status).toBe(409);
    events.close();
  }, 240_000);

  it("reports a signature changed directly in the SQLite file, and which one", async () => {
    const row = db.prepare("SELECT id, hash FROM signatures WHERE document_id = ? AND delegation = 'BRA'").get(docId()) as { id: string; hash: string };
    db.prepare("UPDATE signatures SET hash = ? WHERE id = ?").run("f".repeat(64), row.id);
    const broken = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    expect(broken.ok).toBe(false);
    const bra = broken.signatures.find((s: { delegation: string }) => s.delegation === "BRA");
    expect(bra).toMatchObject({ valid: false, intact: false });
    expect(bra.problem).toMatch(/BRA.*changed/);
    expect(broken.signatures.filter((s: { valid: boolean }) => !s.valid).length).toBe(1);
    // Re-sealing the forged row is not enough: the audit trail holds the seal it was signed with.
    const sealed = (await import("../server/lifecycle/signatures.js")).sealedFields;
    const { signatureSeal } = await import("../server/lifecycle/seal.js");
    const full = db
      .prepare(`SELECT s.*, r.paragraph_id AS reservation_paragraph_id, r.text AS reservation_text FROM signatures s LEFT JOIN reservations r ON r.id = s.reservation_id WHERE s.id = ?`)
      .get(row.id) as Parameters<typeof sealed>[0];
    db.prepare("UPDATE signatures SET seal = ? WHERE id = ?").run(signatureSeal(sealed(full)), row.id);
    const resealed = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    expect(resealed.signatures.find((s: { delegation: string }) => s.delegation === "BRA").problem).toMatch(/audit record/);
    db.prepare("UPDATE signatures SET hash = ?, seal = (SELECT json_extract(details, '$.seal') FROM audit_events WHERE target_id = ? ORDER BY seq DESC LIMIT 1) WHERE id = ?").run(row.hash, row.id, row.id);
    expect((await chair.get(`/api/documents/${docId()}/verification`)).body.ok).toBe(true);
  });

  it("reports a deleted signature the audit trail remembers", async () => {
    const row = db.prepare("SELECT * FROM signatures WHERE document_id = ? AND delegation = 'MEX'").get(docId()) as Record<string, unknown>;
    db.prepare("DELETE FROM signatures WHERE id = ?").run(row.id);
    const v = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    expect(v.ok).toBe(false);
    expect(v.signatures.find((s: { delegation: string }) => s.delegation === "MEX").problem).toMatch(/missing/);
    const columns = Object.keys(row);
    db.prepare(`INSERT INTO signatures (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`).run(row);
    expect((await chair.get(`/api/documents/${docId()}/verification`)).body.ok).toBe(true);
  });

  it("reports an edited, a deleted middle and a deleted last audit row, and where the chain breaks", async () => {
    const verify = async () => (await chair.get(`/api/documents/${docId()}/verification`)).body.audit;
    const target = db.prepare("SELECT * FROM audit_events WHERE document_id = ? AND action = 'signature.added' ORDER BY seq LIMIT 1").get(docId()) as Record<string, unknown> & { seq: number; details: string };
    db.prepare("UPDATE audit_events SET details = ? WHERE seq = ?").run(target.details.replace(/"delegation":"[A-Z]{3}"/, '"delegation":"ZZZ"'), target.seq);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: target.seq });
    expect((await verify()).problem).toMatch(/altered/);
    db.prepare("UPDATE audit_events SET details = ? WHERE seq = ?").run(target.details, target.seq);
    expect((await verify()).ok).toBe(true);

    const columns = Object.keys(target);
    const restore = (row: Record<string, unknown>) =>
      db.prepare(`INSERT INTO audit_events (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`).run(row);
    db.prepare("DELETE FROM audit_events WHERE seq = ?").run(target.seq);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: target.seq + 1 });
    restore(target);

    const last = db.prepare("SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1").get() as Record<string, unknown> & { seq: number };
    db.prepare("DELETE FROM audit_events WHERE seq = ?").run(last.seq);
    const broken = await verify();
    expect(broken).toMatchObject({ ok: false, brokenAt: last.seq });
    expect(broken.problem).toMatch(/missing/);
    restore(last);
    expect((await verify()).ok).toBe(true);

    // A well-formed event appended behind the server's back links perfectly; only the anchor knows.
    const forged = { ...last, seq: last.seq + 1, action: "signature.voided", prev_hash: last.hash } as Record<string, unknown> & { seq: number };
    const { hash: _hash, ...unhashed } = forged;
    forged.hash = eventHash(unhashed as Parameters<typeof eventHash>[0]);
    restore(forged);
    const added = await verify();
    expect(added).toMatchObject({ ok: false, brokenAt: last.seq + 1 });
    expect(added.problem).toMatch(/added/);
    db.prepare("DELETE FROM audit_events WHERE seq = ?").run(forged.seq);
    expect((await verify()).ok).toBe(true);
  });

  it("reopening voids every signature and its reservations, keeping them on record", async () => {
    const events = await listenEvents(server.url, docId(), chair.cookie);
    const reopened = await chair.post(`/api/documents/${docId()}/transitions`, { to: "reopened", reason: "the plenary asked to revisit OP5" });
    expect(reopened.status).toBe(200);
    const list = (await chair.get(`/api/documents/${docId()}/signatures`)).body;
    expect(list.signatures).toEqual([]);
    expect(list.voided.length).toBe(35);
    expect(list.voided.every((s: { voidedReason: string }) => s.voidedReason === "the plenary asked to revisit OP5")).toBe(true);
    expect((await chair.get(`/api/documents/${docId()}/reservations`)).body).toEqual([]);
    await events.waitFor("signature.voided");
    const v = (await chair.get(`/api/documents/${docId()}/verification`)).body;
    expect(v.adoptedHash).toBeNull();
    expect(v.ok).toBe(true);
    expect(v.signatures.every((s: { voided: boolean; intact: boolean; valid: boolean }) => s.voided && s.intact && !s.valid)).toBe(true);
    expect(v.missing.length).toBe(35);
    events.close();
  });
});

describe("signatories and reservations", () => {
  it("the secretariat chooses who must sign; signing completes when they have", async () => {
    const { id } = createTestDeclaration(server, "Two-party declaration");
    const [secretariat, chair, arg, argMinister, braMinister, chlMinister] = await logins(server, [
      "secretariat",
      "chair",
      "arg.delegate",
      "arg.minister",
      "bra.minister",
      "chl.minister",
    ] as const);
    expect((await secretariat.get(`/api/documents/${id}/signatories`)).body).toMatchObject({ isDefault: true });
    expect((await chair.put(`/api/documents/${id}/signatories`, { delegations: ["ARG", "BRA"] })).status).toBe(403);
    expect((await secretariat.put(`/api/documents/${id}/signatories`, { delegations: ["ARG", "XYZ"] })).status).toBe(400);
    const set = await secretariat.put(`/api/documents/${id}/signatories`, { delegations: ["ARG", "BRA"] });
    expect(set.body).toEqual({ delegations: ["ARG", "BRA"], isDefault: false });
    await makeClean(server, id, chair);
    await adopt(server, id, chair);
    expect((await signDocument(chlMinister, await keyOf(server, chlMinister), id)).status).toBe(403);
    expect((await signDocument(argMinister, await keyOf(server, argMinister), id)).status).toBe(201);
    expect((await chair.get(`/api/documents/${id}`)).body.state).toBe("adopted");
    expect((await signDocument(braMinister, await keyOf(server, braMinister), id)).status).toBe(201);
    expect((await chair.get(`/api/documents/${id}`)).body.state).toBe("signed");
    expect((await secretariat.put(`/api/documents/${id}/signatories`, { delegations: null })).status).toBe(409);
    // A delegation may still lodge a reservation after adoption, without signing.
    const lodged = await arg.post(`/api/documents/${id}/reservations`, { text: "Argentina interprets OP1 in light of its constitution." });
    expect(lodged.status).toBe(201);
    expect(lodged.body).toMatchObject({ delegation: "ARG", signatureId: null, paragraphId: null });
  });

  it("delegations lodge reservations on paragraphs before adoption; others may not", async () => {
    const { id, blocks } = createTestDeclaration(server, "Reserved declaration");
    const [observer, chair, bra] = await logins(server, ["observer", "chair", "bra.delegate"] as const);
    const events = await listenEvents(server.url, id, chair.cookie);
    expect((await observer.post(`/api/documents/${id}/reservations`, { text: "no" })).status).toBe(403);
    expect((await chair.post(`/api/documents/${id}/reservations`, { text: "no" })).status).toBe(403);
    expect((await bra.post(`/api/documents/${id}/reservations`, { paragraphId: "nope", text: "x" })).status).toBe(400);
    expect((await bra.post(`/api/documents/${id}/reservations`, { text: "" })).status).toBe(400);
    const lodged = await bra.post(`/api/documents/${id}/reservations`, { paragraphId: blocks[3]!.id, text: "Brazil reserves on OP2." });
    expect(lodged.status).toBe(201);
    await events.waitFor("reservation.added", (e) => e.data.id === lodged.body.id);
    const footnotes = (await chair.get(`/api/documents/${id}/reservations`)).body;
    expect(footnotes).toEqual([expect.objectContaining({ footnote: 1, delegation: "BRA", ref: "OP2", text: "Brazil reserves on OP2." })]);
    const before = (await chair.get(`/api/documents/${id}/content`)).body.hash;
    expect(lodged.body.textHash).toBe(before);
    events.close();
  });
});

describe("verification after a restart", () => {
  it("finds a signature and the last audit event changed in the file while the server was down", async () => {
    const own = await startTestServer();
    let restarted: Awaited<ReturnType<typeof startAccord>> | null = null;
    try {
      const { id } = createTestDeclaration(own, "Restarted declaration");
      const [secretariat, chair, argMinister] = await logins(own, ["secretariat", "chair", "arg.minister"] as const);
      await secretariat.put(`/api/documents/${id}/signatories`, { delegations: ["ARG", "BRA"] });
      await makeClean(own, id, chair);
      await adopt(own, id, chair);
      expect((await signDocument(argMinister, await keyOf(own, argMinister), id)).status).toBe(201);
      await own.close();

      const file = new Database(databaseFile(own.ctx.config));
      file.prepare("UPDATE signatures SET signed_at = '2009-03-26T00:00:00.000Z' WHERE document_id = ?").run(id);
      const last = file.prepare("SELECT seq FROM audit_events ORDER BY seq DESC LIMIT 1").pluck().get() as number;
      file.prepare("DELETE FROM audit_events WHERE seq = ?").run(last);
      file.close();

      restarted = await startAccord(own.ctx.config, createContext(own.ctx.config));
      const viewer = await login(restarted.url, "observer");
      const v = (await viewer.get(`/api/documents/${id}/verification`)).body;
      expect(v.ok).toBe(false);
      expect(v.signatures).toEqual([expect.objectContaining({ delegation: "ARG", valid: false, intact: false })]);
      // Reported at the gap: the anchor still names the deleted event, and any event written
      // since the restart chains from it.
      expect(v.audit.ok).toBe(false);
      expect(v.audit.problem).toMatch(new RegExp(`event ${last} .*missing`));
      expect(v.problems.length).toBe(2);
    } finally {
      await restarted?.close();
      await own.stop();
    }
  });
});

/**
 * Tamper evidence against someone who can write the database file but holds neither the
 * audit key nor a minister's private key: every forgery the file alone allows is reported
 * by the verification, and a signatures export verifies offline, or fails when altered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { canonicalHash, type CanonicalDocument } from "../schema/index.js";
import { createContext } from "../server/app.js";
import { eventHash } from "../server/audit/audit.js";
import { databaseFile, } from "../server/config.js";
import { sealedFields } from "../server/lifecycle/signatures.js";
import { signatureSeal } from "../server/lifecycle/seal.js";
import { verifyDocument } from "../server/lifecycle/verification.js";
import type { ApiClient } from "./helpers/api.js";
import { adopt, createTestDeclaration, logins, makeClean } from "./helpers/lifecycle.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { confirmedKey, signDocument } from "./helpers/signing.js";

const run = promisify(execFile);

let server: TestServer;
let db: Database.Database;
let docId: string;
let chair: ApiClient;
let headBeforeSigning: Record<string, unknown>;
const scratch = mkdtempSync(join(tmpdir(), "accord-tamper-"));

type Row = Record<string, unknown>;
const rows = (sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as Row[];
const insert = (table: string, row: Row) =>
  db.prepare(`INSERT INTO ${table} (${Object.keys(row).join(", ")}) VALUES (${Object.keys(row).map((c) => `@${c}`).join(", ")})`).run(row);
const verification = async () => (await chair.get(`/api/documents/${docId}/verification`)).body;

/** Puts back the audit events from `seq` on, the head and the given signature rows, as they were. */
function putBack(events: Row[], head: Row, signatures: Row[]): void {
  db.transaction(() => {
    db.prepare("DELETE FROM audit_events WHERE seq >= ?").run(events[0]!.seq);
    for (const e of events) insert("audit_events", e);
    db.prepare("UPDATE audit_head SET seq = @seq, hash = @hash, seal = @seal, key_id = @key_id WHERE id = 1").run(head);
    for (const s of signatures) {
      db.prepare("DELETE FROM signatures WHERE id = ?").run(s.id);
      insert("signatures", s);
    }
  })();
}

/** Recomputes every event's hash from `seq` on and moves the head to the new last hash, as a forger with the file would. */
function rechain(seq: number): void {
  let prev = (db.prepare("SELECT hash FROM audit_events WHERE seq = ?").pluck().get(seq - 1) as string | undefined) ?? "0".repeat(64);
  for (const e of rows("SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq", seq)) {
    const { hash: _old, ...rest } = e;
    const hash = eventHash({ ...(rest as Parameters<typeof eventHash>[0]), prev_hash: prev });
    db.prepare("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?").run(prev, hash, e.seq);
    prev = hash;
  }
  const last = db.prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1").get() as { seq: number; hash: string };
  db.prepare("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1").run(last.seq, last.hash);
}

beforeAll(async () => {
  server = await startTestServer();
  db = new Database(databaseFile({ dataDir: server.dataDir }));
  docId = createTestDeclaration(server, "Sealed declaration").id;
  const [secretariat, argMinister, braMinister] = await logins(server, ["secretariat", "arg.minister", "bra.minister"] as const);
  chair = await server.login("chair");
  await secretariat.put(`/api/documents/${docId}/signatories`, { delegations: ["ARG", "BRA", "CHL"] });
  await makeClean(server, docId, chair);
  await adopt(server, docId, chair);
  const keys = await Promise.all([confirmedKey(argMinister, secretariat), confirmedKey(braMinister, secretariat)]);
  headBeforeSigning = db.prepare("SELECT * FROM audit_head").get() as Row;
  expect((await signDocument(argMinister, keys[0], docId)).status).toBe(201);
  expect((await signDocument(braMinister, keys[1], docId, { reservation: { text: "Brazil reads OP2 with its constitution." } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  db?.close();
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe("the audit key", () => {
  it("is generated on first start next to the data folder, readable by its owner only, and seals the head", async () => {
    const file = server.ctx.config.auditKeyFile;
    expect(file).toBe(`${server.dataDir}-keys/audit.key`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const v = await verification();
    expect(v.ok, JSON.stringify(v.problems)).toBe(true);
    expect(v.audit.sealedWith).toMatch(/^[0-9a-f]{16}$/);
    expect(v.audit.recordedSeq).toBe(db.prepare("SELECT seq FROM audit_head").pluck().get());
    expect(v.versions.intact).toBe(true);
    expect(v.signatures.every((s: { signedWithKey: boolean }) => s.signedWithKey)).toBe(true);
  });

  it("a start without the key of a sealed database is refused with a sentence; another key fails verification by name", () => {
    const config = server.ctx.config;
    expect(() => createContext({ ...config, auditKeyFile: join(scratch, "nowhere", "audit.key") })).toThrow(/sealed with audit key [0-9a-f]{16}, and there is no key at/);
    const other = createContext({ ...config, auditKey: "a different audit key of at least 32 characters" });
    try {
      const v = verifyDocument(other, docId);
      expect(v.ok).toBe(false);
      expect(v.audit.problem).toMatch(/sealed with audit key [0-9a-f]{16}, not with this server's key [0-9a-f]{16}/);
    } finally {
      other.rooms.closeAll();
      other.db.close();
    }
  });
});

describe("forgeries by whoever can write the database file", () => {
  it("a signature moved to a delegate, with its seal and the whole chain recomputed, is found", async () => {
    const sig = rows("SELECT * FROM signatures WHERE document_id = ? AND delegation = 'BRA'", docId)[0]!;
    const event = rows("SELECT * FROM audit_events WHERE target_id = ? AND action = 'signature.added'", sig.id)[0]!;
    const events = rows("SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq", event.seq);
    const head = db.prepare("SELECT * FROM audit_head").get() as Row;
    const delegate = server.demo.accounts.find((a) => a.username === "bra.delegate")!;
    const delegateId = db.prepare("SELECT id FROM users WHERE username = 'bra.delegate'").pluck().get() as string;
    db.transaction(() => {
      db.prepare("UPDATE signatures SET user_id = ?, username = ? WHERE id = ?").run(delegateId, delegate.username, sig.id);
      const full = db
        .prepare(`SELECT s.*, r.paragraph_id AS reservation_paragraph_id, r.text AS reservation_text FROM signatures s LEFT JOIN reservations r ON r.id = s.reservation_id WHERE s.id = ?`)
        .get(sig.id) as Parameters<typeof sealedFields>[0];
      const seal = signatureSeal(sealedFields(full));
      db.prepare("UPDATE signatures SET seal = ? WHERE id = ?").run(seal, sig.id);
      const details = { ...JSON.parse(event.details as string), seal };
      db.prepare("UPDATE audit_events SET user_id = ?, username = ?, role = 'delegate', details = ? WHERE seq = ?").run(delegateId, delegate.username, JSON.stringify(details), event.seq);
      rechain(event.seq as number);
    })();
    const v = await verification();
    expect(v.ok).toBe(false);
    // The chain links again, but its head is not sealed with the audit key.
    expect(v.audit.ok).toBe(false);
    expect(v.audit.problem).toMatch(/does not carry the audit key's seal/);
    const bra = v.signatures.find((s: { delegation: string }) => s.delegation === "BRA");
    expect(bra.valid).toBe(false);
    expect(bra.problem).toMatch(/recorded for delegate of BRA, not a minister of BRA/);
    // Beside the English sentence, its code and values, for a client in another language.
    expect(bra.problemCode).toEqual({ code: "verification.signer_not_minister", params: { delegation: "BRA", role: "delegate", recorded: "BRA" } });
    expect(v.problemCodes).toHaveLength(v.problems.length);
    expect(v.problemCodes).toContainEqual(bra.problemCode);
    putBack(events, head, [sig]);
    expect((await verification()).ok).toBe(true);
  });

  it("signatures deleted with the chain head moved back to a sealed head of before are found", async () => {
    const signatures = rows("SELECT * FROM signatures WHERE document_id = ?", docId);
    const events = rows("SELECT * FROM audit_events WHERE seq > ? ORDER BY seq", headBeforeSigning.seq);
    const head = db.prepare("SELECT * FROM audit_head").get() as Row;
    db.transaction(() => {
      db.prepare("DELETE FROM signatures WHERE document_id = ?").run(docId);
      db.prepare("DELETE FROM audit_events WHERE seq > ?").run(headBeforeSigning.seq);
      // The head as it was before anyone signed: a genuine seal, copied from an old backup.
      db.prepare("UPDATE audit_head SET seq = @seq, hash = @hash, seal = @seal, key_id = @key_id WHERE id = 1").run(headBeforeSigning);
    })();
    const v = await verification();
    expect(v.ok).toBe(false);
    expect(v.signatures).toEqual([]);
    expect(v.audit.problem).toMatch(new RegExp(`events ${(headBeforeSigning.seq as number) + 1} to \\d+ were sealed and recorded outside the database but are missing`));
    putBack(events, head, signatures);
    expect((await verification()).ok).toBe(true);
  });

  it("a version's text altered, then its hash recomputed too, is found", async () => {
    const version = rows("SELECT id, canonical, hash FROM versions WHERE document_id = ? AND state <> 'adopted' ORDER BY number LIMIT 1", docId)[0]!;
    const altered = (version.canonical as string).replace("Palermo Protocol", "Kyoto Protocol");
    expect(altered).not.toBe(version.canonical);
    db.prepare("UPDATE versions SET canonical = ? WHERE id = ?").run(altered, version.id);
    const changed = await verification();
    expect(changed.problems).toEqual([expect.stringMatching(/stored text of version .* no longer hashes to its hash/)]);
    expect(changed.problemCodes).toEqual([{ code: "verification.version_changed", params: { symbol: expect.any(String), label: expect.any(String), hash: version.hash } }]);
    db.prepare("UPDATE versions SET hash = ? WHERE id = ?").run(canonicalHash(JSON.parse(altered) as CanonicalDocument), version.id);
    expect((await verification()).problems).toEqual([expect.stringMatching(/has a hash the audit trail did not record/)]);
    db.prepare("UPDATE versions SET canonical = ?, hash = ? WHERE id = ?").run(version.canonical, version.hash, version.id);
    expect((await verification()).ok).toBe(true);
  });
});

describe("the password asked again when signing", () => {
  it("five wrong passwords lock signing for the minister, whatever the password, and each is audited", async () => {
    const chl = await server.login("chl.minister");
    const attempt = (password: string) =>
      chl.post(`/api/documents/${docId}/signatures`, { hash: "a".repeat(64), password, statement: "{}", signature: `${"A".repeat(86)}==` });
    for (let i = 0; i < 5; i++) {
      const wrong = await attempt(`guess-${i}`);
      expect(wrong.status).toBe(403);
      expect(wrong.body.error).toMatch(/wrong password/);
    }
    const locked = await attempt("accord-demo");
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatch(/too many wrong passwords/);
    expect(db.prepare("SELECT COUNT(*) FROM audit_events WHERE action = 'reauth.refused' AND username = 'chl.minister'").pluck().get()).toBe(5);
    expect((await verification()).ok).toBe(true);
  }, 60_000);
});

describe("the signatures export", () => {
  it("verifies offline with npm run verify-signatures, and an altered export fails", async () => {
    const res = await fetch(`${server.url}/api/documents/${docId}/signatures/export`, { headers: { cookie: chair.cookie } });
    expect(res.status).toBe(200);
    const exported = (await res.json()) as {
      adopted: { hash: string; canonical: CanonicalDocument };
      signatures: Array<{ delegation: string; statement: string; key: { pem: string; fingerprint: string } }>;
    };
    expect(exported.signatures.map((s) => s.delegation).sort()).toEqual(["ARG", "BRA"]);
    expect(exported.signatures[0]!.key.pem).toContain("BEGIN PUBLIC KEY");
    const verify = async (content: unknown) => {
      const file = join(scratch, `export-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(content));
      // The server is not asked: the script reads the file alone.
      return run(process.execPath, ["--import", "tsx", "scripts/verify-signatures.ts", file]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    };
    const good = await verify(exported);
    expect(good.code, good.out).toBe(0);
    expect(good.out).toMatch(/ARG +arg\.minister +verifies/);
    expect(good.out).toMatch(/BRA +bra\.minister +verifies/);
    expect(good.out).toContain("2 of 2 signatures verify.");

    const moved = structuredClone(exported);
    moved.signatures[0]!.delegation = "CHL";
    const movedOut = await verify(moved);
    expect(movedOut.code).toBe(1);
    expect(movedOut.out).toMatch(/CHL .*DOES NOT VERIFY: the statement is signed for (ARG|BRA), not CHL/);

    const forgedText = structuredClone(exported);
    forgedText.signatures[1]!.statement = forgedText.signatures[1]!.statement.replace(/"signedAt":"[^"]+"/, '"signedAt":"2009-03-26T12:00:00.000Z"');
    expect((await verify(forgedText)).out).toMatch(/DOES NOT VERIFY: the signature does not verify with the public key/);

    const alteredText = structuredClone(exported);
    const first = alteredText.adopted.canonical.paragraphs.find((p) => p.kind === "op")!;
    first.text = `${first.text} (not agreed)`;
    const alteredOut = await verify(alteredText);
    expect(alteredOut.code).toBe(1);
    expect(alteredOut.out).toContain("ADOPTED TEXT ALTERED");
  }, 60_000);
});

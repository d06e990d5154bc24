/**
 * `npm run backup` while stock y-websocket clients type, `npm run restore` into a fresh
 * folder, a server started on it: the audit chain and the signatures verify and the text
 * is served as it was. A foreign file and a backup sealed with another audit key are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as Y from "yjs";
import { textFragment } from "../schema/index.js";
import { createContext, startAccord } from "../server/app.js";
import { claimDataDir, releaseDataDir } from "../server/store/running.js";
import { loadConfig } from "../server/config.js";
import { verifyDocument } from "../server/lifecycle/verification.js";
import { login } from "./helpers/api.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import { adopt, createTestDeclaration, logins, makeClean } from "./helpers/lifecycle.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { confirmedKey, signDocument } from "./helpers/signing.js";

let source: TestServer;
let signedId: string;
let typedId: string;
const scratch = mkdtempSync(join(tmpdir(), "accord-backup-"));
const backupFile = join(scratch, "accord-backup.sqlite");
const folders: string[] = [];

/** Runs `scripts/<name>.ts` as `npm run <name>` does, with the data folder and key of `env`. */
function script(name: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", `scripts/${name}.ts`, ...args], { env: { ...process.env, ACCORD_LOG: "silent", ...env } }, (error, out, err) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
    );
  });
}

/** A fresh data folder (and its key folder), removed after the file. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "accord-restored-"));
  folders.push(dir, `${dir}-keys`);
  return dir;
}

/** The numbers of the tokens `tag0 tag1 …` in a text, which must be 0, 1, 2, … without a gap. */
function tokens(text: string, tag: string): number[] {
  return [...text.matchAll(new RegExp(` ${tag}(\\d+)`, "g"))].map((m) => Number(m[1]));
}

const paragraphText = (doc: Y.Doc, index: number) => ((textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText).toString();

beforeAll(async () => {
  source = await startTestServer();
  signedId = createTestDeclaration(source, "Declaration kept in a backup").id;
  typedId = createTestDeclaration(source, "Declaration typed during the backup").id;
  const [secretariat, chair, minister] = await logins(source, ["secretariat", "chair", "arg.minister"] as const);
  await secretariat.put(`/api/documents/${signedId}/signatories`, { delegations: ["ARG"] });
  await makeClean(source, signedId, chair);
  await adopt(source, signedId, chair);
  expect((await signDocument(minister, await confirmedKey(minister, secretariat), signedId)).status).toBe(201);
  expect((await chair.get(`/api/documents/${signedId}`)).body.state).toBe("signed");
}, 120_000);

afterAll(async () => {
  await source?.stop();
  for (const dir of [scratch, ...folders]) rmSync(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("backs up while people type, restores into a fresh folder, and the restored server verifies and serves the same text", async () => {
    const [arg, bra] = await logins(source, ["arg.delegate", "bra.delegate"] as const);
    const writers: Array<[CollabClient, number, string]> = [
      [collabClient(source.url, typedId, arg.cookie), 2, "a"],
      [collabClient(source.url, typedId, bra.cookie), 3, "b"],
    ];
    const watcher = collabClient(source.url, typedId, (await source.login("observer")).cookie);
    await Promise.all([...writers.map(([c]) => c.synced), watcher.synced]);
    let typing = true;
    const typed = writers.map(async ([client, index, tag]) => {
      const text = (textFragment(client.doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
      let n = 0;
      while (typing) {
        text.insert(text.length, ` ${tag}${n++}`);
        // A fast typist's pace, not a wait for anything.
        await new Promise((r) => setTimeout(r, 15));
      }
      return n;
    });
    // What the server has acknowledged (stored, then relayed to a third client) before the backup starts.
    await eventually(() => tokens(paragraphText(watcher.doc, 2), "a").length >= 20 && tokens(paragraphText(watcher.doc, 3), "b").length >= 20, 20_000, "typing");
    const acknowledged = { a: tokens(paragraphText(watcher.doc, 2), "a").length, b: tokens(paragraphText(watcher.doc, 3), "b").length };

    const backup = await script("backup", [backupFile], { ACCORD_DATA_DIR: source.dataDir });
    typing = false;
    const totals = await Promise.all(typed);
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toContain(`is at ${source.ctx.config.auditKeyFile}. It is NOT in the backup`);
    // The backup is one file: no write-ahead log or shared-memory file of the copy is left beside it.
    expect([`${backupFile}.partial-wal`, `${backupFile}.partial-shm`, `${backupFile}-wal`, `${backupFile}-shm`].filter((f) => existsSync(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(`${backupFile}.json`, "utf8"));
    expect(manifest).toMatchObject({ format: "accord.backup/1", auditKey: { location: source.ctx.config.auditKeyFile } });
    expect(manifest.auditHead.keyId).toBe(manifest.auditKey.id);
    for (const [client] of writers) client.destroy();
    watcher.destroy();
    const sourceText = (await (await source.login("observer")).get(`/api/documents/${signedId}/content`)).body.hash;

    // A new machine: the backup and, brought separately, the audit key.
    const fresh = folder();
    mkdirSync(`${fresh}-keys`, { mode: 0o700 });
    copyFileSync(source.ctx.config.auditKeyFile, `${fresh}-keys/audit.key`);
    const restored = await script("restore", [backupFile], { ACCORD_DATA_DIR: fresh });
    expect(restored.code, restored.err).toBe(0);
    // Started as `npm start` would (in this process: a second Node start costs half a minute on a loaded machine).
    const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", ACCORD_DATA_DIR: fresh, ACCORD_LOG: "silent", ACCORD_SEED: "false" });
    const server = await startAccord(config, createContext(config));
    claimDataDir(fresh);
    try {
      const observer = await login(server.url, "observer");
      const v = (await observer.get(`/api/documents/${signedId}/verification`)).body;
      expect(v.problems).toEqual([]);
      expect(v.ok).toBe(true);
      expect(v.audit.ok).toBe(true);
      expect(v.signatures).toEqual([expect.objectContaining({ delegation: "ARG", valid: true, signedWithKey: true })]);
      expect((await observer.get(`/api/documents/${signedId}/content`)).body.hash).toBe(sourceText);
      // The typed paragraphs: everything acknowledged before the backup began, then an unbroken run, nothing invented.
      const paragraphs = (await observer.get(`/api/documents/${typedId}/content`)).body.canonical.paragraphs as Array<{ text: string }>;
      for (const [tag, index, total] of [["a", 2, totals[0]!], ["b", 3, totals[1]!]] as const) {
        const seen = tokens(paragraphs[index]!.text, tag);
        expect(seen).toEqual(seen.map((_, i) => i));
        expect(seen.length).toBeGreaterThanOrEqual(acknowledged[tag]);
        expect(seen.length).toBeLessThanOrEqual(total);
      }
      // The restore is in the audit trail, sealed like every other event.
      expect(server.ctx.db.prepare("SELECT COUNT(*) FROM audit_events WHERE action = 'database.restored'").pluck().get()).toBe(1);

      // No restore under a running server.
      const refused = await script("restore", [backupFile], { ACCORD_DATA_DIR: fresh });
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/a server \(process \d+\) is running on/);
    } finally {
      await server.close();
      releaseDataDir(fresh);
    }
  }, 300_000);

  it("refuses a file that is not an Accord database", { timeout: 120_000 }, async () => {
    const fresh = folder();
    const text = join(scratch, "notes.txt");
    writeFileSync(text, "minutes of the informal consultations\n".repeat(200));
    const notSqlite = await script("restore", [text], { ACCORD_DATA_DIR: fresh });
    expect(notSqlite.code).toBe(1);
    expect(notSqlite.err).toMatch(/not an Accord database/);
    const other = join(scratch, "other.sqlite");
    const db = new Database(other);
    db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
    db.close();
    const foreign = await script("restore", [other], { ACCORD_DATA_DIR: fresh });
    expect(foreign.code).toBe(1);
    expect(foreign.err).toMatch(/another application \(tables: invoices\)/);
    expect(existsSync(join(fresh, "accord.sqlite"))).toBe(false);
  });

  it("a backup sealed with another audit key is refused, and restored by force fails verification by name", async () => {
    const fresh = folder();
    const env = { ACCORD_DATA_DIR: fresh, ACCORD_AUDIT_KEY: "the key of another installation, 40 chars" };
    const refused = await script("restore", [backupFile], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/sealed with audit key [0-9a-f]{16}, but the key at hand \(ACCORD_AUDIT_KEY\) is [0-9a-f]{16}/);
    const forced = await script("restore", [backupFile, "--force"], env);
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toContain("WARNING");
    const ctx = createContext(loadConfig({ ...env, ACCORD_LOG: "silent", ACCORD_SEED: "false" }));
    try {
      const v = verifyDocument(ctx, signedId);
      expect(v.ok).toBe(false);
      expect(v.audit.problem).toMatch(/sealed with audit key [0-9a-f]{16}, not with this server's key [0-9a-f]{16}/);
    } finally {
      ctx.rooms.closeAll();
      ctx.db.close();
    }
    expect(dirname(fresh)).toBe(tmpdir());
  }, 120_000);
});

import { afterAll, describe, expect, it } from "vitest";

// Each case starts a server process (TypeScript compiled on the fly): slow on a loaded machine.
const STARTUP_MS = 120_000;
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { spawnRefusal } from "./helpers/server.js";

const dirs: string[] = [];
const immutable: string[] = [];
afterAll(() => {
  for (const f of immutable) execFileSync("chattr", ["-i", f]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data folder holding `accord.sqlite` as `make` leaves it. */
function dataDir(make: (file: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "accord-startup-"));
  dirs.push(dir);
  make(join(dir, "accord.sqlite"));
  return dir;
}

/** Makes a file read-only even for root (immutable), or says it cannot. */
function makeReadOnly(file: string): boolean {
  try {
    execFileSync("chattr", ["+i", file], { stdio: "ignore" });
    immutable.push(file);
    return true;
  } catch {
    return false;
  }
}

describe("start-up refuses a database it must not seed over", () => {
  it("a zero-length file: a sentence on stderr and a non-zero exit, the file left as it was", async () => {
    const dir = dataDir((file) => writeFileSync(file, ""));
    const { code, output } = await spawnRefusal(dir);
    expect(code).not.toBe(0);
    expect(output).toMatch(/Accord did not start: .*accord\.sqlite is empty \(0 bytes\)/);
    expect(output).not.toMatch(/Seeded/);
  }, STARTUP_MS);

  it("another application's SQLite database, and a file that is not SQLite at all", async () => {
    const foreign = dataDir((file) => {
      const db = new Database(file);
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine')");
      db.close();
    });
    const notSqlite = dataDir((file) => writeFileSync(file, "These are my meeting notes, not a database.\n".repeat(200)));
    const [a, b] = await Promise.all([spawnRefusal(foreign), spawnRefusal(notSqlite)]);
    expect(a.code).not.toBe(0);
    expect(a.output).toMatch(/another application \(tables: notes\)/);
    expect(b.code).not.toBe(0);
    expect(b.output).toMatch(/is not an SQLite database/);
    const db = new Database(join(foreign, "accord.sqlite"));
    expect(db.prepare("SELECT body FROM notes").pluck().get()).toBe("mine");
    db.close();
  }, STARTUP_MS);

  it("a database file that cannot be written", async (context) => {
    const dir = dataDir((file) => {
      const db = new Database(file);
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY)");
      db.close();
    });
    if (!makeReadOnly(join(dir, "accord.sqlite"))) context.skip("this machine cannot make a file read-only for root (chattr)");
    const { code, output } = await spawnRefusal(dir);
    expect(code).not.toBe(0);
    expect(output).toMatch(/Accord did not start: .*cannot be written/);
  }, STARTUP_MS);
});

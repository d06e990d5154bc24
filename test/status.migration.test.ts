import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { asSqliteDb, migrate } from "../server/store/db.js";

const MIGRATIONS = join(import.meta.dirname, "..", "migrations");

// 003_brackets.sql as it was while it still created the status table (databases made then).
const TABLE_IN_003 = `
CREATE TABLE paragraph_statuses (
  document_id  TEXT NOT NULL REFERENCES documents(id),
  paragraph_id TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('white', 'yellow', 'green', 'ad_ref')),
  set_by       TEXT REFERENCES users(id),
  set_by_username TEXT,
  set_at       TEXT NOT NULL,
  PRIMARY KEY (document_id, paragraph_id)
) WITHOUT ROWID;`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tableSql = (db: Database.Database) =>
  db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'paragraph_statuses'").pluck().get() as string | undefined;

describe("the paragraph status table moved to its feature's migration", () => {
  it("a new database gets it from 010_paragraph_statuses.sql", () => {
    const db = asSqliteDb(new Database(":memory:"));
    const applied = migrate(db);
    expect(applied).toContain("010_paragraph_statuses.sql");
    expect(tableSql(db)).toMatch(/CHECK \(status IN \('white', 'yellow', 'green', 'ad_ref'\)\)/);
    db.close();
  });

  it("a database made when 003 created it keeps its table and rows", () => {
    // The migrations as they were: every one but 010, with the table in 003.
    const old = mkdtempSync(join(tmpdir(), "accord-migrations-"));
    dirs.push(old);
    for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql") && !f.startsWith("010_"))) copyFileSync(join(MIGRATIONS, file), join(old, file));
    writeFileSync(join(old, "003_brackets.sql"), `${readFileSync(join(MIGRATIONS, "003_brackets.sql"), "utf8")}\n${TABLE_IN_003}\n`);
    const db = asSqliteDb(new Database(":memory:"));
    db.pragma("foreign_keys = ON");
    migrate(db, old);
    expect(tableSql(db)).toBeDefined();
    db.exec(`INSERT INTO meetings (id, title, series_symbol, created_at) VALUES ('m', 'M', 'M', 'now');
      INSERT INTO bodies (id, meeting_id, kind, name, short_name) VALUES ('b', 'm', 'plenary', 'Plenary', 'P');
      INSERT INTO documents (id, meeting_id, body_id, kind, title, symbol, created_at, updated_at) VALUES ('d', 'm', 'b', 'declaration', 'D', 'D/1', 'now', 'now');`);
    db.prepare("INSERT INTO paragraph_statuses (document_id, paragraph_id, status, set_at) VALUES ('d', 'p', 'yellow', 'now')").run();
    expect(migrate(db)).toEqual(["010_paragraph_statuses.sql"]);
    expect(db.prepare("SELECT status FROM paragraph_statuses WHERE paragraph_id = 'p'").pluck().get()).toBe("yellow");
    db.close();
  });
});

import { existsSync, statSync } from "node:fs";
import type Database from "better-sqlite3";

/**
 * The database file cannot be used as it is: the server refuses to start with this
 * sentence (printed on stderr, non-zero exit) rather than seed a demo over someone's data.
 */
export class DatabaseRefused extends Error {}

/** Checks made before SQLite opens the file: a zero-length file is a wiped database, not a new one. */
export function checkBeforeOpen(file: string): void {
  if (file === ":memory:" || !existsSync(file)) return;
  const stat = statSync(file);
  if (!stat.isFile()) throw new DatabaseRefused(`${file} is not a file; Accord keeps its database there.`);
  if (stat.size === 0)
    throw new DatabaseRefused(
      `${file} is empty (0 bytes): it is not an Accord database, perhaps a copy that failed. ` +
        "Restore it from a backup, or delete it to start over with the demo meeting.",
    );
}

/** What an SQLite error on opening says about the file, as a sentence, or null. */
export function openingProblem(file: string, error: unknown): string | null {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  if (code === "SQLITE_NOTADB") return `${file} is not an SQLite database, so not an Accord database; move it away or set ACCORD_DATA_DIR.`;
  if (code.startsWith("SQLITE_CORRUPT")) return `${file} is damaged (${(error as Error).message}); restore it from a backup.`;
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code.startsWith("SQLITE_PERM"))
    return `${file} cannot be written (${(error as Error).message}); Accord needs to write its database and the files beside it.`;
  if (code.startsWith("SQLITE_FULL")) return `the disk holding ${file} is full; free some space and start again.`;
  if (code.startsWith("SQLITE_IOERR")) return `${file} cannot be read or written (${(error as Error).message}); check the disk.`;
  return null;
}

/**
 * Checks made once SQLite has opened the file, before any migration touches it: the file
 * takes writes, holds Accord's tables (or none at all: a new database), and passes
 * SQLite's quick integrity check (every page and index entry readable, in time linear in
 * the file's size).
 */
export function checkOpened(db: Database.Database, file: string): void {
  // A file SQLite could open only read-only (a read-only mount, an immutable file) fails here.
  db.exec("BEGIN IMMEDIATE; CREATE TABLE accord_write_probe (x); ROLLBACK");
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (tables.length > 0) {
    const migrated =
      tables.includes("schema_migrations") &&
      tables.includes("documents") &&
      db.prepare("SELECT 1 FROM schema_migrations WHERE name LIKE '001\\_%' ESCAPE '\\'").get() !== undefined;
    if (!migrated)
      throw new DatabaseRefused(
        `${file} is an SQLite database of another application (tables: ${tables.slice(0, 5).join(", ")}${tables.length > 5 ? ", …" : ""}), ` +
          "not Accord's; move it away or set ACCORD_DATA_DIR to another folder.",
      );
  }
  const problems = db.pragma("quick_check(5)", { simple: false }) as Array<{ quick_check: string }>;
  const messages = problems.map((p) => p.quick_check).filter((m) => m !== "ok");
  if (messages.length > 0)
    throw new DatabaseRefused(`${file} failed SQLite's integrity check (${messages.slice(0, 3).join("; ")}); restore it from a backup.`);
}

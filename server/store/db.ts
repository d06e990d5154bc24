import Database from "better-sqlite3";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkBeforeOpen, checkOpened, DatabaseRefused, openingProblem } from "./integrity.js";

/** The SQLite connection type used throughout the server. */
export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "migrations");

/** How hard SQLite works to survive a power cut (`full`) or only a process crash (`normal`). */
export type SyncMode = "full" | "normal";

/**
 * Opens (creating if needed) the database file in WAL mode and applies pending migrations.
 * WAL lets readers proceed while the text store writes; `synchronous=FULL` makes every
 * committed transaction survive a power cut, `NORMAL` only a crash of this process.
 * Throws `DatabaseRefused` with a sentence for a file that is empty, foreign, damaged or
 * read-only (see integrity.ts): such a file is never seeded over.
 */
export function openDatabase(file: string, sync: SyncMode = "full"): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  checkBeforeOpen(file);
  let db: Db | null = null;
  try {
    db = new Database(file);
    db.pragma("busy_timeout = 5000");
    checkOpened(db, file);
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${sync === "full" ? "FULL" : "NORMAL"}`);
    db.pragma("foreign_keys = ON");
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    const problem = error instanceof DatabaseRefused ? null : openingProblem(file, error);
    throw problem === null ? error : new DatabaseRefused(problem);
  }
}

/**
 * Applies every `migrations/NNN_name.sql` not yet recorded in `schema_migrations`, in
 * order of NNN, each in its own transaction with its record, so a failed migration leaves
 * nothing half-done. Foreign keys are off while migrating (SQLite's way to rebuild a table
 * that others reference) and checked before each migration commits.
 */
export function migrate(db: Db, dir = MIGRATIONS_DIR): string[] {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  const done = new Set(db.prepare("SELECT name FROM schema_migrations").pluck().all() as string[]);
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  const pending = files.filter((f) => !done.has(f));
  if (pending.length === 0) return applied;
  const enforced = db.pragma("foreign_keys", { simple: true }) === 1;
  db.pragma("foreign_keys = OFF");
  try {
    for (const file of pending) {
      const sql = readFileSync(join(dir, file), "utf8");
      db.transaction(() => {
        db.exec(sql);
        const broken = db.pragma("foreign_key_check") as Array<{ table: string; parent: string }>;
        if (broken.length > 0) throw new Error(`${file} leaves ${broken[0]!.table} pointing at a missing ${broken[0]!.parent} row`);
        db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)").run(file, new Date().toISOString());
      })();
      applied.push(file);
    }
  } finally {
    if (enforced) db.pragma("foreign_keys = ON");
  }
  return applied;
}

import Database from "better-sqlite3";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { statement } from "./statements.js";
import { checkBeforeOpen, checkOpened, DatabaseRefused, openingProblem } from "./integrity.js";

/** What a writing statement reports: rows changed (and SQLite's last rowid, which portable code does not read). */
export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * A prepared statement: the part of better-sqlite3's `Statement` that Accord uses, which
 * the PostgreSQL store implements too. Parameters are positional (`?`) or named (`@name`,
 * with one object).
 */
export interface Statement {
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  /** Every row. */
  all(...params: unknown[]): unknown[];
  /** Runs it for its effect. */
  run(...params: unknown[]): RunResult;
  /**
   * Runs a write for its effect inside the open transaction without waiting for its answer,
   * where the store has a round trip to save (PostgreSQL): a failure then ends the whole
   * transaction uncommitted, reported by its COMMIT. See `writeUnanswered`.
   */
  runUnanswered?(...params: unknown[]): void;
  /** The rows one by one. */
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows become their first column's value (this statement from now on). */
  pluck(toggle?: boolean): this;
  /** Rows become arrays of values (this statement from now on). */
  raw(toggle?: boolean): this;
  /** The result's columns, in order. */
  columns(): Array<{ name: string }>;
}

/** Which SQL database a `Db` talks to. */
export type Dialect = "sqlite" | "postgres";

/**
 * The store's connection: the subset of better-sqlite3's API that Accord's code uses,
 * synchronous. The SQLite store is better-sqlite3 itself; the PostgreSQL store
 * (postgres.ts) answers the same calls from a connection on a worker thread. SQL written
 * against it is portable (see docs/ARCHITECTURE.md, "The store"); what only one database
 * has is reached through `sqliteOf`.
 */
export interface Db {
  readonly dialect: Dialect;
  prepare(sql: string): Statement;
  /** Runs one or more statements without parameters. */
  exec(sql: string): this;
  /** Wraps `fn` in a transaction; called inside another, it is a savepoint. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  /** Whether a transaction is open on this connection. */
  readonly inTransaction: boolean;
  /** Whether the connection is open. */
  readonly open: boolean;
  close(): void;
}

/** The SQLite store: a better-sqlite3 connection that says it is one. */
export type SqliteDb = Database.Database & { readonly dialect: "sqlite" };

/** The SQLite connection behind `db`, for what only SQLite has (pragmas, the WAL file, backups); null on PostgreSQL. */
export function sqliteOf(db: Db): SqliteDb | null {
  return db.dialect === "sqlite" ? (db as unknown as SqliteDb) : null;
}

/**
 * SQLite's `data_version`: it changes exactly when another connection has written the
 * database. Null on PostgreSQL, which has no such counter: there, nothing read may be
 * remembered across requests on the grounds that nobody else wrote.
 */
export function dataVersion(db: Db): number | null {
  const sqlite = sqliteOf(db);
  return sqlite ? (sqlite.pragma("data_version", { simple: true }) as number) : null;
}

/**
 * Makes the rest of the caller's transaction the only one, across every process on the same
 * store, that holds `lock` (a number naming what is guarded, such as the audit chain's head).
 * PostgreSQL: an advisory lock released at commit or rollback. SQLite: nothing to do, since
 * it lets one transaction write at a time and refuses (SQLITE_BUSY) one that read a state
 * another has since changed. Call it inside a transaction, before reading what it guards.
 */
export function serialise(db: Db, lock: number): void {
  if (db.dialect === "postgres") statement(db, "SELECT pg_advisory_xact_lock(?)").get(lock);
}

/** Marks a better-sqlite3 connection as the SQLite store. */
export function asSqliteDb(db: Database.Database): SqliteDb {
  Object.defineProperty(db, "dialect", { value: "sqlite", enumerable: false });
  return db as SqliteDb;
}

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
export function openDatabase(file: string, sync: SyncMode = "full"): SqliteDb {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  checkBeforeOpen(file);
  let db: SqliteDb | null = null;
  try {
    db = asSqliteDb(new Database(file));
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
export function migrate(db: Database.Database, dir = MIGRATIONS_DIR): string[] {
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

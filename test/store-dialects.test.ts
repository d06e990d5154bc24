import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../server/store/db.js";
import { openPostgres, toPostgres, type PostgresDb } from "../server/store/postgres.js";
import { spawn } from "node:child_process";
import { verifyAuditChain } from "../server/audit/audit.js";
import { testStore } from "./helpers/server.js";

// What PostgreSQL's schema has that SQLite's spells another way (see migrations/postgres/001_schema.sql).
const POSTGRES_ONLY_COLUMNS = new Set(["deleted_paragraphs.rowid", "comments.rowid", "signing_keys.rowid", "signatures.rowid", "reservations.rowid"]);
const POSTGRES_ONLY_INDEXES = new Set(["users_username_nocase"]);
const TYPES: Record<string, string> = { INTEGER: "bigint", BIGINT: "bigint", TEXT: "text", BLOB: "bytea", REAL: "double precision" };

interface Shape {
  columns: string[];
  indexes: string[];
}

function sqliteShape(): Shape {
  const db = new Database(":memory:");
  migrate(db);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").pluck().all() as string[];
  const columns = tables.flatMap((table) =>
    (db.prepare("SELECT name, type, \"notnull\" AS required, pk FROM pragma_table_info(?)").all(table) as Array<{ name: string; type: string; required: number; pk: number }>).map(
      (c) => `${table}.${c.name} ${TYPES[c.type] ?? c.type}${c.required || c.pk ? " not null" : ""}`,
    ),
  );
  const indexes = (db.prepare("SELECT tbl_name || '.' || name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").pluck().all() as string[]);
  db.close();
  return { columns: columns.sort(), indexes: indexes.sort() };
}

function postgresShape(db: PostgresDb): Shape {
  const columns = (
    db
      .prepare(
        `SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
      )
      .all() as Array<{ t: string; c: string; type: string; nullable: string }>
  )
    .filter((c) => !POSTGRES_ONLY_COLUMNS.has(`${c.t}.${c.c}`))
    .map((c) => `${c.t}.${c.c} ${c.type}${c.nullable === "NO" ? " not null" : ""}`);
  const indexes = (
    db
      .prepare(
        `SELECT t.relname AS t, i.relname AS name FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
      )
      .all() as Array<{ t: string; name: string }>
  )
    .filter((i) => !POSTGRES_ONLY_INDEXES.has(i.name))
    .map((i) => `${i.t}.${i.name}`);
  return { columns: columns.sort(), indexes: indexes.sort() };
}

describe("the PostgreSQL store", () => {
  let store: Awaited<ReturnType<typeof testStore>>;
  let db: PostgresDb;
  beforeAll(async () => {
    store = await testStore();
    if (!store.env.ACCORD_DATABASE_URL) throw new Error("run in the postgres test project (ACCORD_TEST_POSTGRES names the test cluster)");
    db = openPostgres(store.env.ACCORD_DATABASE_URL);
  });
  afterAll(async () => {
    db?.close();
    await store?.drop();
  });

  it("has the same tables, columns (types, NOT NULL) and indexes as SQLite's after every migration of both sets", () => {
    // When this fails after a SQLite migration landed: add the same change to migrations/postgres/.
    expect(postgresShape(db)).toEqual(sqliteShape());
  });

  it("answers synchronously in SQLite's shapes: numbers, 0/1, Buffers, plucked and raw rows, named parameters", () => {
    expect(db.prepare("SELECT count(*) AS n, 1 = 1 AS yes, CAST(? AS bytea) AS b").get(Buffer.from([1, 2]))).toEqual({ n: 1, yes: 1, b: Buffer.from([1, 2]) });
    expect(db.prepare("SELECT @a::int + @b::int").pluck().get({ a: 2, b: 3 })).toBe(5);
    expect(db.prepare("SELECT 'a?' AS q, ? AS p").raw().all("x")).toEqual([["a?", "x"]]);
    expect(db.prepare("SELECT value FROM json_each(?)").pluck().all(JSON.stringify(["x", "y"]))).toEqual(["x", "y"]);
    expect(toPostgres("SELECT ? , '?' , @x, @x").text).toBe("SELECT $1 , '?' , $1, $1");
    // PostgreSQL would fold the alias: the row would carry "paragraphid".
    expect(db.prepare("SELECT 'p1' AS paragraphId, 2 AS n").get()).toEqual({ paragraphId: "p1", n: 2 });
  });

  it("rolls back a failed transaction and a failed savepoint alone, as SQLite does", () => {
    db.exec("CREATE TABLE t (x BIGINT PRIMARY KEY)");
    const insert = db.prepare("INSERT INTO t (x) VALUES (?)");
    expect(() =>
      db.transaction(() => {
        insert.run(1);
        throw new Error("no");
      })(),
    ).toThrow("no");
    db.transaction(() => {
      insert.run(2);
      expect(() => db.transaction(() => insert.run(2))()).toThrow(expect.objectContaining({ code: "SQLITE_CONSTRAINT_UNIQUE" }));
      insert.run(3);
    })();
    expect(db.prepare("SELECT x FROM t ORDER BY x").pluck().all()).toEqual([2, 3]);
    expect(db.inTransaction).toBe(false);
  });

  it("never forks the audit chain when three processes append at once", async () => {
    db.exec("INSERT INTO meetings (id, title, series_symbol, created_at) VALUES ('m', 'M', 'M', 'now')");
    const url = store.env.ACCORD_DATABASE_URL!;
    const append = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/append-audit.ts", url, "25"], { stdio: "inherit" });
        child.once("exit", resolve);
      });
    expect(await Promise.all([append(), append(), append()])).toEqual([0, 0, 0]);
    const rows = db.prepare("SELECT seq, prev_hash, hash, username FROM audit_events ORDER BY seq").all() as Array<{ seq: number; prev_hash: string; hash: string; username: string }>;
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    // Interleaved, not one process after the other: the lock was contended.
    expect(new Set(rows.slice(0, 40).map((r) => r.username)).size).toBeGreaterThan(1);
    expect(verifyAuditChain(db).ok).toBe(true);
  }, 180_000);
});

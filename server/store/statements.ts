import type { Db, Statement } from "./db.js";

// Compiled once per database: compiling a statement costs more than running it, and the
// hot paths (the register, the text rule, audit appends, imports) run the same few
// thousands of times.
const statements = new WeakMap<Db, Map<string, Statement>>();

/** The prepared statement for `sql` on `db`, compiled on first use. Do not switch its mode (pluck, raw): it is shared. */
export function statement(db: Db, sql: string): Statement {
  let byDb = statements.get(db);
  if (!byDb) statements.set(db, (byDb = new Map()));
  let stmt = byDb.get(sql);
  if (!stmt) byDb.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

/**
 * Runs the write `sql` for its effect inside the caller's transaction, without waiting for
 * its answer where the store would make the main thread wait for a round trip (PostgreSQL):
 * for writes whose answer nobody reads (rows inserted in a flush). A failure then fails the
 * transaction as a whole, at its COMMIT, instead of here; on SQLite it runs as `run` does.
 */
export function writeUnanswered(db: Db, sql: string, ...params: unknown[]): void {
  const stmt = statement(db, sql);
  if (stmt.runUnanswered) stmt.runUnanswered(...params);
  else stmt.run(...params);
}

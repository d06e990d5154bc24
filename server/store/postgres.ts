import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { Db, RunResult, Statement } from "./db.js";

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "migrations", "postgres");

// The connection lives on a worker thread, in plain JavaScript evaluated from this string (no
// TypeScript loader there). Each request from the main thread comes as a message with an id;
// requests run one after another in the order they came (a request's BEGIN and its statement
// must not interleave with the next request's), and each answer goes back on the same port
// with its request's id; then the shared flag is raised, so that a main thread blocked in
// Atomics.wait wakes and takes it with receiveMessageOnPort. An answer to a request sent
// without waiting (a COMMIT: see PostgresDb.transactionDeferred) arrives the same way and is
// told apart by its id. A lost connection is opened again by the first request that starts
// afresh (outside any transaction) once the main thread has seen the loss (\`known\`): a
// request sent before that would build on what the lost connection was doing.
// A write sent without waiting for its answer (\`unanswered\`: see PostgresDb.writeUnanswered)
// that fails leaves its transaction \`doomed\`: the transaction's later statements are
// answered with that failure without being run, and its COMMIT rolls it back and answers
// with the failure, so a transaction never commits without a write its caller did not wait for.
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const pg = require(workerData.driver);
const { port, flag } = workerData;
const signal = new Int32Array(flag);
// Numbers as SQLite gives them: BIGINT and NUMERIC (count, sum) as numbers, booleans (from
// comparisons such as "x IS NOT NULL AS has") as 0/1. BYTEA stays a Buffer.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
pg.types.setTypeParser(16, (v) => (v === "t" ? 1 : 0));
const named = new Map();
let client = null;
let broken = null;
let breaks = 0;
function lost(error) {
  if (broken) return;
  broken = error;
  breaks += 1;
}
function open() {
  const opened = new pg.Client({ connectionString: workerData.url, application_name: workerData.name });
  opened.on("error", (error) => { if (client === opened) lost(error); });
  client = opened;
  named.clear();
  return opened.connect().then(() => { broken = null; }, (error) => { lost(error); throw error; });
}
function reply(message) {
  port.postMessage({ ...message, breaks });
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
function failure(error) {
  return { ok: false, error: { message: error.message, code: error.code, detail: error.detail, constraint: error.constraint } };
}
async function query(config) {
  try {
    return await client.query(config);
  } catch (error) {
    // A connection lost under a query fails it without an SQLSTATE, or with class 08 or 57P.
    if (!error.code || /^(08|57P)/.test(error.code)) lost(error);
    throw error;
  }
}
async function run(request) {
  if (request.ping) return { rows: [], fields: [], rowCount: 0 };
  if (broken) {
    if (!request.fresh || request.known !== breaks) throw broken;
    client.end().catch(() => {});
    await open();
  }
  for (const sql of request.before ?? []) await query(sql);
  if (request.exec !== undefined) {
    await query(request.exec);
    return { rows: [], fields: [], rowCount: 0 };
  }
  let name = named.get(request.text);
  if (name === undefined) named.set(request.text, (name = "accord_" + named.size));
  const result = await query({ name, text: request.text, values: request.values, rowMode: "array" });
  return { rows: result.rows, fields: (result.fields ?? []).map((f) => f.name), rowCount: result.rowCount ?? 0 };
}
let queue = Promise.resolve();
let doomed = null;
const EMPTY = { rows: [], fields: [], rowCount: 0 };
function settle(request) {
  if (request.ping) return reply({ id: request.id, ok: true, result: EMPTY });
  if (request.exec !== "COMMIT" && request.exec !== "ROLLBACK") return reply({ id: request.id, ...failure(doomed) });
  const error = doomed;
  doomed = null;
  return query("ROLLBACK").catch(() => {}).then(() =>
    reply(request.exec === "COMMIT" ? { id: request.id, ...failure(error) } : { id: request.id, ok: true, result: EMPTY }));
}
port.on("message", (request) => {
  queue = queue.then(() => {
    if (request.close) {
      return client.end().catch(() => {}).finally(() => { reply({ id: request.id, ok: true }); port.close(); });
    }
    if (doomed !== null) return settle(request);
    return run(request).then((result) => reply({ id: request.id, ok: true, result }), (error) => {
      if (request.unanswered) doomed = error;
      reply({ id: request.id, ...failure(error) });
    });
  });
});
open().then(() => reply({ id: 0, ok: true }), (error) => reply({ id: 0, ...failure(error) }));
`;

/** How long one statement may take before the store gives up on the connection, ms. */
const STATEMENT_TIMEOUT_MS = 60_000;

interface Answer {
  rows: unknown[][];
  fields: string[];
  rowCount: number;
}

// PostgreSQL's SQLSTATE classes, in the words the rest of the server already knows from
// SQLite (server/store/faults.ts maps them to sentences; constraint codes mean bad input).
const SQLITE_CODES: Array<[RegExp, string]> = [
  [/^23505$/, "SQLITE_CONSTRAINT_UNIQUE"],
  [/^23503$/, "SQLITE_CONSTRAINT_FOREIGNKEY"],
  [/^23514$/, "SQLITE_CONSTRAINT_CHECK"],
  [/^23502$/, "SQLITE_CONSTRAINT_NOTNULL"],
  [/^23/, "SQLITE_CONSTRAINT"],
  [/^53100$/, "SQLITE_FULL"],
  [/^25006$/, "SQLITE_READONLY"],
  [/^(40001|40P01|55P03|57014)$/, "SQLITE_BUSY"],
  [/^(08|57P)/, "SQLITE_IOERR"],
  [/^XX001$/, "SQLITE_CORRUPT"],
];

/** An error from PostgreSQL, with SQLite's code for the same failure and PostgreSQL's own SQLSTATE. */
export class PostgresError extends Error {
  /** SQLite's result code for this kind of failure (what callers test), or the SQLSTATE when SQLite has none. */
  readonly code: string;
  /** PostgreSQL's SQLSTATE. */
  readonly sqlState: string;

  constructor(error: { message: string; code?: string; detail?: string }, sql?: string) {
    super(sql ? `${error.message} (in: ${sql.replace(/\s+/g, " ").slice(0, 400)})` : error.message);
    this.name = "PostgresError";
    this.sqlState = error.code ?? "";
    this.code = SQLITE_CODES.find(([pattern]) => pattern.test(this.sqlState))?.[1] ?? (this.sqlState || "SQLITE_IOERR");
  }
}

/**
 * Rewrites SQL written for both databases into PostgreSQL's form, once per statement:
 * placeholders `?` and `@name` become `$n` (the names in the order they must be bound),
 * `json_each(?)` (a JSON array of values) becomes `json_array_elements_text`, and
 * `x = ? COLLATE NOCASE` compares lower-cased (as users.username's unique index does), and
 * `? IS NULL` casts the parameter to text (PostgreSQL cannot infer a type from it alone), and
 * a camelCase alias (`AS paragraphId`) is quoted, since PostgreSQL folds unquoted names to
 * lower case and the rows would come back with other keys than SQLite's.
 * Quoted strings and identifiers are left alone.
 */
export function toPostgres(sql: string): { text: string; names: string[] | null; count: number } {
  let text = "";
  let count = 0;
  const names: string[] = [];
  const positions = new Map<string, number>();
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end;
      text += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end < 0 ? sql.length : end;
      text += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === "?") {
      text += `$${++count}`;
    } else if (c === "@" && /[A-Za-z_]/.test(sql[i + 1] ?? "")) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let n = positions.get(name);
      if (n === undefined) {
        names.push(name);
        positions.set(name, (n = names.length));
      }
      text += `$${n}`;
      i += name.length;
    } else {
      text += c;
    }
  }
  text = text
    .replace(/json_each\((\$\d+)\)/g, "json_array_elements_text(CAST($1 AS json))")
    .replace(/([A-Za-z_][\w.]*) = (\$\d+) COLLATE NOCASE/g, "lower($1) = lower($2)")
    // "? IS NULL" alone gives PostgreSQL no type to infer for the parameter.
    .replace(/(\$\d+) IS (NOT )?NULL/g, "CAST($1 AS text) IS $2NULL")
    .replace(/\b(AS|as) ([a-z][a-z0-9]*[A-Z][A-Za-z0-9_]*)\b/g, '$1 "$2"');
  return { text, names: names.length > 0 ? names : null, count: names.length > 0 ? names.length : count };
}

/** Buffers come back from the worker as plain Uint8Arrays (structured clone): made Buffers again, as better-sqlite3 gives them. */
function revive(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value;
}

/** One prepared statement on the PostgreSQL store (see `Statement`). */
class PostgresStatement implements Statement {
  private plucking = false;
  private rawRows = false;
  private readonly text: string;
  private readonly names: string[] | null;
  private fields: string[] | null = null;

  constructor(
    private readonly db: PostgresDb,
    readonly source: string,
  ) {
    const translated = toPostgres(source);
    this.text = translated.text;
    this.names = translated.names;
  }

  private values(params: unknown[]): unknown[] {
    if (this.names) {
      const bound = (params[0] ?? {}) as Record<string, unknown>;
      return this.names.map((name) => bound[name] ?? null);
    }
    return params.map((p) => (p === undefined ? null : p));
  }

  private query(params: unknown[]): Answer {
    const answer = this.db.request({ text: this.text, values: this.values(params) }, this.source);
    this.fields = answer.fields;
    return answer;
  }

  private shape(row: unknown[], fields: string[]): unknown {
    if (this.plucking) return revive(row[0]);
    if (this.rawRows) return row.map(revive);
    const object: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) object[fields[i]!] = revive(row[i]);
    return object;
  }

  get(...params: unknown[]): unknown {
    const answer = this.query(params);
    return answer.rows.length > 0 ? this.shape(answer.rows[0]!, answer.fields) : undefined;
  }

  all(...params: unknown[]): unknown[] {
    const answer = this.query(params);
    return answer.rows.map((row) => this.shape(row, answer.fields));
  }

  run(...params: unknown[]): RunResult {
    return { changes: this.query(params).rowCount, lastInsertRowid: 0 };
  }

  runUnanswered(...params: unknown[]): void {
    this.db.writeUnanswered({ text: this.text, values: this.values(params) }, this.source);
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }

  pluck(toggle = true): this {
    this.plucking = toggle;
    if (toggle) this.rawRows = false;
    return this;
  }

  raw(toggle = true): this {
    this.rawRows = toggle;
    if (toggle) this.plucking = false;
    return this;
  }

  columns(): Array<{ name: string }> {
    // PostgreSQL names a statement's columns once it has described it: describe by running it
    // inside a savepoint that is rolled back, with every parameter null.
    if (this.fields === null) this.fields = this.db.describe(this.text, this.source);
    return this.fields.map((name) => ({ name }));
  }
}

/** An answer from the worker: to the request with `id`; `breaks` counts the connections it has lost so far. */
interface Reply {
  id: number;
  ok: boolean;
  breaks: number;
  result?: Answer;
  error?: { message: string; code?: string };
}

/**
 * The PostgreSQL store: a `Db` whose calls are answered synchronously by one connection held
 * on a worker thread (see WORKER_SOURCE). One connection serves every transaction of this
 * process, as one SQLite connection does; transactions and savepoints are opened lazily, with
 * the first statement that needs them, so an empty one costs no round trip. A transaction's
 * COMMIT may also be sent without waiting for it (`transactionDeferred`): its answer comes
 * back on the event loop, and requests sent meanwhile queue behind it on the connection.
 */
export class PostgresDb implements Db {
  readonly dialect = "postgres" as const;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  /** Transaction depth: 0 outside, 1 in a transaction, more in savepoints. */
  private depth = 0;
  /** BEGIN / SAVEPOINT statements not yet sent: they go with the next request. */
  private pending: string[] = [];
  private closed = false;
  /** The id of the last request sent (0: the connection's opening). */
  private lastId = 0;
  /** Connections lost so far, as far as answers have told. */
  private breaks = 0;
  /** Requests sent without waiting, by id: what to call with their answer. */
  private readonly deferred = new Map<number, (error: PostgresError | null) => void>();
  /** Answers to those requests taken but not yet handed to their callers, in order. */
  private due: Array<() => void> = [];
  /** Whether handing `due` over is queued (see `take`). */
  private dueQueued = false;

  constructor(readonly url: string) {
    const flag = new SharedArrayBuffer(4);
    this.signal = new Int32Array(flag);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const driver = createRequire(import.meta.url).resolve("pg");
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, url, flag, port: port2, name: `accord-${process.pid}` },
      transferList: [port2],
    });
    this.worker.unref();
    try {
      this.await(0, "connecting to PostgreSQL");
    } catch (error) {
      this.closed = true;
      void this.worker.terminate();
      throw error;
    }
    // Answers to deferred requests arrive on the event loop; the port keeps nobody alive.
    this.port.on("message", (reply: Reply) => {
      this.take(reply);
      this.handOver();
    });
    this.port.unref();
  }

  /**
   * Waits for the worker's answer to request `id`. Answers to deferred requests sent before
   * it come first (the worker runs requests in order): they are taken on the way and handed
   * to their callers once the current code has returned (a microtask), never in the middle of it.
   */
  private await(id: number, what: string): Answer {
    const deadline = Date.now() + STATEMENT_TIMEOUT_MS;
    for (;;) {
      // Lowered before looking, so that an answer posted after the look raises it again.
      Atomics.store(this.signal, 0, 0);
      const reply = receiveMessageOnPort(this.port)?.message as Reply | undefined;
      if (reply === undefined) {
        const left = deadline - Date.now();
        if (left > 0) {
          Atomics.wait(this.signal, 0, 0, left);
          continue;
        }
        // The connection's state is unknown from here on: it is given up.
        this.closed = true;
        throw new PostgresError({ message: `PostgreSQL did not answer in time (${what})`, code: "08006" });
      }
      if (reply.id !== id) {
        this.take(reply);
        if (!this.dueQueued && this.due.length > 0) {
          this.dueQueued = true;
          queueMicrotask(() => this.handOver());
        }
        continue;
      }
      this.breaks = Math.max(this.breaks, reply.breaks);
      if (!reply.ok) throw new PostgresError(reply.error!, id === 0 ? undefined : what);
      return reply.result ?? { rows: [], fields: [], rowCount: 0 };
    }
  }

  /** Takes the answer to a deferred request: its caller is called by `handOver`, in order. */
  private take(reply: Reply): void {
    this.breaks = Math.max(this.breaks, reply.breaks);
    const then = this.deferred.get(reply.id);
    if (then === undefined) return;
    this.deferred.delete(reply.id);
    const error = reply.ok ? null : new PostgresError(reply.error!, "COMMIT");
    this.due.push(() => then(error));
  }

  /** Calls the callers of the deferred answers taken so far, in order. */
  private handOver(): void {
    this.dueQueued = false;
    while (this.due.length > 0) this.due.shift()!();
  }

  /** Posts one request (with the pending BEGIN/SAVEPOINTs before it); returns its id. */
  private send(request: { text?: string; values?: unknown[]; exec?: string; ping?: true; unanswered?: true }): number {
    if (this.closed) throw new TypeError("The database connection is not open");
    const before = this.pending;
    this.pending = [];
    const id = ++this.lastId;
    // Outside any transaction, a request may open a lost connection again (see WORKER_SOURCE);
    // never the end of one, which would then "commit" on the new connection what the lost one dropped.
    const ends = /^(COMMIT|ROLLBACK|RELEASE)\b/.test(request.exec ?? "");
    const fresh = before[0] === "BEGIN" || (this.depth === 0 && !ends);
    this.port.postMessage({ ...request, id, fresh, known: this.breaks, ...(before.length > 0 ? { before } : {}) });
    return id;
  }

  /**
   * Sends a write inside the open transaction without waiting for its answer: the main
   * thread goes on while PostgreSQL runs it, and the next request waited for queues behind
   * it on the connection. Should it fail, the transaction is doomed (see WORKER_SOURCE):
   * every later statement of it fails with that error, and its COMMIT rolls it back and
   * reports it, whether waited for or deferred. Outside a transaction it is waited for.
   */
  writeUnanswered(request: { text: string; values: unknown[] }, sql: string): void {
    if (this.depth === 0) {
      this.request(request, sql);
      return;
    }
    this.send({ ...request, unanswered: true });
  }

  /** Sends one request (with the pending BEGIN/SAVEPOINTs before it) and waits for its answer. */
  request(request: { text?: string; values?: unknown[]; exec?: string }, sql: string): Answer {
    return this.await(this.send(request), sql);
  }

  /**
   * Whether a deferred COMMIT has not been answered, or its answer not yet handed to its
   * caller: a transaction begun now would run after it on the connection, whatever it answers.
   */
  get committing(): boolean {
    return this.deferred.size > 0 || this.due.length > 0;
  }

  /** Waits here for every deferred COMMIT's answer and hands them all over before returning. */
  drain(): void {
    if (this.deferred.size > 0) this.await(this.send({ ping: true }), "waiting for commits");
    this.handOver();
  }

  /**
   * Runs `fn` as a transaction (not nested in another) and sends its COMMIT without waiting
   * for it: `done` is called on the event loop with its answer, null once it is committed
   * (and, PostgreSQL's commits being synchronous, durable), or the error that ended it
   * uncommitted or in doubt. Answers come in the order the transactions were run. Throws,
   * with the transaction rolled back and `done` never called, when `fn` throws.
   */
  transactionDeferred(fn: () => void, done: (error: PostgresError | null) => void): void {
    if (this.depth > 0) throw new TypeError("A deferred commit cannot be nested in a transaction");
    this.pending.push("BEGIN");
    this.depth = 1;
    try {
      fn();
    } catch (error) {
      this.depth = 0;
      this.end(1, "ROLLBACK", true);
      throw error;
    }
    this.depth = 0;
    // Never opened on the server: nothing to commit, but the answer keeps its place in line.
    const opened = this.pending.length === 0;
    this.pending.length = 0;
    const id = this.send(opened ? { exec: "COMMIT" } : { ping: true });
    this.deferred.set(id, done);
  }

  /** The column names of a query, found by running it with null parameters in a savepoint rolled back. */
  describe(text: string, sql: string): string[] {
    const count = (text.match(/\$\d+/g) ?? []).reduce((max, p) => Math.max(max, Number(p.slice(1))), 0);
    const values = Array.from({ length: count }, () => null);
    const inside = this.depth > 0;
    this.pending.push(inside ? "SAVEPOINT accord_describe" : "BEGIN");
    try {
      return this.request({ text, values }, sql).fields;
    } finally {
      this.request({ exec: inside ? "ROLLBACK TO SAVEPOINT accord_describe; RELEASE SAVEPOINT accord_describe" : "ROLLBACK" }, "ROLLBACK");
    }
  }

  prepare(sql: string): Statement {
    return new PostgresStatement(this, sql);
  }

  exec(sql: string): this {
    this.request({ exec: sql }, sql);
    return this;
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const savepoint = this.depth === 0 ? null : `accord_${this.depth}`;
      this.pending.push(savepoint ? `SAVEPOINT ${savepoint}` : "BEGIN");
      const opened = this.pending.length;
      this.depth += 1;
      let result: R;
      try {
        result = fn(...args);
      } catch (error) {
        this.depth -= 1;
        this.end(opened, savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}` : "ROLLBACK", true);
        throw error;
      }
      this.depth -= 1;
      this.end(opened, savepoint ? `RELEASE SAVEPOINT ${savepoint}` : "COMMIT", false);
      return result;
    };
  }

  /** Ends a transaction or savepoint: nothing to send if it was never opened on the server. */
  private end(opened: number, sql: string, quietly: boolean): void {
    if (this.pending.length >= opened) {
      this.pending.length = opened - 1;
      return;
    }
    try {
      this.request({ exec: sql }, sql);
    } catch (error) {
      if (!quietly) {
        // A failed COMMIT has ended the transaction; a failed RELEASE leaves the savepoint's
        // work undone by the enclosing transaction's rollback.
        throw error;
      }
    }
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  get open(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.drain();
      this.port.postMessage({ close: true, id: ++this.lastId });
      this.await(this.lastId, "closing");
    } catch {
      // A connection already lost has nothing left to close.
    }
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }
}

/** The PostgreSQL store behind `db`, or null when it is another store. */
export function postgresOf(db: Db): PostgresDb | null {
  return db instanceof PostgresDb ? db : null;
}

/**
 * Opens the PostgreSQL store at `url` and applies pending migrations from
 * migrations/postgres/ (PostgreSQL's own set, kept in step with SQLite's by
 * test/store-dialects.test.ts). Migrations run one at a time across processes (an advisory
 * lock), each in its own transaction with its record.
 */
export function openPostgres(url: string, dir = MIGRATIONS_DIR): PostgresDb {
  const db = new PostgresDb(url);
  try {
    migratePostgres(db, dir);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

// The advisory lock key that serialises migrations across processes ("accord:migrate").
const MIGRATION_LOCK = 0x61636d67;

/** Applies every `NNN_name.sql` in `dir` not yet recorded in `schema_migrations`; returns those applied. */
export function migratePostgres(db: Db, dir = MIGRATIONS_DIR): string[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  db.transaction(() => {
    db.prepare("SELECT pg_advisory_xact_lock(?)").get(MIGRATION_LOCK);
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  })();
  for (const file of files) {
    db.transaction(() => {
      db.prepare("SELECT pg_advisory_xact_lock(?)").get(MIGRATION_LOCK);
      if (db.prepare("SELECT 1 FROM schema_migrations WHERE name = ?").get(`postgres/${file}`) !== undefined) return;
      db.exec(readFileSync(join(dir, file), "utf8"));
      db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)").run(`postgres/${file}`, new Date().toISOString());
      applied.push(file);
    })();
  }
  return applied;
}

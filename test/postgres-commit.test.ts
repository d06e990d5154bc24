import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { collabClient, eventually, type CollabClient } from "./helpers/collab.js";
import { textFragment } from "../schema/index.js";
import type { PostgresDb } from "../server/store/postgres.js";
import { writeUnanswered } from "../server/store/statements.js";

// The advisory lock a trigger takes at COMMIT: while this test's connection holds it, the
// server's COMMIT of text updates waits inside PostgreSQL.
const HOLD = 0x686f6c64;

let server: TestServer;
/** This test's own connection to the server's database. */
let other: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  if (server.ctx.db.dialect !== "postgres") throw new Error("run in the postgres test project (ACCORD_TEST_POSTGRES names the test cluster)");
  other = new pg.Client({ connectionString: server.ctx.config.databaseUrl! });
  await other.connect();
  // A deferred constraint trigger runs when the transaction commits: COMMIT itself waits for the lock.
  await other.query(`CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock(${HOLD}); RETURN NULL; END $$`);
  await other.query(`CREATE CONSTRAINT TRIGGER hold_commit AFTER INSERT ON document_updates
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION hold_commit()`);
});
afterAll(async () => {
  await other?.end();
  await server?.stop();
});

/** Appends `text` to the XmlText of block `index` in a client's doc. */
function typeInto(doc: Y.Doc, index: number, text: string): void {
  const t = (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
  t.insert(t.length, text);
}

/** The text of block `index` as a client has it. */
function textOf(client: CollabClient, index: number): string {
  return client.canonical().paragraphs[index]!.text;
}

/** The server's backend whose COMMIT waits for the lock, once there is one. */
async function commitWaiting(): Promise<number> {
  let pid = 0;
  await eventually(
    async () => {
      const rows = await other.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'COMMIT' AND state = 'active' AND wait_event_type = 'Lock'",
      );
      pid = rows.rows[0]?.pid ?? 0;
      return pid !== 0;
    },
    15_000,
    "the server's COMMIT waiting in PostgreSQL",
  );
  return pid;
}

/**
 * Two clients on the declaration, after a first edit is delivered and its language versions'
 * text is loaded ahead (on the first edit of the original, read from the store on the main
 * thread: read during a held COMMIT, it would queue behind it and wait for this test's own
 * connection, which shares that thread, to release the lock).
 */
async function twoClients(): Promise<{ a: CollabClient; b: CollabClient; docId: string; read: (path: string) => Promise<any> }> {
  const arg = await server.login("arg.delegate");
  const bra = await server.login("bra.delegate");
  const docId = server.demo.documents.declaration!;
  const a = collabClient(server.url, docId, arg.cookie);
  const b = collabClient(server.url, docId, bra.cookie);
  await Promise.all([a.synced, b.synced]);
  typeInto(a.doc, 1, "w");
  await eventually(() => textOf(b, 1) === textOf(a, 1), 10_000, "the first edit delivered");
  const versions = (await other.query("SELECT id FROM documents WHERE original_id = $1", [docId])).rows.map((r) => r.id as string);
  await eventually(() => versions.every((id) => server.ctx.rooms.get(id)?.loaded === true), 10_000, "the language versions' text loaded");
  return { a, b, docId, read: async (path) => (await arg.get(path)).body };
}

describe("the PostgreSQL commit of text updates", () => {
  it("does not hold the event loop: while the COMMIT waits, requests are answered and nothing of it is sent", async () => {
    const { a, b, docId, read } = await twoClients();
    await other.query("SELECT pg_advisory_lock($1)", [HOLD]);
    try {
      typeInto(a.doc, 2, "HELD");
      await commitWaiting();
      // The process answers over HTTP while its COMMIT waits (it used to wait for it in Atomics.wait).
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      // Another client's update is received meanwhile; it goes out after the held one, never before.
      typeInto(b.doc, 3, "LATER");
      expect(textOf(b, 2)).not.toContain("HELD");
      expect(textOf(a, 3)).not.toContain("LATER");
    } finally {
      await other.query("SELECT pg_advisory_unlock($1)", [HOLD]);
    }
    await eventually(() => textOf(b, 2).endsWith("HELD") && textOf(a, 3).endsWith("LATER"), 10_000, "both edits delivered once committed");
    const stored = { body: await read(`/api/documents/${docId}/content`) };
    expect(stored.body.canonical.paragraphs[2].text.endsWith("HELD")).toBe(true);
    expect(stored.body.canonical.paragraphs[3].text.endsWith("LATER")).toBe(true);
    a.destroy();
    b.destroy();
  });

  it("a COMMIT that fails (its backend terminated) sends nobody anything of it, and the re-sent updates are stored", async () => {
    const { a, b, docId, read } = await twoClients();
    // What b had when the server closed its connection (the failed flush's rooms are dropped).
    let atClose: string | null = null;
    b.provider.on("status", ({ status }: { status: string }) => {
      if (status === "disconnected" && atClose === null) atClose = textOf(b, 4);
    });
    await other.query("SELECT pg_advisory_lock($1)", [HOLD]);
    try {
      typeInto(a.doc, 4, "LOST?");
      const pid = await commitWaiting();
      await other.query("SELECT pg_terminate_backend($1)", [pid]);
      await eventually(() => atClose !== null, 10_000, "the room dropped after the failed COMMIT");
    } finally {
      await other.query("SELECT pg_advisory_unlock($1)", [HOLD]);
    }
    expect(atClose).not.toContain("LOST?");
    // a re-sends what the store lacks once reconnected; the store takes it on a new connection.
    await eventually(() => textOf(b, 4).endsWith("LOST?"), 30_000, "the re-sent update delivered");
    const stored = { body: await read(`/api/documents/${docId}/content`) };
    expect(stored.body.canonical.paragraphs[4].text.endsWith("LOST?")).toBe(true);
    expect(stored.body.canonical).toEqual(a.canonical());
    a.destroy();
    b.destroy();
  });
});

describe("writes sent without waiting for their answer (writeUnanswered)", () => {
  /** The server's PostgreSQL store, with a table of this test's own. */
  async function store(): Promise<PostgresDb> {
    await other.query("CREATE TABLE IF NOT EXISTS unanswered_probe (id INTEGER PRIMARY KEY)");
    await other.query("DELETE FROM unanswered_probe");
    return server.ctx.db as PostgresDb;
  }
  const ids = async () => (await other.query("SELECT id FROM unanswered_probe ORDER BY id")).rows.map((r) => r.id as number);

  it("are committed with the transaction, waited for or deferred", async () => {
    const db = await store();
    db.transaction(() => writeUnanswered(db, "INSERT INTO unanswered_probe (id) VALUES (?)", 1))();
    const answer = new Promise<Error | null>((resolve) => db.transactionDeferred(() => writeUnanswered(db, "INSERT INTO unanswered_probe (id) VALUES (?)", 2), resolve));
    expect(await answer).toBeNull();
    expect(await ids()).toEqual([1, 2]);
  });

  it("that fail fail the transaction: its COMMIT rolls everything back and reports the write's error", async () => {
    const db = await store();
    await other.query("INSERT INTO unanswered_probe (id) VALUES (7)");
    const insert = (id: number) => writeUnanswered(db, "INSERT INTO unanswered_probe (id) VALUES (?)", id);
    // Waited for: the COMMIT throws the duplicate's error, and the write before it is gone too.
    expect(() =>
      db.transaction(() => {
        insert(3);
        insert(7);
        insert(4);
      })(),
    ).toThrow(expect.objectContaining({ code: "SQLITE_CONSTRAINT_UNIQUE" }));
    // A statement waited for after the failed write fails with its error.
    expect(() =>
      db.transaction(() => {
        insert(7);
        db.prepare("SELECT count(*) FROM unanswered_probe").get();
      })(),
    ).toThrow(expect.objectContaining({ code: "SQLITE_CONSTRAINT_UNIQUE" }));
    // Deferred: the COMMIT's answer is the duplicate's error, even though a savepoint after it was released.
    const answer = new Promise<Error | null>((resolve) =>
      db.transactionDeferred(() => {
        insert(5);
        insert(7);
        try {
          db.transaction(() => insert(6))();
        } catch {
          // The savepoint fails with the doomed transaction: what matters is the COMMIT's answer.
        }
      }, resolve),
    );
    expect(await answer).toEqual(expect.objectContaining({ code: "SQLITE_CONSTRAINT_UNIQUE" }));
    expect(await ids()).toEqual([7]);
    // The connection serves the next transaction as usual.
    db.transaction(() => insert(8))();
    expect(await ids()).toEqual([7, 8]);
  });
});

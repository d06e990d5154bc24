import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type PostgresDb } from "../server/store/postgres.js";
import { DocumentLeases, type LeaseHolder } from "../server/cluster/leases.js";
import { testStore } from "./helpers/server.js";

// Two connections to one real PostgreSQL database, as two processes of a cluster have; the
// first is closed as a killed process's connection is.
let store: Awaited<ReturnType<typeof testStore>>;
let dbA: PostgresDb;
let dbB: PostgresDb;
let documentId: string;
const TTL = 60_000; // far longer than the test: whatever frees the lease, it is not its expiry
const holder = (name: string): LeaseHolder => ({ holder: `${name}:1:x`, process: name, pid: 1, url: null });

beforeAll(async () => {
  store = await testStore("accord_demo_template");
  const url = store.env.ACCORD_DATABASE_URL!;
  dbA = openPostgres(url);
  dbB = openPostgres(url);
  documentId = dbA.prepare("SELECT id FROM documents ORDER BY id LIMIT 1").pluck().get() as string;
});
afterAll(async () => {
  dbB?.close();
  await store?.drop();
});

describe("document leases on PostgreSQL", () => {
  it("a holder whose session ended (its process killed) frees its leases at once, with a greater token; come back, it holds nothing", () => {
    const a = new DocumentLeases(dbA, holder("a"), TTL);
    const b = new DocumentLeases(dbB, holder("b"), TTL);
    const first = a.acquire(documentId)!;
    expect(first).not.toBeNull();
    // Alive, its lease is its own until it expires.
    expect(b.acquire(documentId)).toBeNull();
    expect(b.live(documentId)?.holder).toBe("a:1:x");

    dbA.close();
    expect(b.live(documentId)).toBeNull();
    const taken = b.acquire(documentId);
    expect(taken?.token).toBe(first.token + 1);
    expect(b.live(documentId)?.holder).toBe("b:1:x");

    // The same holder on a new connection (a process cut off, then back): the fence refuses its token.
    const again = openPostgres(store.env.ACCORD_DATABASE_URL!);
    try {
      const back = new DocumentLeases(again, holder("a"), TTL);
      expect(back.holds(first)).toBe(false);
      expect(back.acquire(documentId)).toBeNull();
    } finally {
      again.close();
    }
  });
});

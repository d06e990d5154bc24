import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { openPostgres, type PostgresDb } from "../server/store/postgres.js";
import { DocumentLeases, type LeaseHolder } from "../server/cluster/leases.js";
import { OwnershipLost } from "../server/cluster/ownership.js";
import { TextStore } from "../server/store/text-store.js";
import { testStore } from "./helpers/server.js";

// Two connections to one real PostgreSQL database, as two processes of a cluster have; the
// first is closed as a killed process's connection is.
let store: Awaited<ReturnType<typeof testStore>>;
let dbA: PostgresDb;
let dbB: PostgresDb;
let documentId: string;
let otherIds: string[];
const TTL = 60_000; // far longer than the test: whatever frees the lease, it is not its expiry
const holder = (name: string): LeaseHolder => ({ holder: `${name}:1:x`, process: name, pid: 1, url: null });

beforeAll(async () => {
  store = await testStore("accord_demo_template");
  const url = store.env.ACCORD_DATABASE_URL!;
  dbA = openPostgres(url);
  dbB = openPostgres(url);
  const ids = dbA.prepare("SELECT id FROM documents ORDER BY id LIMIT 3").pluck().all() as string[];
  documentId = ids[0]!;
  otherIds = ids.slice(1);
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

  it("renews every lease in one statement; the store refuses, as it writes, the text of a holder whose lease was taken over, and a takeover waits for a fenced write's commit", () => {
    const [first, second] = otherIds as [string, string];
    const dbC = openPostgres(store.env.ACCORD_DATABASE_URL!);
    const dbD = openPostgres(store.env.ACCORD_DATABASE_URL!);
    try {
      const c = new DocumentLeases(dbC, holder("c"), TTL);
      const d = new DocumentLeases(dbD, holder("d"), TTL);
      const t0 = Date.now();
      const leaseC = c.acquire(first, t0)!;
      const otherC = c.acquire(second, t0)!;
      expect(c.renewAll([leaseC, otherC], t0 + 1000)).toEqual(new Set([first, second]));
      // C is cut off past both leases; D takes the first over, nobody the second.
      const now = t0 + 1000 + TTL + 1;
      const leaseD = d.acquire(first, now)!;
      expect(leaseD.token).toBe(leaseC.token + 1);
      expect(c.renewAll([leaseC, otherC], now + 1)).toEqual(new Set([second]));

      const fenced = (db: PostgresDb, who: string, tokens: Record<string, number>) => {
        const texts = new TextStore(db);
        texts.fence = { holder: holder(who).holder, token: (id) => tokens[id] ?? null, refused: (id) => new OwnershipLost(id), now: () => now + 2 };
        return texts;
      };
      const storeC = fenced(dbC, "c", { [first]: leaseC.token, [second]: otherC.token });
      const storeD = fenced(dbD, "d", { [first]: leaseD.token });
      const seq = storeD.load(first).nextSeq;
      const otherSeq = storeC.load(second).nextSeq;
      // One append for both documents (a flush's): the one taken over refuses it all, the other's row included.
      const both = () => [
        { documentId: second, seq: otherSeq, update: titleEdit(storeC, second, " (C, still its own)"), userId: null },
        { documentId: first, seq, update: titleEdit(storeC, first, " (C, stale)"), userId: null },
      ];
      expect(() => storeC.append(both())).toThrow(OwnershipLost);
      expect(storeC.load(second).nextSeq).toBe(otherSeq);
      expect(() => storeC.append([{ documentId: first, seq, update: titleEdit(storeC, first, " (C, stale)"), userId: null }])).toThrow(OwnershipLost);
      expect(() => storeD.append([{ documentId: second, seq: otherSeq, update: titleEdit(storeD, second, " (D, never its)"), userId: null }])).toThrow(OwnershipLost);
      storeC.append([both()[0]!]);
      expect(storeC.load(second).nextSeq).toBe(otherSeq + 1);
      expect(() => storeC.compact(first, storeC.load(first).doc, seq - 1)).toThrow(OwnershipLost);
      expect(storeD.load(first).nextSeq).toBe(seq);
      storeD.append([{ documentId: first, seq, update: titleEdit(storeD, first, " (D)"), userId: null }]);
      const title = storeD.load(first).doc.getXmlFragment("prosemirror").get(0)!.toString();
      expect(title).toContain("(D)");
      expect(title).not.toContain("stale");

      // D's fenced write, not yet committed, holds the lease row: a takeover waits for it.
      dbC.exec("SET lock_timeout = 300");
      dbD.transaction(() => {
        storeD.append([{ documentId: first, seq: seq + 1, update: titleEdit(storeD, first, "!"), userId: null }]);
        expect(() => c.acquire(first, now + 2 * TTL)).toThrow(/lock timeout/);
      })();
      expect(c.acquire(first, now + 2 * TTL)?.token).toBe(leaseD.token + 1);
    } finally {
      dbC.close();
      dbD.close();
    }
  });
});

/** One update that appends `text` to the document's title, built on the stored text. */
function titleEdit(texts: TextStore, id: string, text: string): Uint8Array {
  const doc = texts.load(id).doc;
  const sv = Y.encodeStateVector(doc);
  const title = (doc.getXmlFragment("prosemirror").get(0) as Y.XmlElement).get(0) as Y.XmlText;
  title.insert(title.length, text);
  return Y.encodeStateAsUpdate(doc, sv);
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as Y from "yjs";
import { loadConfig, databaseFile } from "../server/config.js";
import { createContext } from "../server/app.js";
import { seedDemo } from "../server/seed/demo.js";
import { openDatabase, type Db } from "../server/store/db.js";
import { TextStore } from "../server/store/text-store.js";
import { DocumentLeases, type LeaseHolder } from "../server/cluster/leases.js";
import { OwnershipLost } from "../server/cluster/ownership.js";

// Two connections to one real SQLite file, as two processes of a cluster have.
let dir: string;
let dbA: Db;
let dbB: Db;
let documentId: string;
let otherId: string;
const TTL = 3000;
const holder = (name: string): LeaseHolder => ({ holder: `${name}:1:x`, process: name, pid: 1, url: null });

beforeAll(async () => {
  dir = mkdtempSync("/tmp/cluster-leases-");
  const config = loadConfig({ ACCORD_DATA_DIR: dir, ACCORD_LOG: "silent", ACCORD_SYNC: "normal", ACCORD_AUDIT_KEY_FILE: join(dir, "k", "audit.key") });
  const ctx = createContext(config);
  const demo = await seedDemo(ctx, config.demoPassword);
  documentId = demo.documents.declaration!;
  otherId = Object.values(demo.documents).find((id) => id !== documentId)!;
  ctx.rooms.closeAll();
  ctx.db.close();
  dbA = openDatabase(databaseFile(config), "normal");
  dbB = openDatabase(databaseFile(config), "normal");
});
afterAll(() => {
  dbA?.close();
  dbB?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A text store that writes as `who` holding `token`, the way a process's store is fenced. */
function fencedStore(db: Db, who: LeaseHolder, token: () => number, now: () => number): TextStore {
  const store = new TextStore(db);
  store.fence = { holder: who.holder, token: () => token(), refused: (id) => new OwnershipLost(id), now };
  return store;
}

/** One update that appends `text` to the title, built on the stored text. */
function titleEdit(store: TextStore, text: string): Uint8Array {
  const doc = store.load(documentId).doc;
  const sv = Y.encodeStateVector(doc);
  const title = (doc.getXmlFragment("prosemirror").get(0) as Y.XmlElement).get(0) as Y.XmlText;
  title.insert(title.length, text);
  return Y.encodeStateAsUpdate(doc, sv);
}

describe("document leases with fencing tokens", () => {
  it("one holder at a time; an expired lease is taken over with a greater token, and the store refuses the former owner's writes", () => {
    const a = new DocumentLeases(dbA, holder("a"), TTL);
    const b = new DocumentLeases(dbB, holder("b"), TTL);
    const t0 = Date.now();
    const leaseA = a.acquire(documentId, t0)!;
    expect(leaseA).not.toBeNull();
    expect(b.acquire(documentId, t0 + 10)).toBeNull();
    expect(b.live(documentId, t0 + 10)).toMatchObject({ process: "a", token: leaseA.token });
    // Renewed, it stays A's; its own claim again keeps the token.
    expect(a.renew(leaseA, t0 + 1000)).toBe(true);
    expect(a.acquire(documentId, t0 + 1100)!.token).toBe(leaseA.token);
    expect(b.acquire(documentId, t0 + 1100 + TTL - 1)).toBeNull();

    // A is cut off past its lease: B takes the document over.
    let now = t0 + 1100 + TTL + 1;
    const leaseB = b.acquire(documentId, now)!;
    expect(leaseB.token).toBe(leaseA.token + 1);
    const storeA = fencedStore(dbA, holder("a"), () => leaseA.token, () => now);
    const storeB = fencedStore(dbB, holder("b"), () => leaseB.token, () => now);
    const seq = storeB.load(documentId).nextSeq;
    // A comes back and tries to commit what it accepted while cut off: refused by the store, nothing written.
    expect(() => storeA.append([{ documentId, seq, update: titleEdit(storeA, " (A, stale)"), userId: null }])).toThrow(OwnershipLost);
    expect(() => storeA.compact(documentId, storeA.load(documentId).doc, seq - 1)).toThrow(OwnershipLost);
    storeB.append([{ documentId, seq, update: titleEdit(storeB, " (B)"), userId: null }]);
    const title = storeB.load(documentId).doc.getXmlFragment("prosemirror").get(0) as Y.XmlElement;
    expect(title.toString()).toContain("(B)");
    expect(title.toString()).not.toContain("stale");
    // Nor can A renew its way back.
    expect(a.renew(leaseA, now)).toBe(false);
    expect(a.acquire(documentId, now)).toBeNull();

    // Released on close, the document is free at once, and the next holder's token grows again.
    b.release(leaseB);
    now += 1;
    expect(b.live(documentId, now)).toBeNull();
    const again = a.acquire(documentId, now)!;
    expect(again.token).toBe(leaseB.token + 1);
    a.release(again);
  });

  it("every lease of a process is renewed in one statement, each with its own token; one taken over is not, and is reported", () => {
    const a = new DocumentLeases(dbA, holder("a3"), TTL);
    const b = new DocumentLeases(dbB, holder("b3"), TTL);
    const t0 = Date.now() + 120_000; // past every lease the tests before left
    const first = a.acquire(documentId, t0)!;
    const second = a.acquire(otherId, t0)!;
    expect(a.renewAll([first, second], t0 + 1000)).toEqual(new Set([documentId, otherId]));
    expect(b.live(otherId, t0 + 1000 + TTL - 1)).toMatchObject({ holder: "a3:1:x", token: second.token });
    // A is cut off past both leases; B takes the first over, nobody the second.
    const now = t0 + 1000 + TTL + 1;
    expect(b.acquire(documentId, now)!.token).toBe(first.token + 1);
    expect(a.renewAll([first, second], now + 1)).toEqual(new Set([otherId]));
    expect(b.live(documentId, now + 2)).toMatchObject({ holder: "b3:1:x" });
    expect(b.live(otherId, now + 2)).toMatchObject({ holder: "a3:1:x", expiresAt: now + 1 + TTL });
    // A token that is not the lease's renews nothing, even for its holder.
    expect(a.renewAll([{ documentId: otherId, token: second.token + 1 }], now + 3)).toEqual(new Set());
    expect(a.renewAll([], now + 3)).toEqual(new Set());
  });

  it("two processes racing for a free document: exactly one wins", () => {
    const a = new DocumentLeases(dbA, holder("a2"), TTL);
    const b = new DocumentLeases(dbB, holder("b2"), TTL);
    const now = Date.now() + 240_000; // past every lease the tests above left
    const results = [a.acquire(documentId, now), b.acquire(documentId, now)];
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });
});

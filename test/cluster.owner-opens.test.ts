import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { OwnerSide } from "../server/cluster/owner-side.js";
import type { Bus } from "../server/cluster/bus.js";
import type { DocumentOwnership } from "../server/cluster/ownership.js";
import type { ClusterMessage } from "../server/cluster/wire.js";
import type { AppContext } from "../server/context.js";
import type { Db } from "../server/store/db.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** The server's context with its store counting the statements that read people (users, memberships, chairs). */
function countingPeopleReads(ctx: AppContext): { ctx: AppContext; reads: () => number } {
  let reads = 0;
  const db = new Proxy(ctx.db, {
    get(target, key) {
      if (key === "prepare")
        return (sql: string) => {
          const stmt = target.prepare(sql);
          if (!/\bFROM (users|memberships|body_chairs)\b/.test(sql)) return stmt;
          return new Proxy(stmt, {
            get(s, k) {
              const value = Reflect.get(s, k, s) as unknown;
              if (typeof value !== "function") return value;
              if (k === "get" || k === "all") return (...args: unknown[]) => ((reads += 1), (value as (...a: unknown[]) => unknown).apply(s, args));
              return (value as (...a: unknown[]) => unknown).bind(s);
            },
          });
        };
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as Db;
  const proxied = new Proxy(ctx, { get: (target, key) => (key === "db" ? db : Reflect.get(target, key, target)) });
  return { ctx: proxied, reads: () => reads };
}

describe("an owner greets a relay's clients", () => {
  it("reads the members of many opens arriving together at once, and answers each as alone", async () => {
    const documentId = server.demo.documents.declaration!;
    const people = server.ctx.db.prepare("SELECT username, id FROM users").all() as { username: string; id: string }[];
    const members = people.filter((p) => p.username.endsWith(".delegate")).map((p) => p.id);
    const admin = people.find((p) => p.username === "admin")!.id;
    expect(members.length).toBeGreaterThan(5);
    const sent: Array<{ to: string; m: ClusterMessage }> = [];
    const bus = { inbox: "owner", send: (to: string, m: ClusterMessage) => sent.push({ to, m }), publishDocument: () => {} } as unknown as Bus;
    const ownership = { token: () => 1 } as unknown as DocumentOwnership;
    const counted = countingPeopleReads(server.ctx);
    const owner = new OwnerSide(counted.ctx, bus, ownership);
    try {
      // 40 clients moved at once; one of them is no member (refused), and one sends its first message right behind its open.
      const opens = Array.from({ length: 40 }, (_, connId) => ({ connId, userId: connId === 7 ? admin : members[connId % members.length]! }));
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, 0);
      syncProtocol.writeSyncStep1(step1, new Y.Doc());
      for (const { connId, userId } of opens) {
        owner.handle({ type: "open", documentId, from: "relay", connId, userId, wantsEvents: false, knowsPresence: true });
        if (connId === 3) owner.handle({ type: "message", documentId, from: "relay", connId, bytes: encoding.toUint8Array(step1) });
      }
      await new Promise((resolve) => setImmediate(resolve));
      // Users, memberships, chairs: once for the forty, not three times each.
      expect(counted.reads()).toBe(3);
      const ended = sent.filter((s) => s.m.type === "end").map((s) => s.m as Extract<ClusterMessage, { type: "end" }>);
      expect(ended.map((e) => [e.connId, e.code])).toEqual([[7, 4404]]);
      const room = server.ctx.rooms.get(documentId)!;
      const relayed = [...room.conns].filter((c) => c.relayed);
      expect(relayed.length).toBe(39);
      // Each as userById would have made it, in the document's meeting.
      for (const conn of relayed) expect(conn.user.meetingId).toBe(room.meetingId);
      // The message behind its open reached the room (answered with a sync step 2), not "the document moved".
      const answered = sent.filter((s) => s.m.type === "send" && (s.m as Extract<ClusterMessage, { type: "send" }>).connId === 3);
      expect(answered.length).toBeGreaterThan(0);
      for (const { connId } of opens) if (connId !== 7) owner.handle({ type: "close", documentId, from: "relay", connId });
      await new Promise((resolve) => setImmediate(resolve));
      expect([...(server.ctx.rooms.get(documentId)?.conns ?? [])].filter((c) => c.relayed).length).toBe(0);
    } finally {
      owner.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { createSession, sessionOf } from "../server/auth/sessions.js";
import { sessionSocketsOf, type SessionSocket, type SocketEnd } from "../server/collab/session-sockets.js";
import type { AppContext } from "../server/context.js";
import type { Db, Statement } from "../server/store/db.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  vi.useRealTimers();
  await server?.stop();
});

/** The server's store, counting the statements run through it. */
function countingStore(db: Db): { db: Db; runs: () => number } {
  let runs = 0;
  const counted = (stmt: Statement): Statement =>
    new Proxy(stmt, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== "function") return value;
        if (key === "get" || key === "all" || key === "run" || key === "iterate")
          return (...args: unknown[]) => {
            runs += 1;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return (value as (...a: unknown[]) => unknown).bind(target);
      },
    });
  const proxy = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (key === "prepare") return (sql: string) => counted(target.prepare(sql));
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, runs: () => runs };
}

/** `count` sockets of fresh sessions of `usernames` (round robin), registered in a registry of their own that reads through `db`. */
function openSockets(db: Db, usernames: string[], count: number) {
  const ids = new Map(
    (server.ctx.db.prepare(`SELECT username, id FROM users WHERE username IN (${usernames.map(() => "?").join(", ")})`).all(...usernames) as {
      username: string;
      id: string;
    }[]).map((r) => [r.username, r.id]),
  );
  // A context of its own: the registry is per context, and this one counts its statements.
  const registry = sessionSocketsOf({ db } as unknown as AppContext);
  return Array.from({ length: count }, (_, i) => {
    const username = usernames[i % usernames.length]!;
    const { token } = createSession(server.ctx.db, ids.get(username)!, 8);
    const session = sessionOf(server.ctx.db, token)!;
    const closed: SocketEnd[] = [];
    const socket: SessionSocket = registry.add(session, (end) => closed.push(end));
    return { username, userId: session.person.id, tokenHash: session.tokenHash, socket, closed, registry };
  });
}

describe("open sockets' sessions are re-read together", () => {
  it("one re-read of 50 sockets closes exactly those whose session ended or whose user changed, in a constant number of statements", () => {
    const store = countingStore(server.ctx.db);
    const sockets = openSockets(store.db, ["arg.delegate", "bra.delegate", "can.delegate", "mex.delegate", "usa.delegate"], 50);
    const registry = sockets[0]!.registry;
    // Ended behind the server's back: rows deleted, one expired, one user's role changed.
    const deleted = sockets.filter((_, i) => i % 7 === 3);
    const expired = sockets[11]!;
    for (const s of deleted) server.ctx.db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(s.tokenHash);
    server.ctx.db.prepare("UPDATE sessions SET expires_at = ? WHERE token_hash = ?").run(new Date(Date.now() - 1000).toISOString(), expired.tokenHash);
    const changed = sockets.find((s) => s.username === "mex.delegate")!.userId;
    server.ctx.db.prepare("UPDATE memberships SET role = 'observer' WHERE user_id = ?").run(changed);

    const before = store.runs();
    registry.recheckAll();
    // Sessions, people, memberships: three, not three per socket.
    expect(store.runs() - before).toBe(3);

    for (const s of sockets) {
      const gone = deleted.includes(s) || s === expired;
      const expected = gone ? 4401 : s.userId === changed ? 4000 : null;
      expect(s.closed.map((e) => e.code), `${s.username} ${gone ? "ended" : "live"}`).toEqual(expected === null ? [] : [expected]);
      expect(s.socket.admits()).toBe(expected === null);
    }
    const open = sockets.filter((s) => s.closed.length === 0);
    expect(open.length).toBe(50 - deleted.length - 1 - sockets.filter((s) => s.userId === changed && !deleted.includes(s) && s !== expired).length);
    for (const username of ["arg.delegate", "bra.delegate", "can.delegate", "usa.delegate"]) {
      const userId = sockets.find((s) => s.username === username)!.userId;
      expect(registry.count(userId)).toBe(open.filter((s) => s.userId === userId).length);
    }
    expect(registry.count(changed)).toBe(0);
    // A second re-read finds nothing more to close.
    registry.recheckAll();
    expect(open.every((s) => s.closed.length === 0)).toBe(true);
    server.ctx.db.prepare("UPDATE memberships SET role = 'delegate' WHERE user_id = ?").run(changed);
    for (const s of open) s.socket.remove();
  });

  it("a socket whose periodic re-read is late re-reads before its message is taken", () => {
    const store = countingStore(server.ctx.db);
    const sockets = openSockets(store.db, ["chl.delegate", "arg.delegate"], 10);
    const [ended, ...rest] = sockets as [(typeof sockets)[0], ...typeof sockets];
    server.ctx.db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(ended.tokenHash);
    // Within the period, messages are taken without reading the store.
    const before = store.runs();
    expect(ended.socket.admits()).toBe(true);
    expect(store.runs()).toBe(before);
    // The timer held back (an event loop held, say) past twice the period: the next message re-reads everyone first.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 10_001);
    expect(ended.socket.admits()).toBe(false);
    expect(ended.closed.map((e) => e.code)).toEqual([4401]);
    expect(store.runs() - before).toBe(3);
    // The others were re-read by the same pass: no further statements for them.
    expect(rest.every((s) => s.socket.admits())).toBe(true);
    expect(store.runs() - before).toBe(3);
    vi.useRealTimers();
    for (const s of rest) s.socket.remove();
  });
});

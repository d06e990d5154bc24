/**
 * What the open sockets' periodic session re-reads cost the main thread: `sockets` sockets
 * registered as the transport registers them (server/collab/session-sockets.ts), sessions
 * of the demo's members, each taking `rate` messages a second; counts the store statements
 * the re-reads run and the time the main thread spends in them (on PostgreSQL each one is a
 * synchronous round trip to the store's worker). `--store=postgres` starts a cluster of its
 * own in /tmp. `--from=<checkout>` takes the socket registry from another checkout of
 * Accord (the same store and sessions), to compare with an earlier version.
 *
 *   npx tsx bench/session-recheck.ts [seconds=20] [--sockets=600] [--rate=2] [--store=sqlite|postgres] [--from=<checkout>]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../server/config.js";
import { createContext } from "../server/app.js";
import { seedDemo } from "../server/seed/demo.js";
import { createSession, sessionOf } from "../server/auth/sessions.js";
import type { AppContext } from "../server/context.js";
import type { Db, Statement } from "../server/store/db.js";
import { startPostgresCluster, TEMPLATE_DATABASE } from "../test/helpers/postgres-setup.js";

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const seconds = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 20);
const sockets = Number(arg("sockets", "600"));
const rate = Number(arg("rate", "2"));
const onPostgres = arg("store", "sqlite") === "postgres";
const from = resolve(arg("from", join(import.meta.dirname, "..")));

/** `db`, counting the statements run through it and the time spent in them. */
function counting(db: Db): { db: Db; runs: number; ms: number } {
  const tally = { db, runs: 0, ms: 0 };
  const counted = (stmt: Statement): Statement =>
    new Proxy(stmt, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (typeof value !== "function") return value;
        if (key !== "get" && key !== "all" && key !== "run" && key !== "iterate") return (value as (...a: unknown[]) => unknown).bind(target);
        return (...args: unknown[]) => {
          const t = performance.now();
          try {
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          } finally {
            tally.runs += 1;
            tally.ms += performance.now() - t;
          }
        };
      },
    });
  tally.db = new Proxy(db, {
    get(target, key) {
      if (key === "prepare") return (sql: string) => counted(target.prepare(sql));
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return tally;
}

const cluster = onPostgres ? await startPostgresCluster({ durable: false }) : null;
const dataDir = mkdtempSync(join(tmpdir(), "accord-recheck-"));
try {
  const env: Record<string, string> = { PORT: "0", HOST: "127.0.0.1", ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent" };
  if (cluster) env.ACCORD_DATABASE_URL = cluster.admin.replace(/\/postgres$/, `/${TEMPLATE_DATABASE}`);
  const config = loadConfig(env);
  const ctx = createContext(config);
  await seedDemo(ctx, config.demoPassword);
  const members = ctx.db.prepare("SELECT DISTINCT user_id FROM memberships WHERE active = 1 ORDER BY user_id").pluck().all() as string[];
  const tally = counting(ctx.db);
  const { sessionSocketsOf } = (await import(join(from, "server/collab/session-sockets.ts"))) as typeof import("../server/collab/session-sockets.js");
  const registry = sessionSocketsOf({ db: tally.db } as unknown as AppContext);
  let closed = 0;
  const open = Array.from({ length: sockets }, (_, i) => {
    const { token } = createSession(ctx.db, members[i % members.length]!, 8);
    return registry.add(sessionOf(ctx.db, token)!, () => (closed += 1));
  });
  // Messages arrive spread over each second, as from typists: every socket `rate` times a second.
  const TICK_MS = 50;
  let next = 0;
  let admitted = 0;
  const perTick = (sockets * rate * TICK_MS) / 1000;
  const start = performance.now();
  const driver = setInterval(() => {
    for (let n = 0; n < perTick; n++) if (open[next++ % sockets]!.admits()) admitted += 1;
  }, TICK_MS);
  await new Promise((done) => setTimeout(done, seconds * 1000));
  clearInterval(driver);
  const elapsed = (performance.now() - start) / 1000;
  console.log(
    `${onPostgres ? "postgres" : "sqlite"}, ${sockets} sockets, ${rate} messages/s each, ${elapsed.toFixed(1)} s, registry from ${from}: ` +
      `${(tally.runs / elapsed).toFixed(1)} statements/s, main thread ${(tally.ms / elapsed).toFixed(2)} ms/s in them ` +
      `(${tally.runs} statements, ${Math.round(admitted / elapsed)} messages/s admitted, ${closed} closed)`,
  );
  for (const socket of open) socket.remove();
  ctx.rooms.closeAll();
  ctx.db.close();
} finally {
  cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}-keys`, { recursive: true, force: true });
}

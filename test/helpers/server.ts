import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { loadConfig } from "../../server/config.js";
import { createContext, startAccord, type Accord } from "../../server/app.js";
import { seedDemo, type DemoMeeting } from "../../server/seed/demo.js";
import { login, type ApiClient } from "./api.js";
import { ensureAdministrator } from "../../server/meetings/admin.js";
import pg from "pg";
import { randomBytes } from "node:crypto";

/**
 * In the `postgres` test project (ACCORD_TEST_STORE is "postgres"; ACCORD_TEST_POSTGRES names
 * the test cluster, and is seen by every project's workers), a new
 * database copied from the migrated template, and its address for ACCORD_DATABASE_URL; no
 * address elsewhere (the SQLite file in the data folder). `drop` removes the database once
 * its server has closed.
 */
export async function testStore(template = "accord_template"): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const admin = postgresAdmin();
  if (!admin) return { env: {}, drop: async () => {} };
  const name = `accord_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { env: { ACCORD_DATABASE_URL: url.toString() }, drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The test cluster's admin address in the `postgres` project, else undefined. */
function postgresAdmin(): string | undefined {
  return process.env.ACCORD_TEST_STORE === "postgres" ? process.env.ACCORD_TEST_POSTGRES : undefined;
}

/**
 * In the `postgres` project, the demo seeded once by its global setup (test/helpers/postgres-setup.ts):
 * its ids, and the audit key folder that sealed it. Null elsewhere, and for a server whose
 * `env` changes what seeding writes (the demo password, the audit key, the data folder):
 * that one seeds its own.
 */
function seededDemo(env: Record<string, string>): { demo: DemoMeeting; keys: string } | null {
  const seeded = postgresAdmin() ? process.env.ACCORD_TEST_POSTGRES_DEMO : undefined;
  if (!seeded || Object.keys(env).some((key) => /DEMO|AUDIT|SEED|DATA_DIR|DATABASE/.test(key))) return null;
  return JSON.parse(seeded) as { demo: DemoMeeting; keys: string };
}

async function adminQuery(admin: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A real Accord server on a free port with a fresh data folder and the demo meeting. */
export interface TestServer extends Accord {
  dataDir: string;
  demo: DemoMeeting;
  /** Signs in a demo account. */
  login(username: string): Promise<ApiClient>;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/** Starts a server in this process (the usual way for integration tests). */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "accord-test-"));
  // On PostgreSQL, a copy of the demo seeded once, with the key folder that sealed it.
  const seeded = seededDemo(env);
  if (seeded) cpSync(seeded.keys, `${dataDir}-keys`, { recursive: true });
  const store = await testStore(seeded ? "accord_demo_template" : undefined);
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent", ACCORD_SYNC: "normal", ...store.env, ...env });
  const ctx = createContext(config);
  const demo = seeded ? seeded.demo : await seedDemo(ctx, config.demoPassword);
  const accord = await startAccord(config, ctx);
  return {
    ...accord,
    dataDir,
    demo,
    login: (username) => login(accord.url, username, config.demoPassword),
    async stop() {
      await accord.close();
      await store.drop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}-keys`, { recursive: true, force: true });
    },
  };
}

/** A real Accord server on a fresh database without the demo: only the administrator `admin`. */
export interface EmptyServer extends Accord {
  dataDir: string;
  /** Signs in with a username and password. */
  login(username: string, password: string): Promise<ApiClient>;
  stop(): Promise<void>;
}

/** The administrator's password on an EmptyServer. */
export const ADMIN_PASSWORD = "first-admin-password";

/** Starts a server on an empty database whose first administrator comes from ACCORD_ADMIN_PASSWORD. */
export async function startEmptyServer(env: Record<string, string> = {}): Promise<EmptyServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "accord-test-"));
  const store = await testStore();
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    ACCORD_DATA_DIR: dataDir,
    ACCORD_LOG: "silent",
    ACCORD_SYNC: "normal",
    ACCORD_SEED: "false",
    ACCORD_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...store.env,
    ...env,
  });
  const ctx = createContext(config);
  await ensureAdministrator(ctx, config.adminPassword);
  const accord = await startAccord(config, ctx);
  return {
    ...accord,
    dataDir,
    login: (username, password) => login(accord.url, username, password),
    async stop() {
      await accord.close();
      await store.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A server in a child process (`tsx server/main.ts`), for tests that kill it. */
export interface ChildServer {
  url: string;
  process: ChildProcess;
  output: () => string;
}

/** Spawns `tsx server/main.ts` on `port` with `dataDir`; `output` is what it printed so far. */
function spawnMain(dataDir: string, port: number, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ACCORD_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return { child, output: () => out };
}

/** Spawns `tsx server/main.ts` on `port` with `dataDir` and waits until it listens. */
export async function spawnServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ChildServer> {
  const { child, output } = spawnMain(dataDir, port, env);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return { url, process: child, output };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not start: ${output()}`);
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/**
 * Spawns `tsx server/main.ts` on `dataDir` expecting it to refuse to start: resolves with
 * its exit code and output once it exits; rejects if it starts listening instead.
 */
export async function spawnRefusal(dataDir: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const port = await freePort();
  const { child, output } = spawnMain(dataDir, port, env);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not exit: ${output()}`));
    }, 90_000);
    child.stdout!.on("data", () => {
      if (!output().includes("Accord is running")) return;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`server started instead of refusing: ${output()}`));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output() });
    });
  });
}

/**
 * Vitest global setup of the `postgres` project: starts a PostgreSQL cluster of its own in a
 * temporary folder on a free loopback port (Debian's postgresql package; as the `postgres`
 * user when run as root, which initdb requires), migrates a template database once, and
 * names the cluster in ACCORD_TEST_POSTGRES for the test helpers, which give every test
 * server a fresh database copied from the template (see `freshPostgresDatabase`).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./server.js";
import { openPostgres } from "../../server/store/postgres.js";
import { loadConfig } from "../../server/config.js";
import { createContext } from "../../server/app.js";
import { seedDemo } from "../../server/seed/demo.js";

/** The template every test database is copied from. */
export const TEMPLATE_DATABASE = "accord_template";
/** The template with the demo meeting seeded, which test servers with the demo are copied from. */
export const DEMO_TEMPLATE_DATABASE = "accord_demo_template";

/**
 * Seeds the demo meeting once into DEMO_TEMPLATE_DATABASE (a copy of the migrated
 * template), with its audit key in `<dataDir>-keys`: a test server copies the database and
 * that folder instead of seeding its own, as a server restarted on a seeded store would
 * find them. Seeding is some 1,500 statements, each a round trip to PostgreSQL; copying a
 * database is one. Returns what `startTestServer` needs: the demo's ids and the keys folder.
 */
async function seedDemoTemplate(admin: string, dir: string): Promise<{ demo: unknown; keys: string }> {
  const url = new URL(admin);
  url.pathname = `/${DEMO_TEMPLATE_DATABASE}`;
  execFileSync(join(postgresBin()!, "psql"), [admin, "-qc", `CREATE DATABASE ${DEMO_TEMPLATE_DATABASE} TEMPLATE ${TEMPLATE_DATABASE}`], { stdio: "pipe" });
  const dataDir = join(dir, "demo");
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent", ACCORD_SYNC: "normal", ACCORD_DATABASE_URL: url.toString() });
  const ctx = createContext(config);
  try {
    const demo = await seedDemo(ctx, config.demoPassword);
    ctx.rooms.closeAll();
    return { demo, keys: `${dataDir}-keys` };
  } finally {
    ctx.db.close();
  }
}

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBin(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, "bin") : null;
}

/** Runs a PostgreSQL program, as the `postgres` user when this process is root. */
function asPostgres(program: string, args: string[]): void {
  if (userInfo().uid === 0) execFileSync("runuser", ["-u", "postgres", "--", program, ...args], { stdio: "pipe" });
  else execFileSync(program, args, { stdio: "pipe" });
}

/** A PostgreSQL cluster started here: its admin address, and how to stop it (and delete its folder). */
export interface PostgresCluster {
  admin: string;
  stop(): void;
}

/**
 * Starts a cluster in a new /tmp folder on a free loopback port with the migrated template
 * database. `durable` false (tests) turns fsync off; the bench keeps it on, as in production.
 */
export async function startPostgresCluster({ durable }: { durable: boolean }): Promise<PostgresCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install postgresql): the postgres test project needs it");
  const dir = mkdtempSync(join(tmpdir(), "accord-pg-"));
  chmodSync(dir, 0o755);
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  asPostgres(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  // Test data need not survive a power cut: fsync off makes each test's databases quick to
  // create. Commits still wait for PostgreSQL itself (synchronous_commit stays on).
  const speed = durable ? "" : " -c fsync=off -c full_page_writes=off";
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200${speed}`;
  asPostgres(join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  execFileSync(join(bin, "psql"), [admin, "-qc", `CREATE DATABASE ${TEMPLATE_DATABASE}`], { stdio: "pipe" });
  openPostgres(`postgres://postgres@127.0.0.1:${port}/${TEMPLATE_DATABASE}`).close();
  return {
    admin,
    stop() {
      try {
        asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export default async function setup(): Promise<() => void> {
  const cluster = await startPostgresCluster({ durable: false });
  const dir = mkdtempSync(join(tmpdir(), "accord-pg-demo-"));
  try {
    const seeded = await seedDemoTemplate(cluster.admin, dir);
    process.env.ACCORD_TEST_POSTGRES_DEMO = JSON.stringify(seeded);
  } catch (error) {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  process.env.ACCORD_TEST_POSTGRES = cluster.admin;
  return () => {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

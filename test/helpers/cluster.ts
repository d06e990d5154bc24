import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startCluster, type Cluster } from "../../scripts/cluster/cluster.js";
import { login, type ApiClient } from "./api.js";

/** A cluster for a test file: Redis, `processes` Accord processes and HAProxy, in a fresh /tmp/cluster-* folder. */
export interface TestCluster extends Cluster {
  dataDir: string;
  /** Signs a demo account in through the balancer (or through `url`). */
  login(username: string, url?: string): Promise<ApiClient>;
  /** Stops everything and deletes the folder. */
  stop(): Promise<void>;
}

/**
 * Starts a test cluster (SQLite shared by the processes until the server stores in PostgreSQL).
 * CLUSTER_ECHO=1 prints every service's lines, prefixed with its name, and the processes' logs.
 */
export async function startTestCluster(env: NodeJS.ProcessEnv = {}, processes = 3): Promise<TestCluster> {
  const dataDir = mkdtempSync("/tmp/cluster-test-");
  const port = await freePortRun(6);
  const cluster = await startCluster({
    port,
    host: "127.0.0.1",
    dataDir,
    processes,
    echo: process.env.CLUSTER_ECHO ? "prefix" : "quiet",
    fast: true,
    env: { ACCORD_LOG: process.env.CLUSTER_ECHO ? "info" : "silent", ACCORD_SYNC: "normal", ACCORD_AUDIT_KEY_FILE: join(dataDir, "keys", "audit.key"), ...env },
  });
  return {
    ...cluster,
    dataDir,
    login: (username, url = cluster.url) => login(url, username),
    async stop() {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether a loopback port can be listened on now. */
async function canListen(port: number): Promise<boolean> {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive free loopback ports (the cluster takes PORT to PORT+5),
 * below Linux's ephemeral range (32768 up), where the clients' own outgoing sockets would
 * otherwise take one of them between the check and the process's listen.
 */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    let free = true;
    for (let i = 0; i < count && free; i++) free = await canListen(base + i);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports found between 20000 and 32000`);
}

/** The id of the demo meeting's declaration, asked of the cluster by the secretariat. */
export async function demoDeclaration(cluster: TestCluster): Promise<string> {
  const secretariat = await cluster.login("secretariat");
  const documents = (await secretariat.get(`/api/meetings/${secretariat.user.meetingId}/documents`)).body as Array<{ id: string; kind: string }>;
  return documents.find((d) => d.kind === "declaration")!.id;
}

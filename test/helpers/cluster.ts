import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startCluster, type Cluster } from "../../scripts/cluster/cluster.js";
import { freePort } from "./server.js";
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
  const port = await freePort();
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

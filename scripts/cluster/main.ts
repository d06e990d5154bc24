import { execFileSync } from "node:child_process";
import { startCluster, type Cluster } from "./cluster.js";

/**
 * `npm run cluster`: a real deployment on this machine, on loopback: PostgreSQL (once the
 * server stores in it), Redis, three Accord processes and HAProxy on PORT in front of
 * them. Ctrl-C stops everything, the balancer first and the store last.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT || 8080);
  const processes = Number(process.env.ACCORD_CLUSTER_PROCESSES || 3);
  if (!Number.isInteger(port) || port < 1 || port > 65_000) throw new Error("PORT must be a port number");
  if (!Number.isInteger(processes) || processes < 1 || processes > 16) throw new Error("ACCORD_CLUSTER_PROCESSES must be 1–16");
  execFileSync(process.execPath, ["scripts/build-editor.mjs"], { stdio: "inherit" });
  const cluster: Cluster = await startCluster({
    port,
    host: process.env.HOST || "127.0.0.1",
    dataDir: process.env.ACCORD_DATA_DIR || "./data-cluster",
    processes,
    echo: "prefix",
  });
  console.log(`Accord cluster at ${cluster.url}: ${cluster.processes.map((p) => `${p.name} ${p.url}`).join(", ")}; Redis ${cluster.redisUrl}`);
  console.log(cluster.databaseUrl ? `PostgreSQL ${cluster.databaseUrl}` : "Store: one SQLite file shared by the processes (this build does not store in PostgreSQL yet)");
  console.log("Ctrl-C stops everything.");
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the balancer, the processes, Redis and the store`);
    await cluster.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  // A process that dies on its own is reported; the balancer routes around it.
  for (const p of cluster.processes)
    void p.exited.then((code) => {
      if (!stopping) console.log(`${p.name} exited (${code}); the balancer sends its clients to the others`);
    });
}

main().catch((error) => {
  console.error(`The cluster did not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});

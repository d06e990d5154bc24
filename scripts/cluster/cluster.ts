import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig } from "../../server/config.js";
import { startAccordProcess, startHaproxy, startPostgres, startRedis, type AccordProcess, type Echo, type Service } from "./services.js";

/** Where a cluster listens and keeps its data. */
export interface ClusterOptions {
  /** The balancer's port (the address users open). */
  port: number;
  /** The balancer's interface. */
  host: string;
  /** The cluster's folder: the store (SQLite file or PostgreSQL's cluster), HAProxy's configuration. */
  dataDir: string;
  /** How many Accord processes. */
  processes: number;
  /** Environment given to every Accord process on top of the cluster's own. */
  env?: NodeJS.ProcessEnv;
  /** Print the services' lines prefixed with their names, or keep them. */
  echo: Echo;
  /** Arguments for node before each Accord process's own (the bench's `--cpu-prof`). */
  nodeArgs?: readonly string[];
  /** Whether PostgreSQL runs without fsync (tests, bench). */
  fast?: boolean;
  /** Whether to start PostgreSQL even when this build does not store in it (tests do not). */
  postgres?: boolean;
  /**
   * Fills the store before any Accord process starts (the bench's documents and accounts):
   * given PostgreSQL's address (null: the SQLite file in `dataDir/store`) and that folder.
   */
  prepare?: (databaseUrl: string | null, storeDir: string) => Promise<void>;
}

/** A running cluster: its services, in the order they are stopped. */
export interface Cluster {
  url: string;
  redisUrl: string;
  /** The secret the processes sign their messages and forwarded requests with (ACCORD_CLUSTER_SECRET). */
  clusterSecret: string;
  databaseUrl: string | null;
  processes: AccordProcess[];
  haproxy: Service;
  /** Restarts process `i` (after a kill) with the same name and port. */
  restart(i: number): Promise<AccordProcess>;
  /** Stops everything: the balancer, the Accord processes (each flushes its documents), Redis, PostgreSQL. */
  stop(): Promise<void>;
}

/**
 * Whether this build's server reads ACCORD_DATABASE_URL (the PostgreSQL store): until it
 * does, the processes share one SQLite file in WAL mode, which works across processes on
 * one machine.
 */
export function serverStoresInPostgres(): boolean {
  return "databaseUrl" in loadConfig({});
}

/**
 * Starts PostgreSQL (when the server stores in it), Redis, `processes` Accord processes on
 * the ports after `port` and HAProxy on `port` in front of them. The first process starts
 * alone (it migrates and seeds an empty store); the others join it.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = resolve(options.dataDir);
  // The processes' data folder (their pid records, the SQLite file when there is no PostgreSQL).
  mkdirSync(join(dataDir, "store"), { recursive: true });
  const started: Service[] = [];
  const stopAll = async () => {
    for (const service of [...started].reverse()) await service.stop(service.name === "postgres" ? "SIGINT" : "SIGTERM");
  };
  try {
    const redisPort = options.port + options.processes + 1;
    const pgPort = redisPort + 1;
    let databaseUrl: string | null = null;
    if (options.postgres ?? serverStoresInPostgres()) {
      const pg = await startPostgres(join(dataDir, "postgres"), pgPort, options.echo, options.fast);
      started.push(pg.service);
      databaseUrl = pg.url;
    }
    await options.prepare?.(databaseUrl, join(dataDir, "store"));
    const redis = await startRedis(redisPort, options.echo);
    started.push(redis);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    // The operator's secret when given, else one for this run: the processes start together.
    const clusterSecret = options.env?.ACCORD_CLUSTER_SECRET || process.env.ACCORD_CLUSTER_SECRET || randomBytes(32).toString("hex");
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      ACCORD_CLUSTER_SECRET: clusterSecret,
      ACCORD_DATA_DIR: join(dataDir, "store"),
      ACCORD_REDIS_URL: redisUrl,
      // The balancer is the only proxy: it names the client's address.
      ACCORD_TRUST_PROXY: "loopback",
      ...(databaseUrl ? { ACCORD_DATABASE_URL: databaseUrl } : {}),
    };
    const names = Array.from({ length: options.processes }, (_, i) => ({ name: `accord-${i + 1}`, port: options.port + i + 1 }));
    const processes: AccordProcess[] = [];
    const first = await startAccordProcess(names[0]!.name, names[0]!.port, env, options.echo, options.nodeArgs);
    started.push(first);
    processes.push(first);
    const rest = await Promise.all(names.slice(1).map((n) => startAccordProcess(n.name, n.port, { ...env, ACCORD_SEED: "false" }, options.echo, options.nodeArgs)));
    started.push(...rest);
    processes.push(...rest);
    const haproxy = await startHaproxy(dataDir, options.host, options.port, names, options.echo);
    started.push(haproxy);
    const probe = options.host === "0.0.0.0" ? "127.0.0.1" : options.host;
    return {
      url: `http://${probe}:${options.port}`,
      redisUrl,
      clusterSecret,
      databaseUrl,
      processes,
      haproxy,
      async restart(i) {
        const again = await startAccordProcess(names[i]!.name, names[i]!.port, { ...env, ACCORD_SEED: "false" }, options.echo, options.nodeArgs);
        processes[i] = again;
        started.splice(started.indexOf(haproxy), 0, again);
        return again;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

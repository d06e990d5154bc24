import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { SyncMode } from "./store/db.js";
import { parseTrustProxy, type ProxyTrust } from "./http/proxy.js";

/** Everything the server reads from its environment, with defaults. */
export interface Config {
  /** TCP port (PORT, default 8080; 0 picks a free one). */
  port: number;
  /** Interface to listen on (HOST, default 0.0.0.0). */
  host: string;
  /** Folder of the SQLite file (ACCORD_DATA_DIR, default ./data). */
  dataDir: string;
  /**
   * The PostgreSQL store's address (ACCORD_DATABASE_URL, postgres://…); null: the SQLite file
   * in the data folder, which needs no setup. The data folder still holds the audit key's default place.
   */
  databaseUrl: string | null;
  /** Password of every demo account (ACCORD_DEMO_PASSWORD, default "accord-demo"). */
  demoPassword: string;
  /** Password of the first administrator `admin` on a database without one (ACCORD_ADMIN_PASSWORD; unset: a setup link is printed). */
  adminPassword: string | null;
  /** Seed the demo meeting into an empty database (ACCORD_SEED, default true; "false" to skip). */
  seedDemo: boolean;
  /** SQLite durability (ACCORD_SYNC: "full" default, or "normal"). */
  sync: SyncMode;
  /** Updates in an open document's log before it is compacted (ACCORD_COMPACT_AFTER, default 500), times its snapshot's size in 64 KB when larger. */
  compactAfter: number;
  /** Largest websocket message accepted, bytes (ACCORD_MAX_MESSAGE, default 16 MiB). */
  maxMessageBytes: number;
  /** Largest file accepted by the document import, bytes (ACCORD_MAX_IMPORT, default 20 MiB). */
  maxImportBytes: number;
  /** Largest websocket message from a connection that may not change the text (ACCORD_MAX_READONLY_MESSAGE, default 512 KiB). */
  maxReadOnlyMessageBytes: number;
  /** Open websockets allowed per user (ACCORD_MAX_CONNECTIONS_PER_USER, default 20). */
  maxConnectionsPerUser: number;
  /** API requests allowed per user per minute (ACCORD_REQUESTS_PER_MINUTE, default 1200). */
  requestsPerMinute: number;
  /** Requests one client (session, or address without one) may have waiting for their turn (ACCORD_MAX_REQUESTS_WAITING, default 100). */
  maxRequestsWaitingPerUser: number;
  /** Session lifetime in hours (ACCORD_SESSION_HOURS, default 12). */
  sessionHours: number;
  /** Set the Secure flag on the session cookie even over plain HTTP (ACCORD_SECURE_COOKIES, default false; HTTPS requests always get it). */
  secureCookies: boolean;
  /** Which reverse proxies' X-Forwarded-For and X-Forwarded-Proto are believed (ACCORD_TRUST_PROXY, default none). */
  trustProxy: ProxyTrust;
  /** Wrong passwords for one username within the lockout period that lock it (ACCORD_SIGNIN_FAILURES, default 10). */
  signInFailures: number;
  /** Wrong passwords from one address within the lockout period that lock it (ACCORD_SIGNIN_ADDRESS_FAILURES, default 100). */
  signInAddressFailures: number;
  /** How long a locked username or address is refused, seconds (ACCORD_SIGNIN_LOCKOUT_SECONDS, default 900). */
  signInLockoutSeconds: number;
  /** Extra origins allowed to open websockets and call the API (ACCORD_ALLOWED_ORIGINS, comma-separated). */
  allowedOrigins: string[];
  /** Largest presence state (cursor, name) a client may set, bytes of JSON (ACCORD_MAX_PRESENCE_BYTES, default 8192). */
  maxPresenceBytes: number;
  /** Presence ids one connection may announce, and so states per message (ACCORD_MAX_PRESENCE_STATES, default 4). */
  maxPresenceStates: number;
  /** Presence changes a connection may make per second, with a burst of as many (ACCORD_PRESENCE_PER_SECOND, default 60). */
  presencePerSecond: number;
  /** Largest a document's text may grow, bytes of its Yjs state (ACCORD_MAX_DOCUMENT_BYTES, default 4 MiB). */
  maxDocumentBytes: number;
  /** Most blocks (title and paragraphs) a document may hold (ACCORD_MAX_BLOCKS, default 2000). */
  maxBlocks: number;
  /** Most paragraphs a delegate's single update may delete (ACCORD_MAX_PARAGRAPH_DELETIONS, default 3). */
  maxParagraphDeletions: number;
  /** Log each request and collab event to stdout (ACCORD_LOG, default "info"; "silent" for none). */
  log: "silent" | "info" | "debug";
  /** The key that seals the audit chain's head, given directly (ACCORD_AUDIT_KEY); null: read from `auditKeyFile`. */
  auditKey: string | null;
  /** The audit key's file, generated on first start if absent (ACCORD_AUDIT_KEY_FILE, default `<data folder>-keys/audit.key`). The sealed head is recorded next to it. */
  auditKeyFile: string;
  /** This process's name in a cluster, answered by /healthz and named as a document's owner (ACCORD_PROCESS_NAME, default `<host>-<pid>`). */
  processName: string;
  /** The Redis that joins several processes (ACCORD_REDIS_URL, `redis://…`); null: one process serves everything. */
  redisUrl: string | null;
  /**
   * The secret every process of a cluster shares (ACCORD_CLUSTER_SECRET, at least 32
   * characters; required with ACCORD_REDIS_URL): it signs their messages through Redis and
   * the requests they forward to each other, so that whoever can write to Redis or reach a
   * process's port cannot speak for a process. Null in one process.
   */
  clusterSecret: string | null;
  /** Where the other processes reach this one directly, for requests forwarded to a document's owner (ACCORD_INTERNAL_URL; default `http://127.0.0.1:<port>`). */
  internalUrl: string | null;
  /** How long a document's owner lease lasts unless renewed, ms (ACCORD_LEASE_MS, default 3000): a dead owner's documents are taken over after at most this. */
  leaseMs: number;
}

/** The cluster's variables, checked at the edge: a wrong value stops the start with its name, rather than running half-joined. */
const ClusterEnv = z.object({
  ACCORD_PROCESS_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "letters, digits, '.', '_' or '-', at most 64")
    .optional(),
  ACCORD_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "a redis:// or rediss:// URL")
    .optional(),
  ACCORD_INTERNAL_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+$/, "an http:// origin without a path, e.g. http://127.0.0.1:8081")
    .optional(),
  ACCORD_LEASE_MS: z.coerce.number().int().min(500).max(60_000).optional(),
  ACCORD_CLUSTER_SECRET: z.string().min(32, "at least 32 characters, the same in every process").optional(),
});

/** Reads the cluster's variables (see `ClusterEnv`); throws naming the variable that is wrong. */
function clusterConfig(env: NodeJS.ProcessEnv): Pick<Config, "processName" | "redisUrl" | "internalUrl" | "leaseMs" | "clusterSecret"> {
  const blankless = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("ACCORD_") && v !== ""));
  const parsed = ClusterEnv.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  // Chosen over a secret made at first start and kept in the store: whoever can read the
  // store could then forge messages, and a process could not check a message before it
  // reached the store. Given by the operator, it is never written anywhere by Accord.
  if (e.ACCORD_REDIS_URL !== undefined && e.ACCORD_CLUSTER_SECRET === undefined)
    throw new Error("ACCORD_CLUSTER_SECRET: required with ACCORD_REDIS_URL (at least 32 characters, the same in every process)");
  return {
    processName: e.ACCORD_PROCESS_NAME ?? `${hostname()}-${process.pid}`,
    redisUrl: e.ACCORD_REDIS_URL ?? null,
    internalUrl: e.ACCORD_INTERNAL_URL ?? null,
    leaseMs: e.ACCORD_LEASE_MS ?? 3000,
    clusterSecret: e.ACCORD_REDIS_URL !== undefined ? e.ACCORD_CLUSTER_SECRET! : null,
  };
}

function int(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === "" ? NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Reads the configuration from `env` (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const log = env.ACCORD_LOG === "silent" || env.ACCORD_LOG === "debug" ? env.ACCORD_LOG : "info";
  const dataDir = resolve(env.ACCORD_DATA_DIR || "./data");
  return {
    port: int(env.PORT, 8080),
    host: env.HOST || "0.0.0.0",
    dataDir,
    databaseUrl: /^postgres(ql)?:\/\//.test(env.ACCORD_DATABASE_URL ?? "") ? env.ACCORD_DATABASE_URL! : null,
    demoPassword: env.ACCORD_DEMO_PASSWORD || "accord-demo",
    adminPassword: env.ACCORD_ADMIN_PASSWORD || null,
    seedDemo: env.ACCORD_SEED !== "false",
    sync: env.ACCORD_SYNC === "normal" ? "normal" : "full",
    compactAfter: Math.max(10, int(env.ACCORD_COMPACT_AFTER, 500)),
    maxMessageBytes: Math.max(64 * 1024, int(env.ACCORD_MAX_MESSAGE, 16 * 1024 * 1024)),
    maxImportBytes: Math.max(64 * 1024, int(env.ACCORD_MAX_IMPORT, 20 * 1024 * 1024)),
    maxReadOnlyMessageBytes: Math.max(64 * 1024, int(env.ACCORD_MAX_READONLY_MESSAGE, 512 * 1024)),
    maxConnectionsPerUser: Math.max(1, int(env.ACCORD_MAX_CONNECTIONS_PER_USER, 20)),
    requestsPerMinute: Math.max(10, int(env.ACCORD_REQUESTS_PER_MINUTE, 1200)),
    maxRequestsWaitingPerUser: Math.max(1, int(env.ACCORD_MAX_REQUESTS_WAITING, 100)),
    sessionHours: Math.max(1, int(env.ACCORD_SESSION_HOURS, 12)),
    secureCookies: env.ACCORD_SECURE_COOKIES === "true",
    trustProxy: parseTrustProxy(env.ACCORD_TRUST_PROXY),
    signInFailures: Math.max(1, int(env.ACCORD_SIGNIN_FAILURES, 10)),
    signInAddressFailures: Math.max(1, int(env.ACCORD_SIGNIN_ADDRESS_FAILURES, 100)),
    signInLockoutSeconds: Math.max(1, int(env.ACCORD_SIGNIN_LOCKOUT_SECONDS, 900)),
    allowedOrigins: (env.ACCORD_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    maxPresenceBytes: Math.max(256, int(env.ACCORD_MAX_PRESENCE_BYTES, 8192)),
    maxPresenceStates: Math.max(1, int(env.ACCORD_MAX_PRESENCE_STATES, 4)),
    presencePerSecond: Math.max(1, int(env.ACCORD_PRESENCE_PER_SECOND, 60)),
    maxDocumentBytes: Math.max(64 * 1024, int(env.ACCORD_MAX_DOCUMENT_BYTES, 4 * 1024 * 1024)),
    maxBlocks: Math.max(10, int(env.ACCORD_MAX_BLOCKS, 2000)),
    maxParagraphDeletions: Math.max(1, int(env.ACCORD_MAX_PARAGRAPH_DELETIONS, 3)),
    log,
    auditKey: env.ACCORD_AUDIT_KEY || null,
    auditKeyFile: resolve(env.ACCORD_AUDIT_KEY_FILE || `${dataDir}-keys/audit.key`),
    ...clusterConfig(env),
  };
}

/** Path of the SQLite database file inside the data folder. */
export function databaseFile(config: Pick<Config, "dataDir">): string {
  return join(config.dataDir, "accord.sqlite");
}

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { userInfo } from "node:os";

/** The repository's root (scripts/cluster/.. /..). */
const ROOT = resolve(import.meta.dirname, "..", "..");

/** A child process the cluster started: its name, how to stop it, and what it printed last. */
export interface Service {
  name: string;
  child: ChildProcess;
  /** The last lines it printed (for a failure's explanation). */
  output(): string;
  /** Asks it to stop (`signal`, default SIGTERM) and resolves once it has exited (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** Resolves when it has exited, however. */
  exited: Promise<number | null>;
}

/** How a service's lines are shown: prefixed with its name, or kept quiet (tests, bench). */
export type Echo = "prefix" | "quiet";

/**
 * Spawns a service in its own process group (so that Ctrl-C reaches only the launcher,
 * which stops the services in order: the balancer first, the store last) and keeps its
 * last lines.
 */
export function spawnService(name: string, command: string, args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; cwd?: string; echo: Echo }): Service {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  });
  const lines: string[] = [];
  const take = (data: Buffer) => {
    for (const line of data.toString().split("\n")) {
      if (line === "") continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      if (options.echo === "prefix") console.log(`[${name}] ${line}`);
    }
  };
  child.stdout!.on("data", take);
  child.stderr!.on("data", take);
  const exited = new Promise<number | null>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit(child.exitCode);
    child.once("exit", (code) => resolveExit(code));
    child.once("error", (error) => {
      lines.push(String(error));
      resolveExit(null);
    });
  });
  return {
    name,
    child,
    exited,
    output: () => lines.join("\n"),
    async stop(signal = "SIGTERM", graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Waits until `ready` resolves true, retrying every 100 ms; throws with the service's output after `timeoutMs`. */
export async function waitUntil(service: Service, what: string, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null)
      throw new Error(`${service.name} exited before ${what}:\n${service.output()}`);
    try {
      if (await ready()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${service.name}: no ${what} after ${timeoutMs} ms:\n${service.output()}`);
}

/**
 * What Redis lets a subscriber fall behind by before it disconnects it: hard limit, soft
 * limit, seconds over the soft limit. Redis's default (32 MB, or 8 MB for a minute) is
 * about half a minute of one busy document's deliveries and relayed keystrokes: an Accord
 * process held up that long (a loaded machine) was disconnected, lost what was on the way
 * (relayed edits its owner then never saw, so every later one from those clients was
 * refused) and resubscribed into the same load. A process that is only slow catches up;
 * one that is dead has its connection closed by the kernel.
 */
export const REDIS_PUBSUB_BUFFER_LIMIT = "pubsub 1gb 256mb 120";

/** Starts `redis-server` on loopback `port` without persistence (Redis carries only live messages here), slow subscribers kept (`REDIS_PUBSUB_BUFFER_LIMIT`). */
export async function startRedis(port: number, echo: Echo): Promise<Service> {
  const redis = spawnService(
    "redis",
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--daemonize", "no", "--save", "", "--appendonly", "no", "--client-output-buffer-limit", REDIS_PUBSUB_BUFFER_LIMIT],
    { echo },
  );
  await waitUntil(redis, "answer on its port", async () => redis.output().includes("Ready to accept connections"), 20_000);
  return redis;
}

/** The folder of Debian's PostgreSQL programs (the newest installed), or null. */
export function postgresBin(): string | null {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(base, versions[0]!, "bin") : null;
}

/** The user PostgreSQL runs as: `postgres` when we are root (it refuses to run as root), else ourselves. */
function postgresUser(): { uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return {};
  const id = spawnSync("id", ["-u", "postgres"]).stdout.toString().trim();
  const gid = spawnSync("id", ["-g", "postgres"]).stdout.toString().trim();
  if (!/^\d+$/.test(id) || !/^\d+$/.test(gid)) throw new Error("running as root, PostgreSQL needs the 'postgres' user (apt-get install postgresql creates it)");
  return { uid: Number(id), gid: Number(gid) };
}

/**
 * Starts PostgreSQL on loopback `port` with its cluster in `dir` (created with initdb on
 * first start, as the `postgres` user when run as root) and a database `accord`; resolves
 * with the service and its URL. `fast` turns fsync off (tests and bench on a shared machine).
 */
export async function startPostgres(dir: string, port: number, echo: Echo, fast = false): Promise<{ service: Service; url: string }> {
  const bin = postgresBin();
  if (bin === null) throw new Error("PostgreSQL is not installed (see README: apt-get install postgresql)");
  const owner = postgresUser();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner.uid !== undefined) {
    chownSync(dir, owner.uid, owner.gid!);
    // The postgres user must be able to pass through the cluster's folder (a private temp folder is not).
    const parent = statSync(dirname(dir));
    if ((parent.mode & 0o001) === 0) chmodSync(dirname(dir), (parent.mode & 0o777) | 0o711);
  }
  if (!existsSync(join(dir, "PG_VERSION"))) {
    const init = spawnSync(join(bin, "initdb"), ["-D", dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"], {
      ...owner,
      cwd: dir,
      encoding: "utf8",
    });
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
  }
  const args = ["-D", dir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${dir}`, "-c", "max_connections=200"];
  if (fast) args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const service = spawnService("postgres", join(bin, "postgres"), args, { ...owner, cwd: dir, echo });
  const ready = () => spawnSync(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres"]).status === 0;
  await waitUntil(service, "accept connections", async () => ready(), 60_000);
  const exists = spawnSync(join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'accord'"], {
    encoding: "utf8",
  });
  if (exists.stdout.trim() !== "1") {
    const created = spawnSync(join(bin, "createdb"), ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "accord"], { encoding: "utf8" });
    if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
  }
  return { service, url: `postgres://postgres@127.0.0.1:${port}/accord` };
}

/** One Accord process of the cluster. */
export interface AccordProcess extends Service {
  /** Its own address (not through the balancer). */
  url: string;
  port: number;
}

/**
 * Starts one Accord process (`node --import tsx server/main.ts`, so that its pid is the
 * server's own; `nodeArgs` go to node before them, e.g. `--cpu-prof`) on loopback `port`
 * with `env`, and waits for its /healthz.
 */
export async function startAccordProcess(name: string, port: number, env: NodeJS.ProcessEnv, echo: Echo, nodeArgs: readonly string[] = []): Promise<AccordProcess> {
  const url = `http://127.0.0.1:${port}`;
  const service = spawnService(name, process.execPath, [...nodeArgs, "--import", "tsx", "server/main.ts"], {
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", ACCORD_PROCESS_NAME: name, ACCORD_INTERNAL_URL: url },
    echo,
  });
  await waitUntil(service, "/healthz", async () => (await fetch(`${url}/healthz`)).ok, 120_000);
  return { ...service, url, port };
}

/**
 * HAProxy's configuration for the cluster: one frontend on `port`, the processes behind it
 * (least connections: a websocket is long-lived, so counting them spreads editors evenly),
 * checked on /healthz every 500 ms, every 250 ms once one check failed: a dead process
 * refuses the check's connection at once and is out after three, within a second. A
 * check may take up to 2 s: a process whose event loop is only busy (a loaded machine)
 * answers late but is not a dead one (measured with a 500 ms limit on a loaded machine:
 * every process out in turn, and the balancer answering 503 to everyone). A process taken
 * out gets no new connections, but its open ones stay (no `on-marked-down
 * shutdown-sessions`): a dead process's sockets are closed by the kernel, which HAProxy
 * passes on, so ending sessions only ever ended a busy process's, and under load that was
 * the collapse (one document, 1,600 editors: the owner, held past the check's 2 s, taken
 * out with 521 sessions, every one of their clients reconnecting into the same load).
 * Websocket-friendly timeouts (an idle editor's socket lives as long as its heartbeats); a
 * request to a process that refuses connections is sent to another.
 */
export function haproxyConfig(host: string, port: number, backends: ReadonlyArray<{ name: string; port: number }>): string {
  return [
    "global",
    "  maxconn 8000",
    "defaults",
    "  mode http",
    "  option http-server-close",
    "  option forwardfor",
    "  option redispatch",
    "  retries 3",
    "  timeout connect 2s",
    "  timeout client 1h",
    "  timeout server 1h",
    "  timeout tunnel 1h",
    "  timeout http-request 10s",
    "  timeout client-fin 5s",
    "  timeout check 2s",
    "frontend accord",
    `  bind ${host}:${port}`,
    "  default_backend accord",
    "backend accord",
    "  balance leastconn",
    "  option httpchk GET /healthz",
    "  http-check expect status 200",
    "  default-server inter 500ms fastinter 250ms downinter 500ms fall 3 rise 2",
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`),
    "",
  ].join("\n");
}

/** Starts Debian's HAProxy (`/usr/sbin/haproxy`) in the foreground with the generated configuration written to `dir`. */
export async function startHaproxy(dir: string, host: string, port: number, backends: ReadonlyArray<{ name: string; port: number }>, echo: Echo): Promise<Service> {
  const binary = existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, haproxyConfig(host, port, backends));
  const check = spawnSync(binary, ["-c", "-f", file], { encoding: "utf8" });
  if (check.status !== 0) throw new Error(`haproxy refused ${file}:\n${check.stdout}${check.stderr}`);
  const service = spawnService("haproxy", binary, ["-f", file, "-db"], { echo });
  const probe = host === "0.0.0.0" ? "127.0.0.1" : host;
  await waitUntil(service, "/healthz through the balancer", async () => (await fetch(`http://${probe}:${port}/healthz`)).ok, 20_000);
  return service;
}

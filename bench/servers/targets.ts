import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dialect } from "../load/wire.js";
import { favour } from "../load/proc.js";
import type { AccordData } from "./accord-data.js";

/** The documents a load run can use. */
export type DocKind = "declaration" | "large";

/** Where one run's clients go. */
export interface RunDoc {
  docName: string;
  /** HTTP path of a light client's upgrade. */
  writerPath: string;
  /** What the probes' provider is given as server URL. */
  probeServerUrl: string;
  /** The document pushed by the first probe to a server that has no storage (base64). */
  seed: string | null;
}

/** A server under test, running in its own process. */
export interface Target {
  name: string;
  pid: number;
  port: number;
  dialect: Dialect;
  probeKind: "y-websocket" | "hocuspocus";
  doc(kind: DocKind, run: number): RunDoc;
  writerCookie(i: number): string | null;
  watcherCookie: string | null;
  probeCookie: string | null;
  stop(): Promise<void>;
}

/** The initial documents, the same for every server (base64 Yjs states). */
export interface Seeds {
  declaration: string;
  large: string;
}

const HOST = "127.0.0.1";

async function waitForOutput(child: ChildProcess, text: string, what: string): Promise<void> {
  let out = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d) => (out += d));
    child.once("exit", (code) => reject(new Error(`${what} exited (${code}): ${out}`)));
  });
  child.stdout!.removeAllListeners("data");
  child.stdout!.resume();
  child.stderr!.resume();
}

function stopper(child: ChildProcess, cleanup = () => {}): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };
}

/** A peer server in its own process, fresh document names for each run. */
export async function startPeer(name: "reference" | "hocuspocus", port: number, seeds: Seeds): Promise<Target> {
  const child = spawn(process.execPath, ["--import", "tsx", `bench/servers/${name}.ts`], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForOutput(child, "listening", name);
  favour(child.pid!);
  const hocus = name === "hocuspocus";
  return {
    name: hocus ? "Hocuspocus 4" : "y-websocket-server",
    pid: child.pid!,
    port,
    dialect: hocus ? "hocuspocus" : "y-websocket",
    probeKind: hocus ? "hocuspocus" : "y-websocket",
    doc(kind, run) {
      const docName = `bench-${kind}-${run}`;
      return {
        docName,
        writerPath: hocus ? `/${docName}` : `/${docName}`,
        probeServerUrl: `ws://${HOST}:${port}`,
        seed: seeds[kind],
      };
    },
    writerCookie: () => null,
    watcherCookie: null,
    probeCookie: null,
    stop: stopper(child),
  };
}

/** Signs in and returns the session cookie. */
export async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  return cookie;
}

/**
 * Accord as `npm start` runs it (`tsx server/main.ts`, default durability), on a data folder
 * prepared by the bench, with the per-user connection limit raised: the 35 delegates'
 * sessions are shared by all editors, the observer's by all watchers and probes.
 */
export async function startAccord(
  port: number,
  dataDir: string,
  data: AccordData,
  env: Record<string, string> = {},
  name = "Accord",
): Promise<Target & { baseUrl: string }> {
  // BENCH_PROFILE=<dir> writes a CPU profile of the server there when it stops;
  // BENCH_SERVER_ARGS adds Node flags (e.g. "--trace-gc", "--inspect=127.0.0.1:9239").
  const profile = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const extra = process.env.BENCH_SERVER_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...profile, ...extra, "--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST,
      ACCORD_DATA_DIR: dataDir,
      ACCORD_MAX_CONNECTIONS_PER_USER: "100000",
      ACCORD_LOG: "silent",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForOutput(child, "Accord is running", "Accord");
  favour(child.pid!);
  // BENCH_SERVER_LOG=<file> keeps what the server prints (a --trace-gc, say).
  if (process.env.BENCH_SERVER_LOG) {
    const log = createWriteStream(process.env.BENCH_SERVER_LOG);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
  }
  if (env.ACCORD_LOG === "debug") child.stdout!.on("data", (d: Buffer) => process.stderr.write(d.toString().split("\n").filter((l) => l.includes("refused")).map((l) => l + "\n").join("")));
  const baseUrl = `http://${HOST}:${port}`;
  const delegates = await Promise.all(data.delegates.map((u) => signIn(baseUrl, u, data.password)));
  const observer = await signIn(baseUrl, data.observer, data.password);
  return {
    name,
    pid: child.pid!,
    port,
    baseUrl,
    dialect: "y-websocket",
    probeKind: "y-websocket",
    doc(kind, run) {
      const id = kind === "large" ? data.large : data.declarations[run % data.declarations.length]!;
      return { docName: id, writerPath: `/collab/${id}`, probeServerUrl: `ws://${HOST}:${port}/collab`, seed: null };
    },
    writerCookie: (i) => delegates[i % delegates.length]!,
    watcherCookie: observer,
    probeCookie: observer,
    stop: stopper(child),
  };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

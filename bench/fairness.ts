/**
 * Fairness under load: while 200 keep-alive clients of one user hammer the API as fast as
 * the server answers, how long does a newcomer wait? Probes from new connections:
 * `GET /healthz`, a sign-in of another user, and another user's API read. Prints each
 * probe's median, p95 and max, and what the flood got (answers per second, by status).
 * Loopback only, bounded in time. Run: npx tsx bench/fairness.ts [--seconds=20] [--clients=200] [--rpm=1000000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "node:http";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { freePort, spawnServer } from "../test/helpers/server.js";
import { login } from "../test/helpers/api.js";
import { cpuSeconds, favour, favourSession } from "./load/proc.js";
import { percentile } from "./load/stats.js";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const SECONDS = Math.min(arg("seconds", 20), 120);
const CLIENTS = Math.min(arg("clients", 200), 1000);
const PROBE_EVERY_MS = 250;

/** One HTTP request; resolves with status and elapsed ms. */
function call(url: string, method: string, path: string, options: { agent: Agent | false; cookie?: string; body?: string }): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = {};
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body) Object.assign(headers, { "content-type": "application/json", "content-length": Buffer.byteLength(options.body) });
    const req = request(`${url}${path}`, { method, agent: options.agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
    });
    req.setTimeout(60_000, () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(options.body);
  });
}

// The flood runs in a child process of its own, so that its work never delays the probes' clocks.
if (process.argv.includes("--flood")) {
  const [url, cookie, pathsJson] = process.argv.slice(process.argv.indexOf("--flood") + 1) as [string, string, string];
  const paths = JSON.parse(pathsJson) as string[];
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const statuses: Record<number, number> = {};
  let running = true;
  // Report at once when told to stop: answers still on their way would only delay the figures.
  process.on("message", () => {
    running = false;
    process.send!(statuses, () => process.exit(0));
  });
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      let n = i;
      while (running) {
        const r = await call(url, "GET", paths[n++ % paths.length]!, { agent, cookie });
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
    }),
  );
} else {
const dataDir = mkdtempSync(join(tmpdir(), "accord-bench-fairness-"));
const port = await freePort();
// --rpm raises the per-user request limit, so the flood is served rather than refused: the harder case.
const RPM = arg("rpm", 0);
const server = await spawnServer(dataDir, port, { ACCORD_LOG: "silent", ACCORD_SYNC: "full", ...(RPM ? { ACCORD_REQUESTS_PER_MINUTE: String(RPM) } : {}) });
const url = server.url;
// Others' tests share this machine: the server and the probes are raised above them for the run (the flood is not).
const unfavour = favourSession();
favour(server.process.pid!);
favour(process.pid);
const stop = () => {
  unfavour?.();
  server.process.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
};
process.on("exit", stop);

const flooder = await login(url, "arg.delegate");
const other = await login(url, "bra.delegate");
const meeting = flooder.user.meetingId;
const docs = (await flooder.get(`/api/meetings/${meeting}/documents`)).body as Array<{ id: string }>;
const declaration = docs[0]!.id;
// What a busy client reads: lists, the text, the register, the trail.
const paths = [
  `/api/meetings/${meeting}/documents`,
  `/api/documents/${declaration}/content`,
  `/api/documents/${declaration}/amendments`,
  `/api/documents/${declaration}/brackets`,
  `/api/meetings/${meeting}/audit?limit=200`,
  `/api/documents/${declaration}`,
];

const cpu0 = cpuSeconds(server.process.pid!);
const t0 = performance.now();
const flood = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), "--flood", url, flooder.cookie, JSON.stringify(paths)], {
  execArgv: ["--import", "tsx"],
});
const floodDone = new Promise<Record<number, number>>((resolve) => flood.once("message", (m) => resolve(m as Record<number, number>)));

const probes = { healthz: [] as number[], signIn: [] as number[], otherUser: [] as number[] };
// When each slow /healthz probe was sent (s since the flood began), to tell a warm-up or a stall of the machine from a steady state.
const slow: string[] = [];
const signInBody = JSON.stringify({ username: "bra.delegate", password: "accord-demo" });
let probeCount = 0;
const probing = (async () => {
  await new Promise((r) => setTimeout(r, 1000)); // let the flood build up
  while (performance.now() - t0 < SECONDS * 1000) {
    const which = probeCount++ % 4;
    if (which === 3) void call(url, "POST", "/api/session", { agent: false, body: signInBody }).then((r) => probes.signIn.push(r.ms));
    else if (which === 2) void call(url, "GET", `/api/documents/${declaration}`, { agent: false, cookie: other.cookie }).then((r) => probes.otherUser.push(r.ms));
    else {
      const at = (performance.now() - t0) / 1000;
      void call(url, "GET", "/healthz", { agent: false }).then((r) => {
        probes.healthz.push(r.ms);
        if (r.ms > 100) slow.push(`${at.toFixed(1)} s: ${r.ms.toFixed(0)} ms`);
      });
    }
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
})();
await probing;
flood.send("stop");
const statuses = await Promise.race([floodDone, new Promise<Record<number, number>>((r) => setTimeout(() => r({}), 20_000))]);
flood.kill();
const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds(server.process.pid!) - cpu0;

const line = (name: string, samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return `${name.padEnd(28)} no answers`;
  return `${name.padEnd(28)} n=${String(s.length).padStart(3)}  median ${percentile(s, 50).toFixed(1).padStart(8)} ms  p95 ${percentile(s, 95).toFixed(1).padStart(8)} ms  max ${s.at(-1)!.toFixed(1).padStart(8)} ms`;
};
console.log(`fairness: ${CLIENTS} keep-alive clients of one user (arg.delegate) hammering ${paths.length} API reads for ${SECONDS} s; ${RPM ? `limit ${RPM}` : "default limit of"} requests per minute`);
console.log(line("GET /healthz (new conn)", probes.healthz));
console.log(line("POST /api/session (new)", probes.signIn));
if (slow.length) console.log(`  /healthz over 100 ms, sent at: ${slow.join(", ")}`);
console.log(line("other user's GET (new)", probes.otherUser));
console.log(
  `flood: ${(answered / wall).toFixed(0)} answers/s; ${Object.entries(statuses).map(([s, n]) => `${s}: ${n}`).join(", ")}; server CPU ${cpu.toFixed(1)} s in ${wall.toFixed(1)} s wall`,
);
process.exit(0);
}

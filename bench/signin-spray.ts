/**
 * Sign-in under a username spray: 10,000 sign-ins with made-up usernames (from one
 * address, or `--addresses=N` of them), while legitimate users sign in: people who have
 * signed in before in that browser (device cookie) from the sprayer's own address (a
 * conference venue's single public address), and people signing in for the first time
 * from another address. Prints their answer times and outcomes, what the spray got, and
 * how long a wrong password takes for a known and an unknown username on a quiet server.
 * Loopback only (127.0.0.0/8), bounded: at most 10,000 spray requests and 45 s (a refused
 * sprayer is answered after a second, four at a time per address, so one address gets far
 * fewer in: that is the defence).
 * Run: npx tsx bench/signin-spray.ts [--spray=10000] [--addresses=1] [--concurrency=100]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { freePort, spawnServer } from "../test/helpers/server.js";
import { cpuSeconds, favour, favourSession } from "./load/proc.js";
import { percentile } from "./load/stats.js";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const SPRAY = Math.min(arg("spray", 10_000), 10_000);
const ADDRESSES = Math.min(Math.max(1, arg("addresses", 1)), 250);
const CONCURRENCY = Math.min(arg("concurrency", 100), 500);
const MAX_SECONDS = 45;
const PASSWORD = "accord-demo";

const dataDir = mkdtempSync(join(tmpdir(), "accord-bench-spray-"));
const server = await spawnServer(dataDir, await freePort(), { ACCORD_LOG: "silent" });
const unfavour = favourSession();
favour(server.process.pid!);
favour(process.pid);
process.on("exit", () => {
  unfavour?.();
  server.process.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  ms: number;
  device?: string;
}

const agents = new Map<string, Agent>();
function signIn(username: string, password: string, localAddress: string, cookie?: string): Promise<Answer> {
  let agent = agents.get(localAddress);
  if (!agent) agents.set(localAddress, (agent = new Agent({ keepAlive: true, localAddress, maxSockets: CONCURRENCY })));
  const body = JSON.stringify({ username, password });
  const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
  if (cookie) headers.cookie = cookie;
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = request(`${server.url}/api/session`, { method: "POST", agent, headers }, (res) => {
      res.resume();
      const device = (res.headers["set-cookie"] ?? []).find((c) => c.startsWith("accord_device="))?.split(";")[0];
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, device }));
    });
    req.setTimeout(60_000, () => req.destroy());
    req.on("error", () => resolve({ status: 0, ms: performance.now() - t0 }));
    req.end(body);
  });
}

const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return s.length ? `median ${percentile(s, 50).toFixed(0)} ms, p95 ${percentile(s, 95).toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms (n=${s.length})` : "no samples";
};

// 1. A quiet server: a wrong password for known and unknown usernames, one at a time.
const delegations = ["arg", "bra", "can", "chl", "col", "cri", "dom", "ecu", "slv", "gtm", "hnd", "jam", "mex", "nic", "pan", "pry", "per", "ury", "usa", "ven"];
const knownMs: number[] = [];
const unknownMs: number[] = [];
for (let i = 0; i < delegations.length; i++) {
  knownMs.push((await signIn(`${delegations[i]}.minister`, "wrong", `127.0.2.${i + 1}`)).ms);
  unknownMs.push((await signIn(`nobody-${i}.minister`, "wrong", `127.0.2.${i + 101}`)).ms);
}
console.log(`quiet server, wrong password: known username ${summary(knownMs)}; unknown ${summary(unknownMs)}`);

// 2. The legitimate users: the delegates have signed in at the venue before.
const venue = "127.0.0.1";
const devices = new Map<string, string>();
for (const d of delegations) {
  const a = await signIn(`${d}.delegate`, PASSWORD, venue);
  if (a.status !== 200 || !a.device) throw new Error(`${d}.delegate could not sign in before the spray: ${a.status}`);
  devices.set(`${d}.delegate`, a.device);
}

// 3. The spray, from the venue's address (and more with --addresses).
const sprayStatuses: Record<number, number> = {};
let sent = 0;
let sprayDone = false;
const cpu0 = cpuSeconds(server.process.pid!);
const t0 = performance.now();
const sprayers = Array.from({ length: CONCURRENCY }, async (_, w) => {
  while (sent < SPRAY && performance.now() - t0 < MAX_SECONDS * 1000) {
    const n = sent++;
    const address = ADDRESSES === 1 ? venue : `127.0.${10 + Math.floor((n % ADDRESSES) / 250)}.${(n % ADDRESSES) % 250 + 1}`;
    const a = await signIn(`spray-${n}-${w}`, `guess-${n}`, address);
    sprayStatuses[a.status] = (sprayStatuses[a.status] ?? 0) + 1;
  }
});
void Promise.all(sprayers).then(() => (sprayDone = true));

// 4. Meanwhile, every 500 ms a legitimate sign-in: a delegate from the venue (device
//    cookie), or a minister signing in for the first time from elsewhere.
const withDevice: Answer[] = [];
const firstTime: Answer[] = [];
let k = 0;
await new Promise((r) => setTimeout(r, 1000));
const pending: Array<Promise<unknown>> = [];
while (!sprayDone && performance.now() - t0 < MAX_SECONDS * 1000) {
  const d = delegations[k % delegations.length]!;
  if (k % 2 === 0) pending.push(signIn(`${d}.delegate`, PASSWORD, venue, devices.get(`${d}.delegate`)).then((a) => withDevice.push(a)));
  else pending.push(signIn(`${d}.minister`, PASSWORD, "127.0.0.9").then((a) => firstTime.push(a)));
  k += 1;
  await new Promise((r) => setTimeout(r, 500));
}
await Promise.all(pending);
const wall = (performance.now() - t0) / 1000;
const cpu = cpuSeconds(server.process.pid!) - cpu0;

const ok = (as: Answer[]) => `${as.filter((a) => a.status === 200).length}/${as.length} signed in`;
console.log(`spray: ${sent} sign-ins with made-up usernames from ${ADDRESSES} address(es), ${CONCURRENCY} at a time, in ${wall.toFixed(1)} s; answers ${Object.entries(sprayStatuses).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
console.log(`delegates at the venue (device cookie): ${ok(withDevice)}; ${summary(withDevice.map((a) => a.ms))}`);
console.log(`ministers, first time, other address:   ${ok(firstTime)}; ${summary(firstTime.map((a) => a.ms))}`);
console.log(`server CPU ${cpu.toFixed(1)} s in ${wall.toFixed(1)} s wall (the machine is shared: see uptime's load)`);
for (const a of agents.values()) a.destroy();
process.exit(0);

/**
 * `npx tsx bench/faults.ts`: what faults and floods cost the others, on Accord alone.
 *
 * 1. A damaged document opened 100 times (stock clients, one after another) while
 *    `EDITORS` editors type on another document: the server must stay up throughout
 *    (`/healthz` polled every 100 ms) and the editors' latency (send → arrival at a stock
 *    probe) must not move: p50 and p99 before and during are printed side by side.
 * 2. A presence flood from the observer: 20 connections, each sending oversized (just under
 *    the websocket limit) and forged presence as fast as the socket takes it for 10 s, plus
 *    a legitimate stock client: the server's resident memory before, at its peak and after
 *    (limit: under 20 MiB of growth), and what the flood made the server send to a bystander.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import WebSocket from "ws";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { WebsocketProvider } from "y-websocket";
import { now } from "./load/clock.js";
import { cpuSeconds, rssMiB } from "./load/proc.js";
import { percentile } from "./load/stats.js";
import { signIn, tempDir } from "./servers/targets.js";

const HOST = "127.0.0.1";
const EDITORS = 10;
const TYPE_EVERY_MS = 100;
const PHASE_MS = 8000;

function cookieWs(cookie: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  } as unknown as typeof WebSocket;
}

async function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return;
  await new Promise<void>((resolve) => provider.on("sync", (s: boolean) => s && resolve()));
}

const paragraphText = (doc: Y.Doc, index: number) => (doc.getXmlFragment("prosemirror").get(index) as Y.XmlElement).get(0) as Y.XmlText;

/** Editors typing one character each every TYPE_EVERY_MS into their own paragraph; a probe times arrivals. */
async function typing(url: string, docId: string, cookies: string[], probeCookie: string) {
  const wsUrl = url.replace(/^http/, "ws") + "/collab";
  const make = (cookie: string) => {
    const doc = new Y.Doc();
    return { doc, provider: new WebsocketProvider(wsUrl, docId, doc, { WebSocketPolyfill: cookieWs(cookie) as never, disableBc: true }) };
  };
  const editors = cookies.map(make);
  const probe = make(probeCookie);
  await Promise.all([...editors, probe].map((e) => synced(e.provider)));
  // Editor i types into paragraph 1 + i; sent[i][length] is when that length was reached.
  const sent = editors.map(() => new Map<number, number>());
  const arrived = editors.map((_, i) => paragraphText(probe.doc, 1 + i).length);
  let samples: number[] = [];
  probe.doc.on("update", () => {
    const t = now();
    editors.forEach((_, i) => {
      const length = paragraphText(probe.doc, 1 + i).length;
      for (let l = arrived[i]! + 1; l <= length; l++) {
        const at = sent[i]!.get(l);
        if (at !== undefined) samples.push(t - at);
      }
      arrived[i] = Math.max(arrived[i]!, length);
    });
  });
  const timer = setInterval(() => {
    editors.forEach((e, i) => {
      const text = paragraphText(e.doc, 1 + i);
      text.insert(text.length, "x");
      sent[i]!.set(text.length, now());
    });
  }, TYPE_EVERY_MS);
  return {
    take(): number[] {
      const taken = samples.sort((a, b) => a - b);
      samples = [];
      return taken;
    },
    stop() {
      clearInterval(timer);
      for (const e of [...editors, probe]) (e.provider.destroy(), e.doc.destroy());
    },
  };
}

/** Opens `docId` with a stock client and resolves with how it was closed (code), or "synced". */
async function openOnce(url: string, docId: string, cookie: string): Promise<string> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url.replace(/^http/, "ws") + "/collab", docId, doc, { WebSocketPolyfill: cookieWs(cookie) as never, disableBc: true });
  const outcome = await new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve("no answer in 5 s"), 5000);
    provider.once("closed", (e: { code: number }) => (clearTimeout(timer), resolve(String(e.code))));
    provider.on("sync", (s: boolean) => s && (clearTimeout(timer), resolve("synced")));
  });
  provider.destroy();
  doc.destroy();
  return outcome;
}

/** An awareness message with one state per entry. */
function presence(states: Array<[number, number, string]>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, states.length);
  for (const [client, clock, json] of states) {
    encoding.writeVarUint(inner, client);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, json);
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

async function main(): Promise<void> {
  const dir = tempDir("accord-faults-");
  const port = 19_700 + Math.floor(Math.random() * 200);
  const url = `http://${HOST}:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { ...process.env, PORT: String(port), HOST, ACCORD_DATA_DIR: dir.path, ACCORD_LOG: "silent", ACCORD_MAX_CONNECTIONS_PER_USER: "1000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let exited: number | null = null;
  child.on("exit", (code) => (exited = code ?? -1));
  child.stderr!.on("data", () => {}); // the server reports the quarantine there
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => ((out += d), out.includes("Accord is running") && resolve()));
    setTimeout(() => reject(new Error(`Accord did not start: ${out}`)), 60_000);
  });
  try {
    const delegates = await Promise.all(["arg", "bra", "chl", "col", "mex", "per", "ury", "usa", "can", "ecu"].slice(0, EDITORS).map((c) => signIn(url, `${c}.delegate`, "accord-demo")));
    const observer = await signIn(url, "observer", "accord-demo");
    const meetings = (await (await fetch(`${url}/api/meetings`, { headers: { cookie: observer } })).json()) as Array<{ id: string }>;
    const docs = (await (await fetch(`${url}/api/meetings/${meetings[0]!.id}/documents`, { headers: { cookie: observer } })).json()) as Array<{ id: string; kind: string; symbol: string }>;
    const declaration = docs.find((d) => d.kind === "declaration")!.id;
    const damaged = docs.filter((d) => d.kind !== "declaration").at(-1)!.id;

    // 1. The damaged document.
    const db = new Database(join(dir.path, "accord.sqlite"));
    db.prepare("UPDATE document_snapshots SET state = ? WHERE document_id = ?").run(randomBytes(4096), damaged);
    db.close();
    let healthFailures = 0;
    let healthChecks = 0;
    const health = setInterval(() => {
      healthChecks += 1;
      fetch(`${url}/healthz`).then((r) => r.ok || healthFailures++, () => healthFailures++);
    }, 100);
    const editors = await typing(url, declaration, delegates, observer);
    await new Promise((r) => setTimeout(r, 2000));
    editors.take();
    const cpuBefore = cpuSeconds(child.pid!);
    await new Promise((r) => setTimeout(r, PHASE_MS));
    const before = editors.take();
    const cpu0 = cpuSeconds(child.pid!);
    const typingCpuPerSecond = (cpu0 - cpuBefore) / (PHASE_MS / 1000);
    const outcomes = new Map<string, number>();
    const t0 = now();
    for (let i = 0; i < 100; i++) {
      const outcome = await openOnce(url, damaged, delegates[i % delegates.length]!);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const openSeconds = (now() - t0) / 1000;
    const during = editors.take();
    const openCpu = cpuSeconds(child.pid!) - cpu0;
    editors.stop();
    clearInterval(health);
    const line = (label: string, s: number[]) =>
      `  ${label.padEnd(36)} ${String(s.length).padStart(5)} updates   p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(s, 99).toFixed(1).padStart(6)} ms`;
    console.log(`A damaged document opened 100 times, one after another, while ${EDITORS} editors type on another document:`);
    console.log(
      `  server CPU: ${(typingCpuPerSecond * 1000).toFixed(0)} ms a second for the typing alone, ${((openCpu / openSeconds) * 1000).toFixed(0)} ms a second during the ${openSeconds.toFixed(1)} s of opens`,
    );
    console.log(line(`editors before (${PHASE_MS / 1000} s)`, before));
    console.log(line("editors during the 100 opens", during));
    console.log(`  outcomes of the opens: ${[...outcomes].map(([k, v]) => `${k} ×${v}`).join(", ")}`);
    console.log(`  server up throughout: ${exited === null && healthFailures === 0 ? "yes" : "NO"} (${healthChecks} health checks, ${healthFailures} failed)`);

    // 2. The presence flood.
    const bystander = new WebSocket(`${url.replace(/^http/, "ws")}/collab/${declaration}`, { headers: { cookie: delegates[0]! } });
    let bystanderBytes = 0;
    bystander.on("message", (d: Buffer) => (bystanderBytes += d.length));
    await new Promise((r) => bystander.once("open", r));
    await new Promise((r) => setTimeout(r, 1000));
    global.gc?.();
    const rssBefore = rssMiB(child.pid!);
    const blob = JSON.stringify({ cursor: null, pad: "x".repeat(15 * 1024 * 1024) });
    const big = presence([[1, 1, blob]]);
    // The flooder reconnects every socket the server closes, as an attacker would.
    let reconnects = 0;
    const connect = () => {
      const ws = new WebSocket(`${url.replace(/^http/, "ws")}/collab/${declaration}`, { headers: { cookie: observer } });
      ws.on("error", () => {});
      return ws;
    };
    const sockets = Array.from({ length: 20 }, (_, i) => ({ ws: connect(), id: 1_000_000 + i }));
    await Promise.all(sockets.map((s) => new Promise((r) => s.ws.once("open", r))));
    let sent = 0;
    let sentBytes = 0;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(child.pid!))), 50);
    const bystanderAtStart = bystanderBytes;
    const until = now() + 10_000;
    let clock = 1;
    while (now() < until) {
      for (const socket of sockets) {
        if (socket.ws.readyState === WebSocket.CLOSED) {
          socket.ws = connect();
          reconnects += 1;
        }
        const { ws, id } = socket;
        if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > 32 * 1024 * 1024) continue;
        clock += 1;
        // Alternately: oversized, many small forged states, and a flood of small own changes.
        const message = clock % 3 === 0 ? big : clock % 3 === 1 ? presence(Array.from({ length: 200 }, (_, k) => [k + 1, clock, "{}"])) : presence([[id, clock, JSON.stringify({ cursor: clock })]]);
        ws.send(message);
        sent += 1;
        sentBytes += message.length;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    clearInterval(sampler);
    for (const { ws } of sockets) ws.terminate();
    await new Promise((r) => setTimeout(r, 2000));
    const rssAfter = rssMiB(child.pid!);
    console.log(`A presence flood from the observer: 20 connections, ${sent} messages (${(sentBytes / 1024 / 1024).toFixed(0)} MiB) in 10 s:`);
    console.log(`  server memory: ${rssBefore.toFixed(0)} MiB before, ${peak.toFixed(0)} MiB at the peak (+${(peak - rssBefore).toFixed(1)} MiB), ${rssAfter.toFixed(0)} MiB 2 s after`);
    console.log(`  sent to a bystander on the document meanwhile: ${((bystanderBytes - bystanderAtStart) / 1024).toFixed(1)} KiB`);
    console.log(`  the server closed flooding sockets ${reconnects} times (oversized: 1009; 50 refusals: 4422); the flooder reconnected each`);
    console.log(`  server up: ${exited === null ? "yes" : "NO"}`);
    bystander.close();
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    if (child.exitCode === null) child.kill("SIGKILL");
    dir.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

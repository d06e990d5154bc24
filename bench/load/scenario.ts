import { fork, type ChildProcess, type ForkOptions } from "node:child_process";
import { EventEmitter } from "node:events";
import { randomInt } from "node:crypto";
import { availableParallelism } from "node:os";
import { now } from "./clock.js";
import { placeWriters } from "./anchors.js";
import type { FromProbes, FromWriters, ProbesConfig, ToProbes, ToWriters, WriterSpec } from "./messages.js";
import { cpuSeconds, deprioritise, favour, machineTicks, rssMiB } from "./proc.js";
import { percentile } from "./stats.js";
import type { DocKind, Target } from "../servers/targets.js";

/** One load run: how many editors and watchers, on which document, for how long. */
export interface LoadOptions {
  editors: number;
  watchers: number;
  /** Updates (and cursor moves) per second per editor. */
  rate: number;
  doc: DocKind;
  warmupMs: number;
  measureMs: number;
  /** Full stock clients that time every update. */
  probes: number;
  /** Open the document with one more stock client halfway through the measurement. */
  lateJoin?: boolean;
  /** Run number, so peers get a fresh document each time. */
  run: number;
  /**
   * The writers and the probes in one generator process, sharing one event loop (and one
   * priority), instead of probes favoured in a process of their own and writers below them.
   */
  oneProcess?: boolean;
  /** Documents typed in at once (default 1): editor i types in document i mod `documents`, watched by `probes` probes of its own. */
  documents?: number;
  /** Writers reconnect and re-send as the stock client does (see `WritersConfig.resend`). */
  resend?: boolean;
  /**
   * Started as the measurement begins: something done to the servers (an owner killed);
   * resolves with when it happened (`now()`), from which `LoadResult.recovery` is measured.
   */
  during?: () => Promise<number>;
}

/** After `LoadOptions.during`: how long until every writer's edits were accepted again. */
export interface Recovery {
  /** From the event until the last writer's first update sent after it reached every probe, ms (Infinity: some never did). */
  ms: number;
  /** Writers whose first update after the event never reached every probe. */
  unrecovered: number;
  /** The median writer's time, ms. */
  medianMs: number;
  /**
   * The writers whose socket closed after the event (they were on the process that went
   * away, and reconnected): how many, and the worst and median of their times, ms.
   */
  reconnected: { count: number; ms: number; medianMs: number };
}

/** What one load run measured. */
export interface LoadResult {
  server: string;
  editors: number;
  watchers: number;
  /** What else this run had: watchers, the 1 MB document and its late joiner. */
  label: string;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Updates per second that reached each probe during the measurement. */
  deliveredPerSec: number;
  /** Updates per second the writers sent during the measurement. */
  sentPerSec: number;
  /** Cores the server process used during the measurement. */
  serverCores: number;
  serverRssMiB: number;
  /** Cores the load generator's processes used (writers + probes). */
  generatorCores: number;
  /** Of which the probes' process (full clients). */
  probeCores: number;
  /** Cores the whole machine was busy (everything, others' tests included). */
  machineCores: number;
  /** Cores the host took from this virtual machine for others (steal time). */
  stolenCores: number;
  /** Sent updates that never reached some probe. */
  lost: number;
  /** Client sockets the server closed (a client that fell too far behind is dropped). */
  dropped: number;
  /** Every probe has every update and the same text. */
  converged: boolean;
  /** Late joiner: its time to synced, and the others' p99 before and right after it joined. */
  join?: { ms: number; bytes: number; p99Before: number; p99After: number };
  recovery?: Recovery;
}

/**
 * For each writer, its first update sent at or after `at`, and when it had reached every
 * probe: the worst and the median writer, from `at`.
 */
function recoveryAfter(at: number, sent: Record<string, number[]>, arrivals: Array<Record<string, Array<number | null>>>, closedAt: Record<string, number>): Recovery {
  const times: number[] = [];
  const reconnected: number[] = [];
  let unrecovered = 0;
  for (const [client, sends] of Object.entries(sent)) {
    const k = sends.findIndex((s) => s >= at);
    if (k < 0) continue;
    let reached = -Infinity;
    for (const a of arrivals) {
      const t = a[client]?.[k];
      reached = typeof t === "number" ? Math.max(reached, t) : Infinity;
    }
    if (reached === Infinity) unrecovered += 1;
    times.push(reached - at);
    if ((closedAt[client] ?? -Infinity) >= at) reconnected.push(reached - at);
  }
  times.sort((a, b) => a - b);
  reconnected.sort((a, b) => a - b);
  return {
    ms: times.length > 0 ? times[times.length - 1]! : NaN,
    unrecovered,
    medianMs: percentile(times, 50),
    reconnected: { count: reconnected.length, ms: reconnected[reconnected.length - 1] ?? NaN, medianMs: percentile(reconnected, 50) },
  };
}

// BENCH_PROFILE_GENERATOR=<dir> writes CPU profiles of the generator processes there.
const PROFILE = process.env.BENCH_PROFILE_GENERATOR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_GENERATOR}`] : [];
const CHILD_ARGS: ForkOptions = { execArgv: [...PROFILE, "--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] };

/** What the runner needs of a generator process: the child itself, or one role in a shared one. */
type Peer = Pick<ChildProcess, "send" | "on" | "off" | "once" | "pid" | "connected" | "exitCode">;

/**
 * One role (writers or probes) of a generator process that plays both (`generator.ts`):
 * messages to it are tagged with the role, and only that role's answers come back.
 */
class RolePeer extends EventEmitter {
  constructor(
    private readonly child: ChildProcess,
    private readonly role: "writers" | "probes",
  ) {
    super();
    child.on("message", (m: { role: string; message: unknown }) => {
      if (m.role === role) this.emit("message", m.message);
    });
    child.once("exit", (code) => this.emit("exit", code));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get connected(): boolean {
    return this.child.connected;
  }

  get exitCode(): number | null {
    return this.child.exitCode;
  }

  send(message: unknown): boolean {
    return this.child.send({ role: this.role, message });
  }
}

function nextMessage<T>(child: Peer, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${type}"`)), timeoutMs);
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(m as T);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before "${type}"`)));
  });
}

/**
 * Worst latency per 250 ms of send time over the measurement, printed with BENCH_DEBUG set:
 * shows whether a tail comes from one stall or from everywhere.
 */
function timeline(sent: Record<string, number[]>, arrivals: Array<Record<string, Array<number | null>>>, from: number, to: number): string {
  const buckets = new Array<number>(Math.ceil((to - from) / 250)).fill(0);
  for (const [client, times] of Object.entries(sent))
    times.forEach((s, k) => {
      if (s < from || s >= to) return;
      const i = Math.floor((s - from) / 250);
      for (const a of arrivals) {
        const at = a[client]?.[k];
        if (typeof at === "number") buckets[i] = Math.max(buckets[i]!, at - s);
      }
    });
  return "worst per 250 ms: " + buckets.map((b) => b.toFixed(1)).join(" ");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until the machine is nearly idle (under a fifth of a core busy for a quarter of a
 * second), at most `maxMs`: a server still working off the previous row's backlog, or a
 * process still exiting, would otherwise be measured as part of this row.
 */
async function settle(maxMs = 15_000): Promise<void> {
  const deadline = now() + maxMs;
  let before = machineTicks();
  while (now() < deadline) {
    await sleep(250);
    const after = machineTicks();
    const cores = ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * availableParallelism();
    if (cores < 0.2) return;
    before = after;
  }
}

/** Unreported runs each server gets after it starts (see `warmUp`). */
export const WARM_UP_RUNS = 1;

/**
 * An unreported run of 200 editors for 5 s on a fresh server: every server starts cold
 * (JIT, lazy modules), and production servers run warm. Measured on Accord: after a 1.5 s
 * run of 35 editors the first row still had 1.5 times the p99 of the rows after it; after
 * three 5 s runs of 35, or this one, it had the same.
 */
export async function warmUp(target: Target, nextRun: () => number, editors = 200): Promise<void> {
  await runLoad(target, { editors, watchers: 0, rate: 5, probes: 3, doc: "declaration", warmupMs: 500, measureMs: 5000, run: nextRun() });
}

/**
 * Runs one scenario against a running server: probes first (they seed a server without
 * storage), then the writers and watchers in one or more processes, all connected before
 * the clock starts; then it measures for `warmupMs + measureMs` and checks convergence.
 */
export async function runLoad(target: Target, o: LoadOptions): Promise<LoadResult> {
  await settle();
  const doc = target.doc(o.doc, o.run);
  const documents = o.documents ?? 1;
  const docs = Array.from({ length: documents }, (_, j) => (j === 0 ? doc : target.doc(o.doc, o.run + j)));
  const shared = o.oneProcess ? fork("bench/load/generator.ts", [], CHILD_ARGS) : null;
  if (shared) favour(shared.pid!);
  const probes: Peer = shared ? (new RolePeer(shared, "probes") as unknown as Peer) : fork("bench/load/probes.ts", [], CHILD_ARGS);
  const children: Peer[] = [probes];
  if (!shared) favour(probes.pid!);
  // The late joiner runs in a process of its own: decoding a 1 MB document would otherwise
  // stall the probes' clock and be counted against the server.
  const joiner = o.lateJoin ? fork("bench/load/probes.ts", [], CHILD_ARGS) : null;
  if (joiner) {
    children.push(joiner);
    favour(joiner.pid!);
  }
  try {
    const probesReady = nextMessage<Extract<FromProbes, { type: "ready" }>>(probes, "ready");
    const probeConfig: ProbesConfig = {
      kind: target.probeKind,
      serverUrl: doc.probeServerUrl,
      docName: doc.docName,
      cookie: target.probeCookie,
      count: o.probes,
      seed: doc.seed,
      ...(documents > 1 ? { docNames: docs.map((d) => d.docName) } : {}),
    };
    probes.send({ type: "config", config: probeConfig } satisfies ToProbes);
    const { state } = await probesReady;

    const { anchors, taken } = placeWriters(new Uint8Array(Buffer.from(state, "base64")), o.editors);
    const period = 1000 / o.rate;
    const specs: WriterSpec[] = anchors.map((a, i) => {
      let client: number;
      do client = randomInt(1, 2 ** 31);
      while (taken.has(client));
      taken.add(client);
      const path = documents > 1 ? { path: docs[i % documents]!.writerPath } : {};
      return { client, cookie: target.writerCookie(i), origin: a.origin, right: a.right, phase: (i * period) / o.editors, ...path };
    });
    // Every copy of the document has the same items, so the places found in the first hold in each.
    const docOfWriter = new Map(specs.map((w, i) => [String(w.client), i % documents]));
    probes.send({ type: "track", clients: specs.map((s) => s.client), docs: specs.map((_, i) => i % documents) } satisfies ToProbes);

    // One writer process per 300 connections, at most two: on two cores, more would only compete.
    const processes = shared ? 1 : Math.min(2, Math.max(1, Math.ceil((o.editors + o.watchers) / 300)));
    const writerProcs: Peer[] = [];
    for (let p = 0; p < processes; p++) {
      const child: Peer = shared ? (new RolePeer(shared, "writers") as unknown as Peer) : fork("bench/load/writers.ts", [], CHILD_ARGS);
      if (!shared) children.push(child);
      writerProcs.push(child);
      // Below the server and the probes: a writer stamps each update when it actually sends
      // it, so a writer kept waiting sends a little late but never makes the server look
      // slower, whereas a server or probe kept waiting by the writers would.
      if (!shared) deprioritise(child.pid!);
      const ready = nextMessage<Extract<FromWriters, { type: "ready" }>>(child, "ready");
      child.send({
        type: "config",
        config: {
          host: "127.0.0.1",
          port: target.port,
          path: doc.writerPath,
          dialect: target.dialect,
          docName: doc.docName,
          writers: specs.filter((_, i) => i % processes === p),
          watchers: Array.from({ length: Math.floor(o.watchers / processes) + (p < o.watchers % processes ? 1 : 0) }, () => target.watcherCookie),
          rate: o.rate,
          resend: o.resend,
        },
      } satisfies ToWriters);
      const { failed } = await ready;
      if (failed > 0) throw new Error(`${failed} connections to ${target.name} failed`);
    }
    await sleep(o.warmupMs >= 1000 ? 500 : 100); // let the server settle after a thousand upgrades

    const startAt = now() + 200;
    const measureFrom = startAt + o.warmupMs;
    const endAt = measureFrom + o.measureMs;
    const done = writerProcs.map((c) => nextMessage<Extract<FromWriters, { type: "done" }>>(c, "done", o.warmupMs + o.measureMs + 60_000));
    for (const c of writerProcs) c.send({ type: "go", startAt, durationMs: o.warmupMs + o.measureMs } satisfies ToWriters);
    const generatorPids = children.filter((c) => c !== joiner).map((c) => c.pid!);
    await sleep(measureFrom - now());
    const cpu0 = cpuSeconds(target.pid);
    const gen0 = generatorPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const probe0 = cpuSeconds(probes.pid!);
    const m0 = machineTicks();
    const t0 = now();
    // A failure is reported with the results (not left to reject unheard while the run goes on).
    const event = o.during ? o.during().then((at) => ({ at, error: null }), (error: unknown) => ({ at: null, error })) : null;
    let join: { ms: number; bytes: number; at: number } | undefined;
    if (joiner) {
      await sleep(o.measureMs / 2);
      const joined = nextMessage<Extract<FromProbes, { type: "joined" }>>(joiner, "joined");
      const at = now();
      joiner.send({ type: "join", config: probeConfig } satisfies ToProbes);
      const j = await joined;
      join = { ms: j.ms, bytes: j.bytes, at };
    }
    await sleep(endAt - now());
    const cpu1 = cpuSeconds(target.pid);
    const gen1 = generatorPids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    const probe1 = cpuSeconds(probes.pid!);
    const m1 = machineTicks();
    const seconds = (now() - t0) / 1000;
    const rss = rssMiB(target.pid);
    const results = await Promise.all(done);
    const happened = event ? await event : null;
    if (happened?.error) throw happened.error;
    const eventAt = happened?.at ?? null;

    const sent: Record<string, number[]> = Object.assign({}, ...results.map((r) => r.sent));
    const expected = Object.fromEntries(Object.entries(sent).map(([client, times]) => [client, times.length]));
    const finished = nextMessage<Extract<FromProbes, { type: "finished" }>>(probes, "finished");
    probes.send({ type: "finish", expected, timeoutMs: o.during ? 20_000 : 8000 } satisfies ToProbes);
    const f = await finished;

    const latencies: number[] = [];
    const before: number[] = [];
    const after: number[] = [];
    let lost = 0;
    const lostBy = new Map<string, number>();
    let delivered = 0;
    let sentInWindow = 0;
    // The probes watching each writer's document (all of them, with one document).
    const probesOf = (client: string) => {
      const d = docOfWriter.get(client) ?? 0;
      return documents > 1 ? f.arrivals.slice(d * o.probes, (d + 1) * o.probes) : f.arrivals;
    };
    for (const [client, times] of Object.entries(sent)) {
      const watching = probesOf(client);
      for (let k = 0; k < times.length; k++) {
        const s = times[k]!;
        const inWindow = s >= measureFrom && s < endAt;
        if (inWindow) sentInWindow += 1;
        for (const arrivals of watching) {
          const a = arrivals[client]?.[k];
          if (a === undefined || a === null) {
            lost += 1;
            if (process.env.BENCH_DEBUG) lostBy.set(client, (lostBy.get(client) ?? 0) + 1);
            continue;
          }
          if (a >= measureFrom && a < endAt) delivered += 1;
          if (!inWindow) continue;
          latencies.push(a - s);
          if (join) {
            if (s < join.at) before.push(a - s);
            else if (s < join.at + 1000) after.push(a - s);
          }
        }
      }
    }
    if (lostBy.size > 0) {
      const spec = new Map(specs.map((w, i) => [String(w.client), { ...w, i, cookie: undefined }]));
      console.error("lost", [...lostBy].slice(0, 5).map(([c, n]) => ({ n, ...spec.get(c), sent: sent[c]!.length })));
    }
    if (process.env.BENCH_DEBUG) console.error(timeline(sent, f.arrivals, measureFrom, endAt));
    latencies.sort((a, b) => a - b);
    before.sort((a, b) => a - b);
    after.sort((a, b) => a - b);
    const dropped = results.reduce((sum, r) => sum + r.closed, 0);
    if (dropped > 0) {
      // What closed them (the close frames' codes and reasons): a dropped client says why.
      const closes = new Map<string, number>();
      for (const r of results) for (const [why, n] of Object.entries(r.closes)) closes.set(why, (closes.get(why) ?? 0) + n);
      console.error(`${dropped} client(s) closed:`, [...closes].map(([why, n]) => `${n} × ${why}`).join("; "));
    }
    // Every probe of a document has the same text as the others of that document.
    const sameText = f.digests.every((d, p) => d === f.digests[Math.floor(p / o.probes) * o.probes]);
    return {
      server: target.name,
      editors: o.editors,
      watchers: o.watchers,
      label: [String(o.editors), o.watchers > 0 ? `+ ${o.watchers} watchers` : "", o.lateJoin ? "on 1 MB, + late joiner" : "", o.oneProcess ? `(one generator process, ${o.probes} probes)` : ""].filter(Boolean).join(" "),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
      deliveredPerSec: delivered / o.probes / seconds,
      sentPerSec: sentInWindow / (o.measureMs / 1000),
      serverCores: (cpu1 - cpu0) / seconds,
      serverRssMiB: rss,
      generatorCores: (gen1 - gen0) / seconds,
      probeCores: (probe1 - probe0) / seconds,
      machineCores: ((m1.busy - m0.busy) / (m1.total - m0.total)) * availableParallelism(),
      stolenCores: ((m1.steal - m0.steal) / (m1.total - m0.total)) * availableParallelism(),
      lost,
      dropped,
      converged: sameText && f.complete.every(Boolean) && lost === 0 && dropped === 0,
      join: join && { ms: join.ms, bytes: join.bytes, p99Before: percentile(before, 99), p99After: percentile(after, 99) },
      recovery: eventAt === null ? undefined : recoveryAfter(eventAt, sent, f.arrivals, Object.assign({}, ...results.map((r) => r.closedAt))),
    };
  } finally {
    for (const c of children) if (c.connected) c.send({ type: "exit" });
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  }
}

import { execSync } from "node:child_process";
import { cpus, loadavg, availableParallelism } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { prepareAccordData } from "./servers/accord-data.js";
import { startAccord, startPeer, tempDir, type Target } from "./servers/targets.js";
import { runLoad, warmUp, WARM_UP_RUNS, type LoadOptions, type LoadResult } from "./load/scenario.js";
import { coldOpen } from "./cold-open.js";
import { diskFlushes, durableWrites, type DiskFlushes, type DurableResult } from "./durable.js";
import { ms } from "./load/stats.js";
import { favour, favourSession } from "./load/proc.js";
import { speedCheck } from "./load/speed.js";
import { clusterBench } from "./cluster.js";

/**
 * `npm run bench [-- --quick]`: the same load against the reference y-websocket server,
 * Hocuspocus 4 and Accord, each in its own process, one after the other on this machine;
 * then Accord's cold open and durable write rate. Prints one table and writes it, with the
 * machine it ran on, to bench/results/latest.md (or quick.md).
 */

const quick = process.argv.includes("--quick");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const EDITORS = quick ? [35, 100] : [35, 100, 200, 400, 600, 800];
// The reference server saturates a core near 200 editors (as this bench measures it);
// beyond 400 it only measures how long a queue grows.
const REFERENCE_MAX = 400;
const timing = quick ? { warmupMs: 500, measureMs: 1500 } : { warmupMs: 2000, measureMs: 10_000 };
const base = { rate: 5, probes: 3, watchers: 0, doc: "declaration" as const, ...timing };

const started = new Date();
const load0 = loadavg();
const rows: LoadResult[] = [];

function line(r: LoadResult): string {
  return `| ${r.server} | ${r.label} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${Math.round(r.deliveredPerSec)} / ${Math.round(r.sentPerSec)} | ${r.serverCores.toFixed(2)} | ${Math.round(r.serverRssMiB)} MiB | ${r.generatorCores.toFixed(2)} | ${r.machineCores.toFixed(1)} | ${r.stolenCores.toFixed(2)} | ${r.converged ? "yes" : `NO (lost ${r.lost}, dropped ${r.dropped})`} |`;
}
const HEADER =
  "| server | editors | p50 | p95 | p99 | max | delivered/s / sent/s | server CPU (cores) | server RSS | generator CPU | machine busy (cores) | stolen by the host (cores) | converged |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|";

async function measure(target: Target, options: Partial<LoadOptions> & { editors: number }, run: number): Promise<LoadResult> {
  const r = await runLoad(target, { ...base, ...options, run });
  rows.push(r);
  console.log(line(r));
  return r;
}

async function main(): Promise<void> {
  if (process.argv.includes("--cluster")) return clusterBench();
  const wall = Date.now();
  const unfavour = favourSession();
  favour(process.pid);
  try {
    await compare(wall);
  } finally {
    unfavour?.();
  }
}

/** One scenario of the comparison, and which servers it is run on. */
interface Scenario {
  options: Partial<LoadOptions> & { editors: number };
  /** Whether the server without fsync (see `startAccord`'s use below) is measured too. */
  withoutFsync: boolean;
}

/**
 * The rows, lightest first: a server that cannot keep up with a row is restarted before its
 * next one (see `compare`), and every row after a saturated one is at least as heavy.
 */
function scenarios(): Scenario[] {
  const light: Scenario[] = EDITORS.filter((n) => n <= 100).map((editors) => ({ options: { editors }, withoutFsync: true }));
  const heavy: Scenario[] = EDITORS.filter((n) => n > 100).map((editors) => ({ options: { editors }, withoutFsync: false }));
  const extra: Scenario[] = quick
    ? []
    : [
        { options: { editors: 100, watchers: 200 }, withoutFsync: false },
        { options: { editors: 100, doc: "large", lateJoin: true }, withoutFsync: false },
      ];
  return [...light, ...extra, ...heavy];
}

/** Whether a server fell behind in a row: its backlog would still be running in the next. */
function fellBehind(r: LoadResult): boolean {
  return !r.converged || r.deliveredPerSec < 0.95 * r.sentPerSec;
}

/**
 * Every server is started (and warmed up) first; then each row is run on each server in
 * turn. This machine is shared and its speed drifts over minutes (measured: the same row's
 * CPU time halved between two runs an hour apart, and the disk's flush took three times as
 * long), so the servers compared in one row are measured within a minute of each other,
 * never one server's whole series after another's. A server that fell behind in a row is
 * restarted before its next one: its backlog (seconds of work, on the reference server
 * minutes) would otherwise be measured as part of the next server's row.
 */
async function compare(wall: number): Promise<void> {
  const speedBefore = speedCheck();
  const diskBefore = diskFlushes();
  console.log(HEADER);
  const dir = tempDir("accord-bench-");
  const spare = tempDir("accord-bench-nofsync-");
  const coldUpdates = quick ? 5_000 : 50_000;
  const list = scenarios();
  const data = await prepareAccordData(dir.path, coldUpdates, WARM_UP_RUNS + list.length);
  const spareData = await prepareAccordData(spare.path, 10, WARM_UP_RUNS + list.filter((x) => x.withoutFsync).length);
  const joins: Array<{ server: string; r: LoadResult }> = [];
  let cold: { beforeMs: number; afterMs: number[] } | null = null;
  let port = 18_400 + Math.floor(Math.random() * 1000);
  const starts = {
    reference: () => startPeer("reference", port++, data.seeds),
    hocuspocus: () => startPeer("hocuspocus", port++, data.seeds),
    accord: () => startAccord(port++, dir.path, data),
    "accord-nofsync": () => startAccord(port++, spare.path, spareData, { ACCORD_SYNC: "normal" }, "Accord, ACCORD_SYNC=normal"),
  };
  type Key = keyof typeof starts;
  const targets: Array<{ key: Key; target: Target }> = [];
  // Runs are numbered per server, across restarts: each run gets a document of its own.
  const runs = new Map<Key, number>();
  const nextRun = (key: Key) => () => {
    const n = runs.get(key) ?? 0;
    runs.set(key, n + 1);
    return n;
  };
  try {
    for (const key of Object.keys(starts) as Key[]) {
      if (only && !only.includes(key)) continue;
      const target = await starts[key]();
      targets.push({ key, target });
      // The reference server saturates near 200 editors: its warm-up backlog would still be
      // draining into its first row.
      if (!quick) await warmUp(target, nextRun(key), key === "reference" ? 100 : 200);
    }
    for (const { options, withoutFsync } of list) {
      for (const entry of targets) {
        if (entry.key === "reference" && options.editors > REFERENCE_MAX) continue;
        if (entry.key === "accord-nofsync" && !withoutFsync) continue;
        const r = await measure(entry.target, options, nextRun(entry.key)());
        if (options.lateJoin) joins.push({ server: entry.target.name, r });
        if (fellBehind(r)) {
          await entry.target.stop();
          entry.target = await starts[entry.key]();
        }
      }
    }
    const accord = targets.find((t) => t.key === "accord")?.target;
    if (accord) cold = await coldOpen(`ws://127.0.0.1:${accord.port}/collab`, data.cold, data.large, accord.probeCookie!);
  } finally {
    for (const { target } of targets) await target.stop();
    dir.remove();
    spare.remove();
  }
  const disk = { before: diskBefore, after: diskFlushes() };
  const speed = { before: speedBefore, after: speedCheck() };
  const durable = durableWrites(quick ? 1 : 3);
  const minutes = (Date.now() - wall) / 60_000;
  const report = renderReport({ joins, cold, coldUpdates, durable, disk, speed, minutes });
  console.log(report);
  mkdirSync("bench/results", { recursive: true });
  // Only a whole comparison is the committed result; a quick or partial run is kept apart.
  writeFileSync(only ? "bench/results/partial.md" : quick ? "bench/results/quick.md" : "bench/results/latest.md", report);
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  let disk = "";
  try {
    disk = execSync("df -h /tmp | tail -1", { encoding: "utf8" }).trim().split(/\s+/)[0] ?? "";
  } catch {
    /* no df */
  }
  return `${availableParallelism()} cores (nproc), ${cpu}, Node ${process.version}, ${Math.round(
    (Number(execSync("grep MemTotal /proc/meminfo", { encoding: "utf8" }).match(/\d+/)?.[0]) || 0) / 1048576,
  )} GiB RAM, temp data on ${disk}`;
}

/** The targets Accord is held to, each with what this run measured and whether it was met. */
function targets(x: { joins: Array<{ server: string; r: LoadResult }>; cold: { afterMs: number[] } | null }): string[] {
  const find = (server: string, label: string) => rows.find((r) => r.server === server && r.label === label);
  const out = ["## Targets", "", "| target | measured | met |", "|---|---|---|"];
  const verdict = (ok: boolean | undefined) => (ok === undefined ? "—" : ok ? "yes" : "**no**");
  for (const label of [...new Set(rows.map((r) => r.label))]) {
    const a = find("Accord", label);
    const h = find("Hocuspocus 4", label);
    if (!a || !h) continue;
    out.push(
      `| ${label}: lower p99 than Hocuspocus | ${ms(a.p99)} against ${ms(h.p99)} | ${verdict(a.p99 < h.p99)} |`,
      `| ${label}: less server CPU than Hocuspocus | ${a.serverCores.toFixed(2)} against ${h.serverCores.toFixed(2)} cores | ${verdict(a.serverCores < h.serverCores)} |`,
    );
  }
  for (const [label, limit] of [["600", 50], ["800", 100]] as const) {
    const a = find("Accord", label);
    if (a) out.push(`| ${label}: p99 under ${limit} ms | ${ms(a.p99)} | ${verdict(a.p99 < limit)} |`);
  }
  const join = x.joins.find((j) => j.server === "Accord")?.r.join;
  if (join) out.push(`| late joiner on 1 MB adds under 10 ms to the others' p99 | ${ms(join.p99After - join.p99Before)} | ${verdict(join.p99After - join.p99Before < 10)} |`);
  if (x.cold) {
    const median = [...x.cold.afterMs].sort((a, b) => a - b)[Math.floor(x.cold.afterMs.length / 2)]!;
    out.push(`| cold open after compaction under 30 ms | ${ms(median)} | ${verdict(median < 30)} |`);
  }
  const a800 = find("Accord", "800");
  if (a800) out.push(`| generator cheaper than the server at 800 | ${a800.generatorCores.toFixed(2)} against ${a800.serverCores.toFixed(2)} cores | ${verdict(a800.generatorCores < a800.serverCores)} |`);
  out.push(`| every row converged | ${rows.filter((r) => r.converged).length} of ${rows.length} rows | (the peers' saturated rows lose updates) |`);
  return out;
}

function renderReport(x: {
  joins: Array<{ server: string; r: LoadResult }>;
  cold: { beforeMs: number; afterMs: number[] } | null;
  coldUpdates: number;
  durable: DurableResult[];
  disk: { before: DiskFlushes; after: DiskFlushes };
  speed: { before: number; after: number };
  minutes: number;
}): string {
  const load1 = loadavg();
  const busy = rows.map((r) => r.machineCores);
  const out: string[] = [];
  out.push(`# Collaboration benchmark${quick ? " (quick)" : ""}`, "");
  out.push(`Run ${started.toISOString()} for ${x.minutes.toFixed(1)} min on ${machine()}.`);
  out.push(
    `Load average before/after: ${load0.map((l) => l.toFixed(1)).join(" ")} / ${load1.map((l) => l.toFixed(1)).join(" ")}; ` +
      `whole machine busy during the measurements: ${Math.min(...busy).toFixed(1)}–${Math.max(...busy).toFixed(1)} of ${availableParallelism()} cores ` +
      `(the bench's session runs at nice −10 where allowed, so that other sessions' work disturbs it less; it still shares the machine).`,
    "",
  );
  out.push(
    `Editors type one character ${base.rate}×/s each and move their cursor as often (light writers in separate processes that ` +
      `never decode what they receive), ${base.probes} stock clients (y-websocket's provider, Hocuspocus' own for Hocuspocus) time ` +
      `every update from send to arrival. Every server was started and warmed up first; then each row was run on every server ` +
      `in turn, so that the servers of one row are measured within a minute of each other. ${timing.warmupMs / 1000} s warm-up, ` +
      `${timing.measureMs / 1000} s measured per row. delivered/s = updates per second reaching each probe, against updates sent ` +
      `per second. stolen = CPU time the host gave to others while this virtual machine wanted it (steal). converged = every ` +
      `probe holds every update and all have the same text at the end.`,
    "",
    `"Accord" is the server as \`npm start\` runs it: no keystroke is sent to anyone before its fsync has returned. ` +
      `"Accord, ACCORD_SYNC=normal" is the same server without that fsync (it survives a crash of its process, not of the ` +
      `machine), measured where the disk's flush is most of the latency, to show what the disk costs and what the server does.`,
    "",
  );
  out.push(HEADER, ...rows.map(line), "");
  out.push(...targets(x), "");
  if (x.joins.length > 0) {
    out.push("## Late joiner on a 1 MB document while 100 editors type", "");
    out.push("| server | joiner synced in | document | others' p99 before | others' p99 in the second after | added |", "|---|---|---|---|---|---|");
    for (const { server, r } of x.joins) {
      const j = r.join!;
      out.push(`| ${server} | ${ms(j.ms)} | ${(j.bytes / 1e6).toFixed(2)} MB | ${ms(j.p99Before)} | ${ms(j.p99After)} | ${ms(j.p99After - j.p99Before)} |`);
    }
    out.push("");
  }
  if (x.cold) {
    const sorted = [...x.cold.afterMs].sort((a, b) => a - b);
    out.push("## Cold open (Accord), 300 paragraphs", "");
    out.push(`- log of ${x.coldUpdates.toLocaleString("en")} updates, before compaction: ${ms(x.cold.beforeMs)} to synced`);
    out.push(`- after compaction (median of ${sorted.length}): ${ms(sorted[Math.floor(sorted.length / 2)]!)} (all: ${sorted.map(ms).join(", ")})`, "");
  }
  out.push("## The machine, at the start and at the end of the run", "");
  out.push(
    `- speed check (a fixed Yjs workload, lower is faster): ${ms(x.speed.before)} at the start, ${ms(x.speed.after)} at the end`,
    `- the disk's flush, one 4 KB write made durable (write + fdatasync) on the data's disk, back to back: ` +
      `p50 ${ms(x.disk.before.busy.p50)} / ${ms(x.disk.after.busy.p50)}, p99 ${ms(x.disk.before.busy.p99)} / ${ms(x.disk.after.busy.p99)}`,
    `- the same, each after ${x.disk.after.idleMs} ms of idleness (a quiet document's pace): ` +
      `p50 ${ms(x.disk.before.idle.p50)} / ${ms(x.disk.after.idle.p50)}, p99 ${ms(x.disk.before.idle.p99)} / ${ms(x.disk.after.idle.p99)}`,
    "",
  );
  out.push("## Sustained durable writes (SQLite, synchronous=FULL, one transaction per batch)", "");
  out.push("| batch | commits/s | updates/s | commit p50 | commit p99 |", "|---|---|---|---|---|");
  for (const d of x.durable) out.push(`| ${d.batch} | ${Math.round(d.commitsPerSec)} | ${Math.round(d.updatesPerSec)} | ${ms(d.commitP50)} | ${ms(d.commitP99)} |`);
  out.push("");
  return out.join("\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

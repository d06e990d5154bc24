import { loadavg } from "node:os";
import { mkdirSync, writeFileSync } from "node:fs";
import { prepareAccordData, type AccordData } from "./servers/accord-data.js";
import { signIn, tempDir, type Target } from "./servers/targets.js";
import { runLoad, type LoadResult } from "./load/scenario.js";
import { now } from "./load/clock.js";
import { cpuSeconds } from "./load/proc.js";
import { ms } from "./load/stats.js";
import { startCluster, type Cluster } from "../scripts/cluster/cluster.js";

/** The cluster bench's modes: its three figures (one document, many documents, an owner killed). */
type Mode = "one" | "many" | "kill";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** One figure: its line in the table and whether it met its target. */
interface Figure {
  mode: Mode;
  line: string;
  met: boolean;
}

/**
 * `npm run bench -- --cluster [--mode=one,many,kill] [--editors=N] [--documents=N]
 * [--seconds=S] [--quick]`: the cluster figures, against a real cluster as `npm run
 * cluster` starts it (PostgreSQL with fsync on, Redis, three Accord processes, HAProxy in
 * front), each client's websocket landing where the balancer sends it:
 *
 * - `one`: one document, 1,600 editors (`--editors`): converged, p99 (target < 150 ms).
 * - `many`: 50 documents (`--documents`) × 35 editors: p99 (target < 50 ms), every document converged.
 * - `kill`: one document, 800 editors; its owner is killed (SIGKILL) a third into the
 *   measurement: the time until every editor's edits are accepted again (target < 5 s),
 *   and updates lost (target 0). The writers reconnect and re-send as the stock client does.
 *
 * The generator is the bench's own: light writers (they never decode) and full stock
 * clients as probes that time every update; its CPU is printed beside each figure, with
 * the load average before and after. Each mode runs for `--seconds` (default 10; 3 with
 * `--quick`, which also divides the editors by eight) after 2 s of warm-up, on a fresh
 * cluster, one after the other.
 */
export async function clusterBench(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const modes = (arg("mode") ?? "one,many,kill").split(",") as Mode[];
  for (const m of modes) if (!["one", "many", "kill"].includes(m)) throw new Error(`--mode: one, many or kill, not ${m}`);
  const scale = (n: number) => (quick ? Math.max(8, Math.round(n / 8)) : n);
  const seconds = Number(arg("seconds") ?? (quick ? 3 : 10));
  const figures: Figure[] = [];
  const load0 = loadavg();
  for (const mode of modes) {
    const editors = Number(arg("editors") ?? scale(mode === "one" ? 1600 : mode === "kill" ? 800 : 35));
    const documents = mode === "many" ? Number(arg("documents") ?? (quick ? 10 : 50)) : 1;
    const before = loadavg();
    figures.push(await runMode(mode, editors, documents, seconds));
    console.log(`(load average before ${before.map((l) => l.toFixed(2)).join(" ")}, after ${loadavg().map((l) => l.toFixed(2)).join(" ")})`);
  }
  const load1 = loadavg();
  const text = [
    `# Cluster bench, ${new Date().toISOString()}`,
    "",
    `Load average before ${load0.map((l) => l.toFixed(2)).join(" ")}, after ${load1.map((l) => l.toFixed(2)).join(" ")}.`,
    "",
    "| figure | clients | p50 | p99 | max | delivered/s / sent/s | generator CPU (cores) | machine busy (cores) | result | target |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...figures.map((f) => f.line),
    "",
  ].join("\n");
  console.log(text);
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(quick ? "bench/results/cluster-quick.md" : "bench/results/cluster.md", text);
}

/** Starts a cluster on the PostgreSQL store with `documents` fresh declarations, runs one mode, stops it. */
async function runMode(mode: Mode, editors: number, documents: number, seconds: number): Promise<Figure> {
  const dir = tempDir("cluster-bench-");
  const port = 19_400 + Math.floor(Math.random() * 500);
  let data: AccordData | null = null;
  const cluster: Cluster = await startCluster({
    port,
    host: "127.0.0.1",
    dataDir: dir.path,
    processes: 3,
    echo: process.env.BENCH_DEBUG ? "prefix" : "quiet",
    // BENCH_PROFILE=<dir>: a CPU profile of each Accord process, written when it stops.
    nodeArgs: process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
    postgres: true,
    prepare: async (databaseUrl, storeDir) => {
      data = await prepareAccordData(storeDir, 10, documents, databaseUrl ? { ACCORD_DATABASE_URL: databaseUrl } : {});
    },
    env: { ACCORD_MAX_CONNECTIONS_PER_USER: "100000", ACCORD_LOG: "silent", ACCORD_SEED: "false" },
  });
  try {
    const d = data as unknown as AccordData;
    const delegates = await Promise.all(d.delegates.map((u) => signIn(cluster.url, u, d.password)));
    const observer = await signIn(cluster.url, d.observer, d.password);
    const target: Target = {
      name: "Accord ×3 behind HAProxy, PostgreSQL",
      pid: cluster.processes[0]!.child.pid!,
      port,
      dialect: "y-websocket",
      probeKind: "y-websocket",
      doc(_kind, run) {
        const id = d.declarations[run % d.declarations.length]!;
        return { docName: id, writerPath: `/collab/${id}`, probeServerUrl: `ws://127.0.0.1:${port}/collab`, seed: null };
      },
      writerCookie: (i) => delegates[i % delegates.length]!,
      watcherCookie: observer,
      probeCookie: observer,
      stop: async () => {},
    };
    // Each process's CPU over the whole run (warm-up and convergence included), printed after it.
    const cpu0 = cluster.processes.map((p) => ({ name: p.name, pid: p.child.pid!, s: cpuSeconds(p.child.pid!), at: now() }));
    const cpuLine = () => {
      console.log(`processes' CPU (cores, over the whole run): ${cpu0.map((c) => `${c.name} ${((cpuSeconds(c.pid) - c.s) / ((now() - c.at) / 1000)).toFixed(2)}`).join(", ")}`);
      // What the balancer said of the processes (taken out, back in): it closes a process's sessions when it takes it out.
      const said = cluster.haproxy.output().split("\n").filter((l) => /\b(DOWN|UP)\b/.test(l));
      if (said.length > 0) console.log(`HAProxy:\n  ${said.join("\n  ")}`);
    };
    const base = { editors, watchers: 0, rate: 5, doc: "declaration" as const, warmupMs: 2000, measureMs: seconds * 1000, run: 0 };
    if (mode === "one") {
      const r = await runLoad(target, { ...base, probes: 3 });
      cpuLine();
      return { mode, line: row(`one document, ${editors} editors`, r, r.converged && r.p99 < 150, "converged, p99 < 150 ms"), met: r.converged && r.p99 < 150 };
    }
    if (mode === "many") {
      const r = await runLoad(target, { ...base, editors: editors * documents, probes: 2, documents });
      cpuLine();
      const met = r.converged && r.p99 < 50;
      return { mode, line: row(`${documents} documents × ${editors} editors`, r, met, "every document converged, p99 < 50 ms"), met };
    }
    // kill: the owner of the document, a third into the measurement.
    const secretariat = await signIn(cluster.url, "secretariat", d.password);
    const documentId = d.declarations[0]!;
    const r = await runLoad(target, {
      ...base,
      probes: 3,
      resend: true,
      during: async () => {
        await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / 3));
        const answer = await fetch(`${cluster.url}/api/documents/${documentId}/owner`, { headers: { cookie: secretariat } });
        const owner = (await answer.json()) as { process?: string };
        const victim = cluster.processes.find((p) => p.name === owner.process);
        if (!victim) throw new Error(`no owner to kill: ${JSON.stringify(owner)}`);
        const at = now();
        victim.child.kill("SIGKILL");
        console.log(`killed ${victim.name}, the owner${process.env.BENCH_DEBUG ? ` at ${at.toFixed(1)}` : ""}`);
        return at;
      },
    });
    const recovery = r.recovery!;
    const met = recovery.ms < 5000 && recovery.unrecovered === 0 && r.lost === 0;
    const moved = recovery.reconnected;
    const result =
      `every editor's edits accepted again ${ms(recovery.ms)} after the kill (median editor ${ms(recovery.medianMs)}; ` +
      `the ${moved.count} that were on the killed process: ${ms(moved.ms)}, median ${ms(moved.medianMs)}); updates lost: ${r.lost}; ${r.converged ? "converged" : "NOT converged"}`;
    return { mode, line: row(`owner SIGKILL under ${editors} editors`, r, met, "< 5 s, 0 lost", result), met };
  } finally {
    await cluster.stop();
    dir.remove();
  }
}

/** One line of the figures' table. */
function row(figure: string, r: LoadResult, met: boolean, target: string, result?: string): string {
  const outcome = result ?? (r.converged ? "converged" : `NOT converged (lost ${r.lost}, dropped ${r.dropped})`);
  return (
    `| ${figure} | ${r.editors} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${Math.round(r.deliveredPerSec)} / ${Math.round(r.sentPerSec)} | ` +
    `${r.generatorCores.toFixed(2)} (probes ${r.probeCores.toFixed(2)}) | ${r.machineCores.toFixed(1)} | ${outcome} | ${target}: **${met ? "met" : "not met"}** |`
  );
}

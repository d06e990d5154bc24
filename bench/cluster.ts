import { loadavg } from "node:os";
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { prepareAccordData } from "./servers/accord-data.js";
import { signIn, tempDir, type Target } from "./servers/targets.js";
import { runLoad, type LoadResult } from "./load/scenario.js";
import { ms } from "./load/stats.js";
import { startCluster } from "../scripts/cluster/cluster.js";

/**
 * `npm run bench -- --cluster [--editors=1600] [--quick]`: one document, its editors spread
 * over three Accord processes by HAProxy (each editor's websocket lands where the balancer
 * sends it; the first to open the document makes that process its owner, the others relay).
 * The generator is the bench's own (writers and timing probes, as in the single-process rows);
 * its CPU is reported beside the figures. The processes share the prepared SQLite store.
 *
 * Not measured here yet: 50 documents × 35 editors at once, and an owner killed under 800
 * editors (test/cluster.test.ts kills one under 30 typists).
 */
export async function clusterBench(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const editors = Number(process.argv.find((a) => a.startsWith("--editors="))?.slice(10) ?? (quick ? 200 : 1600));
  const dir = tempDir("cluster-bench-");
  mkdirSync(join(dir.path, "store"), { recursive: true });
  const data = await prepareAccordData(join(dir.path, "store"), 10, 2);
  const port = 19_400 + Math.floor(Math.random() * 500);
  const load0 = loadavg();
  const cluster = await startCluster({
    port,
    host: "127.0.0.1",
    dataDir: dir.path,
    processes: 3,
    echo: "quiet",
    postgres: false,
    env: { ACCORD_MAX_CONNECTIONS_PER_USER: "100000", ACCORD_LOG: "silent" },
  });
  try {
    const delegates = await Promise.all(data.delegates.map((u) => signIn(cluster.url, u, data.password)));
    const observer = await signIn(cluster.url, data.observer, data.password);
    const target: Target = {
      name: "Accord ×3 behind HAProxy",
      pid: cluster.processes[0]!.child.pid!,
      port,
      dialect: "y-websocket",
      probeKind: "y-websocket",
      doc(_kind, run) {
        const id = data.declarations[run % data.declarations.length]!;
        return { docName: id, writerPath: `/collab/${id}`, probeServerUrl: `ws://127.0.0.1:${port}/collab`, seed: null };
      },
      writerCookie: (i) => delegates[i % delegates.length]!,
      watcherCookie: observer,
      probeCookie: observer,
      stop: async () => {},
    };
    const r: LoadResult = await runLoad(target, { editors, watchers: 0, rate: 5, probes: 3, doc: "declaration", warmupMs: quick ? 500 : 2000, measureMs: quick ? 2000 : 10_000, run: 0 });
    const load1 = loadavg();
    const line =
      `| ${r.server} | ${editors} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${ms(r.max)} | ${Math.round(r.deliveredPerSec)} / ${Math.round(r.sentPerSec)} | ` +
      `${r.generatorCores.toFixed(2)} | ${r.machineCores.toFixed(1)} | ${r.converged ? "yes" : `NO (lost ${r.lost}, dropped ${r.dropped})`} |`;
    const table = [
      "| server | editors | p50 | p95 | p99 | max | delivered/s / sent/s | generator CPU (cores) | machine busy (cores) | converged |",
      "|---|---|---|---|---|---|---|---|---|---|",
      line,
    ].join("\n");
    console.log(table);
    const text = `# Cluster bench, ${new Date().toISOString()}\n\nLoad average before ${load0.map((l) => l.toFixed(2)).join(" ")}, after ${load1.map((l) => l.toFixed(2)).join(" ")}.\n\n${table}\n`;
    mkdirSync("bench/results", { recursive: true });
    writeFileSync(quick ? "bench/results/cluster-quick.md" : "bench/results/cluster.md", text);
  } finally {
    await cluster.stop();
    dir.remove();
  }
}

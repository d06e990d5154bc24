import { prepareAccordData } from "./servers/accord-data.js";
import { startAccord, startPeer, tempDir, type Target } from "./servers/targets.js";
import { runLoad, warmUp, WARM_UP_RUNS, type LoadResult } from "./load/scenario.js";
import { ms } from "./load/stats.js";
import { favour, favourSession } from "./load/proc.js";

/**
 * `npx tsx bench/row.ts --server=accord --editors=35,100 [--watchers=200] [--repeat=3]
 * [--seconds=6] [--doc=large] [--join] [--generator=one] [--probes=3] [ACCORD_SYNC=normal ...]`: one row of the
 * comparison, repeated against one server started once, to see how much a figure moves
 * from run to run before trusting a change. KEY=VALUE arguments go to Accord's environment.
 * `--generator=one` runs writers and probes in one generator process (four probes unless
 * `--probes` says otherwise), as an outside measurement with one generator does.
 */
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const server = arg("server", "accord") as "accord" | "hocuspocus" | "reference";
const editors = arg("editors", "35").split(",").map(Number);
const watchers = Number(arg("watchers", "0"));
const repeat = Number(arg("repeat", "3"));
const seconds = Number(arg("seconds", "6"));
const docKind = arg("doc", "declaration") as "declaration" | "large";
// A late joiner halfway through each run (on the 1 MB document, as in the comparison).
const lateJoin = process.argv.includes("--join");
const oneProcess = arg("generator", "split") === "one";
const probes = Number(arg("probes", oneProcess ? "4" : "3"));
const env = Object.fromEntries(process.argv.filter((a) => /^[A-Z_]+=/.test(a)).map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));

async function main(): Promise<void> {
  favourSession();
  favour(process.pid);
  const dir = tempDir("accord-row-");
  const runs = editors.length * repeat + WARM_UP_RUNS;
  const data = await prepareAccordData(dir.path, 10, runs);
  const port = 19_400 + Math.floor(Math.random() * 500);
  const target: Target = server === "accord" ? await startAccord(port, dir.path, data, env) : await startPeer(server, port, data.seeds);
  let run = 0;
  try {
    await warmUp(target, () => run++);
    for (const n of editors) {
      const results: LoadResult[] = [];
      for (let i = 0; i < repeat; i++) {
        const r = await runLoad(target, { editors: n, watchers, rate: 5, probes, oneProcess, doc: lateJoin ? "large" : docKind, lateJoin, warmupMs: 2000, measureMs: seconds * 1000, run: run++ });
        results.push(r);
        console.log(
          `${target.name} ${r.label}: p50 ${ms(r.p50)} p95 ${ms(r.p95)} p99 ${ms(r.p99)} max ${ms(r.max)}; server ${r.serverCores.toFixed(2)} cores, ` +
            `generator ${r.generatorCores.toFixed(2)} (probes ${r.probeCores.toFixed(2)}), machine ${r.machineCores.toFixed(1)} (stolen ${r.stolenCores.toFixed(2)}); ${r.converged ? "converged" : `NOT converged (lost ${r.lost})`}` +
            (r.join ? `; joiner synced in ${ms(r.join.ms)}, others' p99 ${ms(r.join.p99Before)} before, ${ms(r.join.p99After)} in the second after` : ""),
        );
      }
    }
  } finally {
    await target.stop();
    dir.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

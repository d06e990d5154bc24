/**
 * Exports of a hard negotiation's text while others type: a 300-paragraph declaration with
 * 1,500 open brackets (five a paragraph, a third of them with a second holder) exported as
 * DOCX, PDF and Akoma Ntoso through the HTTP route of a real Accord server (`tsx
 * server/main.ts` in its own process), first on an idle server, then back to back while
 * 100 editors type in another document. Printed: each format's time (request to last
 * byte); the time each export held the server's event loop (the route's `Server-Timing`
 * `main`: reading the store, assembling the model and handing it to the export thread);
 * the nice value of the server's threads (the export thread runs at 19); the server's
 * event-loop delay (p99, max) and the editors' update latency p99, without and with the
 * exports running; the machine's load; which goals were met. Targets: DOCX < 1 s, PDF <
 * 2 s, AKN < 300 ms; the editors' p99 moves < 10 ms.
 *
 *   npx tsx bench/exports.ts [--seconds=10] [--runs=5]
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createContext } from "../server/app.js";
import { SYSTEM } from "../server/audit/audit.js";
import { userForLogin } from "../server/auth/users.js";
import { joinBracketHold } from "../server/brackets/holds.js";
import { openBracket } from "../server/brackets/open.js";
import { runCommand } from "../server/commands/command.js";
import { loadConfig } from "../server/config.js";
import { createDocument } from "../server/documents/documents.js";
import { newId, type Block } from "../schema/index.js";
import { runLoad, warmUp, WARM_UP_RUNS } from "./load/scenario.js";
import { quantile, rng, WORDS } from "./measure.js";
import { prepareAccordData } from "./servers/accord-data.js";
import { signIn, startAccord, tempDir } from "./servers/targets.js";

const PARAGRAPHS = 300;
const BRACKETS_PER_PARAGRAPH = 5;
const EDITORS = 100;
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const SECONDS = arg("seconds", 10);
const RUNS = arg("runs", 5);
const FORMATS = ["docx", "pdf", "akn"] as const;
const TARGETS: Record<(typeof FORMATS)[number], number> = { docx: 1000, pdf: 2000, akn: 300 };

const random = rng(11);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** Builds the bracketed declaration in the data folder through the commands, before the server opens it. */
function bracketedDeclaration(dataDir: string, delegates: string[]): string {
  const config = loadConfig({ ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent", ACCORD_SYNC: "normal" });
  const ctx = createContext(config);
  try {
    const users = delegates.map((u) => userForLogin(ctx.db, u)!.user);
    const adhoc = ctx.db.prepare("SELECT meeting_id, body_id FROM documents WHERE kind = 'declaration' LIMIT 1").get() as { meeting_id: string; body_id: string };
    const blocks: Block[] = [
      { id: newId("p"), type: "title", kind: "title", level: 0, runs: [{ text: "A heavily bracketed declaration" }] },
      ...Array.from({ length: PARAGRAPHS }, (_, i): Block => ({
        id: newId("p"),
        type: "paragraph",
        kind: i < 40 ? "pp" : "op",
        level: i >= 40 && i % 5 === 4 ? 1 : 0,
        runs: [{ text: `To ${Array.from({ length: 40 }, () => pick(WORDS)).join(" ")}.` }],
      })),
    ];
    const documentId = runCommand(ctx, (tx) =>
      createDocument(tx, SYSTEM, {
        meetingId: adhoc.meeting_id,
        bodyId: adhoc.body_id,
        kind: "declaration",
        title: "A heavily bracketed declaration",
        symbol: "BENCH/EXPORTS/1",
        blocks,
        state: "negotiation",
      }),
    );
    let n = 0;
    const delegate = () => users[n++ % users.length]!;
    const paragraphs = blocks.slice(1);
    for (let start = 0; start < paragraphs.length; start += 30)
      runCommand(ctx, (tx) => {
        for (const p of paragraphs.slice(start, start + 30)) {
          const text = p.runs[0]!.text;
          // Five brackets on separate words: words 2, 9, 16, 23, 30.
          const words = text.split(" ");
          for (let k = 0; k < BRACKETS_PER_PARAGRAPH; k++) {
            const w = 2 + k * 7;
            const from = words.slice(0, w).join(" ").length + 1;
            const opened = openBracket(tx, delegate(), documentId, { paragraphId: p.id, from, to: from + words[w]!.length });
            if (k % 3 === 0) {
              let other = delegate();
              while (other.delegation === opened.holders[0]) other = delegate();
              joinBracketHold(tx, other, opened.id);
            }
          }
        }
      });
    return documentId;
  } finally {
    ctx.rooms.closeAll();
    ctx.db.close();
  }
}

/** One export: its wall time and size, and the server's own timing of it. */
interface Exported {
  /** Request to last byte. */
  ms: number;
  bytes: number;
  /** What the export held the server's event loop for (Server-Timing `main`). */
  main: number;
  /** The export thread's time for it (Server-Timing `render`). */
  render: number;
  /** The event loop thread's CPU time for it (Server-Timing `cpu`): `main` without the waits for a core. */
  cpu: number;
}

/** One export over HTTP. */
async function exportOnce(baseUrl: string, cookie: string, documentId: string, format: string): Promise<Exported> {
  const t = performance.now();
  const res = await fetch(`${baseUrl}/api/documents/${documentId}/export?format=${format}&view=compilation`, { headers: { cookie } });
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${format}: ${res.status} ${Buffer.from(body).toString()}`);
  const timing = new Map(
    (res.headers.get("server-timing") ?? "").split(",").map((part) => {
      const [name, dur] = part.trim().split(";dur=");
      return [name, Number(dur)] as const;
    }),
  );
  return { ms: performance.now() - t, bytes: body.byteLength, main: timing.get("main") ?? NaN, render: timing.get("render") ?? NaN, cpu: timing.get("cpu") ?? NaN };
}

/** The server's event-loop delay over one phase, in milliseconds. */
interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

/** The server's event-loop delay since the last call (bench/servers/loop-delay.mjs answers SIGUSR2). */
async function loopDelay(pid: number, file: string): Promise<LoopDelay> {
  rmSync(file, { force: true });
  process.kill(pid, "SIGUSR2");
  const until = Date.now() + 5000;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error("the server did not report its event-loop delay");
    await new Promise((r) => setTimeout(r, 20));
  }
  return JSON.parse(readFileSync(file, "utf8")) as LoopDelay;
}

/** How many of a process's threads run at each nice value (`{"-10": 12, "19": 1}`): the export thread should stand apart. */
function threadNiceness(pid: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // After the parenthesised name come the state (field 3) … and nice (field 19).
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const nice = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]!;
      counts[nice] = (counts[nice] ?? 0) + 1;
    } catch {
      /* the thread ended meanwhile */
    }
  }
  return counts;
}

const summary = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(0)} ms, p90 ${quantile(xs, 0.9).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length} runs)`;
const heldSummary = (xs: Exported[]) => {
  const main = xs.map((x) => x.main);
  const cpu = xs.map((x) => x.cpu);
  return `event loop held median ${quantile(main, 0.5).toFixed(1)} ms (CPU ${quantile(cpu, 0.5).toFixed(1)} ms), max ${Math.max(...main).toFixed(1)} ms (CPU ${Math.max(...cpu).toFixed(1)} ms); export thread median ${quantile(xs.map((x) => x.render), 0.5).toFixed(0)} ms`;
};
const loadNow = () => loadavg().map((l) => l.toFixed(2)).join(" ");

async function main(): Promise<void> {
  const dir = tempDir("accord-bench-exports-");
  const data = await prepareAccordData(dir.path, 10, 2 + WARM_UP_RUNS + 2);
  const documentId = bracketedDeclaration(dir.path, data.delegates);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const loopFile = join(dir.path, "loop-delay.json");
  process.env.BENCH_LOOP_DELAY_FILE = loopFile;
  process.env.BENCH_SERVER_ARGS = `${process.env.BENCH_SERVER_ARGS ?? ""} --import ./bench/servers/loop-delay.mjs`;
  const target = await startAccord(port, dir.path, data);
  let run = 0;
  try {
    const cookie = await signIn(target.baseUrl, data.observer, data.password);
    console.log(`exports bench: ${PARAGRAPHS} paragraphs, ${PARAGRAPHS * BRACKETS_PER_PARAGRAPH} open brackets, compilation view; ${cpus().length} cores, load average ${loadNow()}`);

    // Idle: the first export of each format also loads the worker's renderers (npm start warms them).
    const idle: Record<string, Exported[]> = {};
    for (const format of FORMATS) {
      const first = await exportOnce(target.baseUrl, cookie, documentId, format);
      idle[format] = [];
      for (let i = 0; i < RUNS; i++) idle[format]!.push(await exportOnce(target.baseUrl, cookie, documentId, format));
      console.log(`  ${format.padEnd(4)} idle:   ${summary(idle[format]!.map((x) => x.ms))}; first ${first.ms.toFixed(0)} ms; ${(first.bytes / 1024).toFixed(0)} KiB; ${heldSummary(idle[format]!)}`);
    }
    const nice = threadNiceness(target.pid);
    console.log(`  server threads by nice value: ${Object.entries(nice).map(([n, c]) => `${c} at ${n}`).join(", ")} (the export thread at 19)`);

    for (let i = 0; i < WARM_UP_RUNS; i++) await warmUp(target, () => run++, EDITORS);
    const load = { editors: EDITORS, watchers: 0, rate: 5, probes: 3, doc: "declaration" as const, warmupMs: 1000, measureMs: SECONDS * 1000 };
    await loopDelay(target.pid, loopFile);
    const quiet = await runLoad(target, { ...load, run: run++ });
    const quietLoop = await loopDelay(target.pid, loopFile);

    // The same load with exports running back to back, one format after another, for the whole measurement.
    const busy: Record<string, Exported[]> = { docx: [], pdf: [], akn: [] };
    let exporting = true;
    const exporter = (async () => {
      let k = 0;
      while (exporting) {
        const format = FORMATS[k++ % FORMATS.length]!;
        busy[format]!.push(await exportOnce(target.baseUrl, cookie, documentId, format));
      }
    })();
    const loaded = await runLoad(target, { ...load, run: run++ });
    exporting = false;
    await exporter;
    const busyLoop = await loopDelay(target.pid, loopFile);

    const goals: string[] = [];
    for (const format of FORMATS) {
      const met = quantile(busy[format]!.map((x) => x.ms), 0.5) < TARGETS[format];
      goals.push(`${format} < ${TARGETS[format]} ms ${met ? "met" : "NOT met"}`);
      console.log(`  ${format.padEnd(4)} typing: ${summary(busy[format]!.map((x) => x.ms))}  (target < ${TARGETS[format]} ms: ${met ? "met" : "NOT met"} at the median); ${heldSummary(busy[format]!)}`);
    }
    const moved = loaded.p99 - quiet.p99;
    goals.push(`editors' p99 moved < 10 ms ${moved < 10 ? "met" : "NOT met"}`);
    console.log(`  ${EDITORS} editors typing in another document: p99 ${quiet.p99.toFixed(1)} ms without exports, ${loaded.p99.toFixed(1)} ms with them (moved ${moved >= 0 ? "+" : ""}${moved.toFixed(1)} ms; target < 10 ms: ${moved < 10 ? "met" : "NOT met"})`);
    console.log(`    p50 ${quiet.p50.toFixed(1)} → ${loaded.p50.toFixed(1)} ms, max ${quiet.max.toFixed(0)} → ${loaded.max.toFixed(0)} ms; server cores ${quiet.serverCores.toFixed(2)} → ${loaded.serverCores.toFixed(2)}; machine cores busy ${quiet.machineCores.toFixed(2)} → ${loaded.machineCores.toFixed(2)}, stolen ${quiet.stolenCores.toFixed(2)} → ${loaded.stolenCores.toFixed(2)}`);
    console.log(`    server event-loop delay: p99 ${quietLoop.p99.toFixed(1)} → ${busyLoop.p99.toFixed(1)} ms, max ${quietLoop.max.toFixed(1)} → ${busyLoop.max.toFixed(1)} ms, mean ${quietLoop.mean.toFixed(1)} → ${busyLoop.mean.toFixed(1)} ms`);
    console.log(`  load average at the end ${loadNow()}`);
    console.log(`  goals: ${goals.join("; ")}`);
  } finally {
    await target.stop();
    dir.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Comparing versions and reporting provenance at scale. A 300-paragraph document (about
 * 40 words a paragraph) is stored as a version, 30 paragraphs are reworded on the server,
 * and a second version is stored; then, in process:
 *   - the pure comparison of the two canonical forms (schema/compare.ts),
 *   - the comparison as the route does it (both versions read from SQLite and parsed),
 *   - the provenance report of a work programme consolidated from four 75-paragraph
 *     reports after 30 source paragraphs changed,
 *   - the lookup every accepted text change pays to notify consolidated documents.
 * Target: compare of two 300-paragraph versions with 30 changed paragraphs under 100 ms.
 *
 *   npx tsx bench/compare.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { indexOfBlock, newId, replaceBlockText, type Block } from "../schema/index.js";
import { compareDocuments } from "../schema/compare.js";
import { createContext } from "../server/app.js";
import { loadConfig } from "../server/config.js";
import { runCommand } from "../server/commands/command.js";
import { SYSTEM } from "../server/audit/audit.js";
import { createDocument } from "../server/documents/documents.js";
import { documentText } from "../server/documents/paragraphs.js";
import { seedDemo } from "../server/seed/demo.js";
import { createVersion, getVersion } from "../server/versions/versions.js";
import { compareVersions } from "../server/versions/compare.js";
import { consolidate } from "../server/consolidation/consolidate.js";
import { provenanceOf } from "../server/consolidation/provenance.js";
import { dependentsOf } from "../server/consolidation/store.js";
import { rng, WORDS } from "./measure.js";

const PARAGRAPHS = 300;
const CHANGED = 30;
const RUNS = 50;

const random = rng(6);
const sentence = (words: number) => Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ") + ".";

function paragraphs(n: number, title: string): Block[] {
  const blocks: Block[] = [{ id: newId("p"), type: "title", kind: "title", level: 0, runs: [{ text: title }] }];
  for (let i = 0; i < n; i++) {
    const kind = i < n / 10 ? "pp" : "op";
    blocks.push({ id: newId("p"), type: "paragraph", kind, level: kind === "op" && i % 7 === 3 ? 1 : 0, runs: [{ text: sentence(40) }] });
  }
  return blocks;
}

/** Rewords `count` paragraphs spread over the document: one word replaced, one inserted. */
function reword(blocks: readonly Block[], count: number): Array<{ id: string; text: string }> {
  const step = Math.floor((blocks.length - 1) / count);
  return Array.from({ length: count }, (_, k) => {
    const block = blocks[1 + k * step]!;
    const words = block.runs[0]!.text.split(" ");
    words[3] = "urgently";
    words.splice(10, 0, "comprehensive");
    return { id: block.id, text: words.join(" ") };
  });
}

/**
 * Times `fn` over RUNS runs after a warm-up; prints wall-clock median, p95 and max, and the
 * median CPU time of this process (the work itself, whatever the neighbours on a shared
 * machine do). Returns the CPU median, on which the target is judged.
 */
function measure(name: string, fn: () => unknown): number {
  for (let i = 0; i < 5; i++) fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
  const f = (ms: number) => ms.toFixed(2).padStart(7);
  console.log(`${name.padEnd(62)} CPU median ${f(at(cpu, 0.5))} ms | wall median ${f(at(wall, 0.5))} ms, p95 ${f(at(wall, 0.95))} ms, max ${f(wall[RUNS - 1]!)} ms`);
  return at(cpu, 0.5);
}

const dataDir = mkdtempSync(join(tmpdir(), "accord-bench-compare-"));
try {
  const config = loadConfig({ PORT: "0", ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent", ACCORD_SYNC: "normal" });
  const ctx = createContext(config);
  const demo = await seedDemo(ctx, config.demoPassword);
  const chair = demo.users.chair!;

  // Two versions of a 300-paragraph document, 30 paragraphs reworded between them.
  const blocks = paragraphs(PARAGRAPHS, "Bench declaration");
  const documentId = runCommand(ctx, (tx) =>
    createDocument(tx, SYSTEM, { meetingId: demo.meetingId, bodyId: demo.bodies.adhoc!, kind: "declaration", title: "Bench", symbol: "BENCH/doc.1", blocks, state: "negotiation" }),
  );
  const v1 = runCommand(ctx, (tx) => createVersion(tx, { ...SYSTEM, id: chair.id }, documentId, { label: "Rev.1", reason: "named" }));
  const edits = reword(blocks, CHANGED);
  runCommand(ctx, (tx) =>
    tx.changeText(documentId, null, (fragment) => {
      for (const e of edits) replaceBlockText(fragment, indexOfBlock(fragment, e.id), [{ text: e.text }]);
    }),
  );
  const v2 = runCommand(ctx, (tx) => createVersion(tx, { ...SYSTEM, id: chair.id }, documentId, { label: "Rev.2", reason: "named" }));
  const a = getVersion(ctx, documentId, v1.id).canonical;
  const b = getVersion(ctx, documentId, v2.id).canonical;
  const check = compareDocuments(a, b);
  if (check.summary.changed !== CHANGED || check.summary.same !== PARAGRAPHS + 1 - CHANGED) throw new Error(`unexpected summary ${JSON.stringify(check.summary)}`);
  console.log(`${PARAGRAPHS} paragraphs, ${CHANGED} changed; summary ${JSON.stringify(check.summary)}; ${RUNS} runs each`);

  const pure = measure("compare two canonical versions (pure, schema/compare.ts)", () => compareDocuments(a, b));
  const route = measure("compare two stored versions (read, parse, compare: the route)", () =>
    compareVersions(ctx, documentId, { version: v1.id }, { version: v2.id }),
  );
  measure("compare a stored version with the current text", () => compareVersions(ctx, documentId, { version: v1.id }, "current"));

  // A work programme from four 75-paragraph reports; 30 source paragraphs then change.
  const reports = [1, 2, 3, 4].map((n) => {
    const report = paragraphs(PARAGRAPHS / 4, `Report ${n}`);
    const id = runCommand(ctx, (tx) =>
      createDocument(tx, SYSTEM, { meetingId: demo.meetingId, bodyId: demo.bodies[`wg${n}`]!, kind: "group_report", title: `Report ${n}`, symbol: `BENCH/doc.${n + 1}`, blocks: report, state: "negotiation" }),
    );
    return { id, blocks: report };
  });
  const wp = runCommand(ctx, (tx) => consolidate(tx, demo.users.rapporteur!, { title: "Bench work programme", sources: reports.map((r) => ({ documentId: r.id })) }));
  for (const r of reports) {
    const changes = reword(r.blocks, CHANGED / 4 + (r === reports[0] ? CHANGED % 4 : 0));
    runCommand(ctx, (tx) =>
      tx.changeText(r.id, null, (fragment) => {
        for (const e of changes) replaceBlockText(fragment, indexOfBlock(fragment, e.id), [{ text: e.text }]);
      }),
    );
  }
  const report = provenanceOf(ctx, wp.documentId);
  console.log(`work programme: ${documentText(ctx, wp.documentId).blocks.length} blocks; provenance summary ${JSON.stringify(report.summary)}`);
  measure("provenance of the work programme (4 sources, 30 changed)", () => provenanceOf(ctx, wp.documentId));
  // What every accepted text change pays to find the consolidated paragraphs it affects.
  const touched = [reports[2]!.blocks[40]!.id];
  measure("source-change lookup of one text change (x1000)", () => {
    for (let i = 0; i < 1000; i++) dependentsOf(ctx, reports[2]!.id, touched);
  });
  measure("same, on a document that feeds no consolidation (x1000)", () => {
    for (let i = 0; i < 1000; i++) dependentsOf(ctx, documentId, touched);
  });

  // Judged on CPU time: the machine is shared, and wall time measures the neighbours' load too.
  const ok = Math.max(pure, route) < 100;
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores`);
  console.log(`target: compare of two 300-paragraph versions with 30 changed under 100 ms (CPU median): ${ok ? "met" : "NOT met"}`);
  ctx.rooms.closeAll();
  ctx.db.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

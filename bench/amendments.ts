/**
 * Listing and diffing amendments at scale: a 300-paragraph document with 300 tabled
 * amendments (replacements, insertions, deletions, 35 sponsoring delegations, co-sponsors,
 * collisions), measured server-side in process: the list alone, the list with both word
 * diffs of every amendment (what the editor's panel asks for), one amendment with its
 * diffs, and the chair accepting one. Target: list + diff of all 300 under 100 ms.
 *
 *   npx tsx bench/amendments.ts
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { runCommand } from "../server/commands/command.js";
import { benchMeeting, longDeclaration } from "./fixtures.js";
import { amendmentJson, amendmentRow, listAmendments } from "../server/amendments/amendments.js";
import { draftAmendment } from "../server/amendments/draft.js";
import { tableAmendment } from "../server/amendments/table.js";
import { joinCosponsors } from "../server/amendments/cosponsors.js";
import { decideAmendment } from "../server/amendments/decide.js";
import { clearDiffMemo } from "../server/amendments/diff.js";
import { wordDiff } from "../schema/diff.js";
import { measure, quantile, rng, stats, WORDS } from "./measure.js";

const PARAGRAPHS = 300;
const AMENDMENTS = 300;
const RUNS = 50;

const random = rng(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const sentence = (n: number) => `To ${Array.from({ length: n }, () => pick(WORDS)).join(" ")}.`;

/** A variant of `text` with about one word in eight replaced, as a delegation's redraft. */
function redraft(text: string): string {
  return text
    .split(" ")
    .map((w) => (random() < 0.125 ? pick(WORDS) : w))
    .join(" ");
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const result = fn();
  return [result, performance.now() - t0];
}

async function main(): Promise<void> {
  const bench = await benchMeeting("amendments");
  const { ctx, demo } = bench;
  try {
    const delegates = Object.values(demo.users).filter((u) => u.role === "delegate");
    const { documentId, blocks } = longDeclaration(bench, {
      title: "A long declaration",
      symbol: "BENCH/1",
      paragraphs: PARAGRAPHS,
      text: () => sentence(25 + Math.floor(random() * 40)),
    });
    const paragraphs = blocks.slice(1);
    const [, seedMs] = time(() =>
      runCommand(ctx, (tx) => {
        for (let i = 0; i < AMENDMENTS; i++) {
          // Every paragraph gets one on average, some two or three (collisions), some none.
          const target = paragraphs[Math.floor(random() * paragraphs.length)]!;
          const sponsor = delegates[i % delegates.length]!;
          const roll = random();
          const operation = roll < 0.7 ? "replace" : roll < 0.8 ? "insert_after" : roll < 0.9 ? "insert_before" : "delete";
          const content = operation === "delete" ? undefined : { text: operation === "replace" ? redraft(target.runs[0]!.text) : sentence(30) };
          const drafted = draftAmendment(tx, sponsor, documentId, { paragraphId: target.id, operation, content, rationale: sentence(12) });
          tableAmendment(tx, sponsor, drafted.id);
          for (let c = 0; c < 2; c++) {
            const co = delegates[(i + 7 + c * 11) % delegates.length]!;
            if (co.delegation !== sponsor.delegation) joinCosponsors(tx, co, drafted.id);
          }
        }
      }),
    );
    const viewer = delegates[0]!;

    const first = listAmendments(ctx, viewer, documentId, {}, true);
    const cold = measure(RUNS, () => listAmendments(ctx, viewer, documentId, {}, true), clearDiffMemo);
    const warm = measure(RUNS, () => listAmendments(ctx, viewer, documentId, {}, true));
    const listOnly = measure(RUNS, () => listAmendments(ctx, viewer, documentId, {}, false));
    let r = 0;
    const one = measure(RUNS, () => amendmentJson(ctx, amendmentRow(ctx, first[r++ % first.length]!.id)!, true));
    const json = measure(RUNS, () => JSON.stringify(first));
    const jsonKb = JSON.stringify(first).length / 1024;
    const replacements = first.filter((a) => a.operation === "replace");
    const diffsOnly = measure(RUNS, () => replacements.forEach((a) => wordDiff(a.baseText ?? "", a.content && !Array.isArray(a.content) ? a.content.text : "")));
    const runs = first.reduce((n, a) => n + ("diff" in a ? (a.diff.current?.length ?? 0) + a.diff.base.length : 0), 0);
    const colliding = first.filter((a) => a.collidesWith.length > 0).length;

    const chair = demo.users.chair!;
    const replacement = first.find((a) => a.operation === "replace" && a.collidesWith.length > 0)!;
    const decide = measure(1, () => runCommand(ctx, (tx) => decideAmendment(tx, chair, replacement.id, { decision: "accepted" })));
    // The text changed: the next listing decodes the stored document again and diffs anew.
    const after = measure(1, () => listAmendments(ctx, viewer, documentId, {}, true));

    console.log(`amendments bench: ${PARAGRAPHS} paragraphs, ${first.length} amendments (${colliding} colliding), ${runs} diff runs`);
    console.log(`  seeding (draft + table + co-sponsors, one transaction): ${seedMs.toFixed(0)} ms`);
    console.log(`  list + diff all, diffs not memoised (${RUNS} runs): ${stats(cold)}`);
    console.log(`  list + diff all, diffs memoised (${RUNS} runs):     ${stats(warm)}`);
    console.log(`  JSON of that answer (${jsonKb.toFixed(0)} KB), ${RUNS} runs:        ${stats(json)}`);
    console.log(`  list without diffs (${RUNS} runs):                  ${stats(listOnly)}`);
    console.log(`  ${replacements.length} replacements' word diffs alone (${RUNS} runs): ${stats(diffsOnly)}`);
    console.log(`  one amendment with diffs (${RUNS} runs):            ${stats(one)}`);
    console.log(`  chair accepts one (load live text, apply, stale others, audit, store): ${stats(decide)}`);
    console.log(`  list + diff all right after the acceptance:      ${stats(after)}`);
    // Judged on CPU time: on a shared machine wall time measures the neighbours as well.
    const ok = quantile(cold.cpu, 0.5) < 100;
    console.log(`  target (median CPU < 100 ms for list + diff of all, not memoised): ${ok ? "met" : "NOT met"}`);
    console.log(`  machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} (wall above CPU means waiting for a core)`);
  } finally {
    bench.close();
  }
}

await main();

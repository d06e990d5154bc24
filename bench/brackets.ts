/**
 * The bracket register and the canonical hash at the scale of a hard negotiation (the
 * Paris Agreement draft carried 1,490 brackets): a 300-paragraph document with 1,500
 * brackets, nested three deep in every paragraph, 100 option groups, holders from 35
 * delegations — all opened through the commands, as delegates would. Measured in process:
 * the register (with and without each bracket's history), the canonical form and hash,
 * the compilation text, what the guards report, and the server's rule on one paragraph's
 * bracket marks (what every keystroke in a bracketed paragraph costs). Target: register
 * and canonical hash each under 50 ms on the first read of a text version; a repeated read
 * of the same version is served from the read-model's cache and costs next to nothing.
 *
 *   npx tsx bench/brackets.ts
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { runCommand } from "../server/commands/command.js";
import { documentContent } from "../server/documents/documents.js";
import { documentText } from "../server/documents/paragraphs.js";
import { blockElement } from "../server/brackets/spans.js";
import * as Y from "yjs";
import type { Connection } from "../server/collab/connection.js";
import { benchMeeting, longDeclaration } from "./fixtures.js";
import { openBracket } from "../server/brackets/open.js";
import { addBracketOption } from "../server/brackets/options.js";
import { joinBracketHold } from "../server/brackets/holds.js";
import { bracketRegister } from "../server/brackets/register.js";
import { compilationText } from "../server/brackets/texts.js";
import { measure, quantile, rng, stats, WORDS } from "./measure.js";

const PARAGRAPHS = 300;
const OPTION_GROUPS = 100;
const RUNS = 30;

const random = rng(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** [from, to) of words a..b (inclusive) of a sentence whose words are separated by one space. */
function wordSpan(text: string, a: number, b: number): { from: number; to: number } {
  const words = text.split(" ");
  const from = words.slice(0, a).join(" ").length + (a > 0 ? 1 : 0);
  const to = words.slice(0, b + 1).join(" ").length;
  return { from, to };
}

async function main(): Promise<void> {
  const bench = await benchMeeting("brackets");
  const { ctx, demo } = bench;
  try {
    const delegates = Object.values(demo.users).filter((u) => u.role === "delegate");
    const { documentId, blocks } = longDeclaration(bench, {
      title: "A heavily bracketed declaration",
      symbol: "BENCH/BRACKETS",
      paragraphs: PARAGRAPHS,
      text: () => `To ${Array.from({ length: 40 }, () => pick(WORDS)).join(" ")}.`,
    });
    // Keep the document's room loaded, as it is while delegates have it open: a stand-in
    // for one connected client that receives (and drops) every broadcast.
    // Every method a no-op, whatever the room calls on its connections.
    const someone = new Proxy({ wantsEvents: false, user: demo.users.chair }, {
      get: (target, key) => (key in target ? target[key as keyof typeof target] : () => undefined),
    }) as unknown as Connection;
    ctx.rooms.open(documentId).conns.add(someone);

    let n = 0;
    const delegate = () => delegates[n++ % delegates.length]!;
    const t0 = performance.now();
    const paragraphs = blocks.slice(1);
    for (let start = 0; start < paragraphs.length; start += 30) {
      runCommand(ctx, (tx) => {
        paragraphs.slice(start, start + 30).forEach((p, j) => {
          const i = start + j;
          const text = p.runs[0]!.text;
          // Three deep: words 2–14, inside it 4–10, inside that 5–7; then 20–23, and 28–31
          // or, in the first 100 paragraphs, an option beside 20–23 instead.
          const spans = [wordSpan(text, 2, 14), wordSpan(text, 4, 10), wordSpan(text, 5, 7), wordSpan(text, 20, 23)];
          if (i >= OPTION_GROUPS) spans.push(wordSpan(text, 28, 31));
          const opened = spans.map((s) => openBracket(tx, delegate(), documentId, { paragraphId: p.id, ...s }));
          if (i < OPTION_GROUPS) addBracketOption(tx, delegate(), opened[3]!.id, { text: " or else this wording" });
          // Every third bracket has a second holder.
          opened.forEach((b, k) => {
            if ((i + k) % 3 !== 0) return;
            let other = delegate();
            while (other.delegation === b.holders[0]) other = delegate();
            joinBracketHold(tx, other, b.id);
          });
        });
      });
    }
    const seedMs = performance.now() - t0;

    const current = documentText(ctx, documentId).blocks;
    const first = bracketRegister(ctx, documentId, { history: true });
    const depth = Math.max(
      ...current.flatMap((b) => b.runs.map((r) => r.brackets?.length ?? 0)),
    );
    const groups = new Set(first.brackets.map((b) => b.group).filter((g) => g !== null)).size;
    const holds = first.brackets.reduce((sum, b) => sum + b.holders.length, 0);

    const register = measure(RUNS, () => bracketRegister(ctx, documentId));
    const registerHistory = measure(RUNS, () => bracketRegister(ctx, documentId, { history: true }));
    // After a delegate typed in one paragraph: only that paragraph is read again.
    let k = 0;
    const edits: number[] = [];
    const registerAfterEdit = measure(RUNS, () => {
      const target = paragraphs[k++ % paragraphs.length]!.id;
      const e = performance.now();
      runCommand(ctx, (tx) => tx.changeText(documentId, null, (fragment) => (blockElement(fragment, target)!.get(0) as Y.XmlText).insert(0, "x")));
      edits.push(performance.now() - e);
      const t = performance.now();
      bracketRegister(ctx, documentId);
      return performance.now() - t;
    });
    const registerCold = (() => {
      const room = ctx.rooms.get(documentId)!;
      room.conns.delete(someone);
      ctx.rooms.releaseIfIdle(room);
      // The first read decodes the stored text; the others find it cached for its version.
      const first = measure(1, () => bracketRegister(ctx, documentId));
      const again = measure(5, () => bracketRegister(ctx, documentId));
      ctx.rooms.open(documentId).conns.add(someone);
      return { first, again };
    })();
    const hash = measure(RUNS, () => documentContent(ctx, documentId));
    // The first read of each text version: a character typed before each.
    const hashAfterEdit = measure(
      RUNS,
      () => documentContent(ctx, documentId),
      () => runCommand(ctx, (tx) => tx.changeText(documentId, null, (fragment) => (blockElement(fragment, paragraphs[k++ % paragraphs.length]!.id)!.get(0) as Y.XmlText).insert(0, "y"))),
    );
    const compilation = measure(RUNS, () => compilationText(ctx, documentId));
    const guards = measure(RUNS, () => ctx.guards.documentBlockers(ctx, documentId));
    const marks = current[1]!.runs.flatMap((r) => r.brackets ?? []);
    const rule = measure(RUNS * 10, () => {
      for (const m of marks) ctx.hooks.bracketProblem(documentId, current[1]!.id, m);
    });
    const json = JSON.stringify(first).length;

    console.log(
      `brackets bench: ${PARAGRAPHS} paragraphs, ${first.counts.open} open brackets (nesting depth ${depth}, ${groups} option groups), ${holds} holds by ${Object.keys(first.byHolder).length} delegations`,
    );
    console.log(`  opening them through the commands (open/option/join, audited): ${seedMs.toFixed(0)} ms, ${(seedMs / first.counts.open).toFixed(2)} ms a bracket`);
    console.log(`  register, read again (${RUNS} runs):     ${stats(register)}  (cached per text version)`);
    console.log(`  register after an edit in one paragraph: median ${quantile(registerAfterEdit.returned, 0.5).toFixed(2)} ms, p90 ${quantile(registerAfterEdit.returned, 0.9).toFixed(2)} ms`);
    console.log(`  one character typed in a bracketed paragraph (stored, every feature's reactions): median ${quantile(edits, 0.5).toFixed(2)} ms, p90 ${quantile(edits, 0.9).toFixed(2)} ms`);
    console.log(`  register, document not open: first read ${stats(registerCold.first)}; read again (5 runs) ${stats(registerCold.again)}`);
    console.log(`  register with every history, read again (${RUNS} runs): ${stats(registerHistory)}; ${(json / 1024).toFixed(0)} KiB of JSON`);
    console.log(`  canonical form + hash, read again (${RUNS} runs): ${stats(hash)}  (cached per text version)`);
    console.log(`  canonical form + hash, first read after an edit (${RUNS} runs): ${stats(hashAfterEdit)}`);
    console.log(`  compilation text (${RUNS} runs):         ${stats(compilation)}`);
    console.log(`  guards: document blockers (${RUNS} runs): ${stats(guards)}`);
    console.log(`  rule on one paragraph's ${marks.length} marks (${RUNS * 10} runs): ${stats(rule)}`);
    // The target holds for the first read of a text version, not only for cached ones.
    const met = (t: "wall" | "cpu") => (quantile(registerAfterEdit.returned, 0.5) < 50 && quantile(hashAfterEdit[t], 0.5) < 50 ? "met" : "NOT met");
    // Wall time on a shared machine measures its load as much as this code: say how loaded it was.
    const load = loadavg()[0]!.toFixed(1);
    console.log(`  target (median < 50 ms for register and for canonical hash): ${met("cpu")} in CPU time, ${met("wall")} in wall time (load average ${load} on ${cpus().length} cores)`);
  } finally {
    bench.close();
  }
}

await main();

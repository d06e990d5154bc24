/**
 * Language versions at the scale of a long outcome document: a 300-paragraph declaration
 * in four languages (the original and three versions, every paragraph translated and
 * marked done) while 35 editors type in the original, each in their own paragraph, one
 * keystroke each per round, through the rooms' own path (received, validated, stored in
 * one transaction with the features' reactions, broadcast). Measured in process, as the
 * server runs them:
 * - the translation status of all four languages (`GET /api/documents/:id/languages`, and
 *   each version's `translation-status` with the original's diffs), after every round of
 *   typing (so on a text version nobody has read yet); goal under 50 ms;
 * - a structural change of the original (a paragraph added, deleted, moved) applied to
 *   the three versions, the server time of the follow alone (`followTimings`), with the
 *   versions open (translators at work) and closed (no translator connected: loaded from
 *   the store by the first follow, then kept loaded while the original's room is open);
 *   goal under 20 ms.
 *
 *   npx tsx bench/languages.ts
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import * as Y from "yjs";
import { replaceBlockText, textFragment } from "../schema/index.js";
import type { User } from "../server/auth/users.js";
import { runCommand } from "../server/commands/command.js";
import type { Connection } from "../server/collab/connection.js";
import { encodeSyncUpdate } from "../server/collab/protocol.js";
import { documentRow } from "../server/documents/documents.js";
import { followTimings } from "../server/languages/follow.js";
import { languageEntries, markTranslated, translationStatuses } from "../server/languages/status.js";
import { createLanguageVersion } from "../server/languages/versions.js";
import { benchMeeting, longDeclaration } from "./fixtures.js";
import { quantile, rng, WORDS } from "./measure.js";

const PARAGRAPHS = 300;
const EDITORS = 35;
const ROUNDS = 200;
const STRUCTURAL = 30;
const LANGUAGES = ["es", "fr", "pt"] as const;

const random = rng(11);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** A stand-in for one editor's websocket: the room's calls on it do nothing. */
function connection(user: User): Connection {
  return {
    user,
    wantsEvents: false,
    writeDenial: null,
    refusals: 0,
    presenceTokens: Number.POSITIVE_INFINITY,
    presenceRefilledAt: 0,
    presenceRefusedAt: Number.NEGATIVE_INFINITY,
    resync: false,
    awarenessIds: new Set<number>(),
    send() {},
    sendFrames() {},
    close() {},
  } as unknown as Connection;
}

/** An editor: its own copy of the text, typing at the end of paragraph `index`, and its connection. */
interface Editor {
  doc: Y.Doc;
  conn: Connection;
  index: number;
  last: Uint8Array | null;
}

/** Wall-clock and CPU milliseconds of the same calls. */
interface Samples {
  wall: number[];
  cpu: number[];
}

const samples = (): Samples => ({ wall: [], cpu: [] });

/** Runs `fn`, adding its wall-clock and CPU time to `into`. */
function timed<T>(into: Samples, fn: () => T): T {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = fn();
  into.wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  into.cpu.push((c.user + c.system) / 1000);
  return result;
}

function line(name: string, s: Samples): string {
  const f = (n: number) => n.toFixed(2).padStart(7);
  return `${name.padEnd(56)} wall p50 ${f(quantile(s.wall, 0.5))} p95 ${f(quantile(s.wall, 0.95))} ms | CPU p50 ${f(quantile(s.cpu, 0.5))} p95 ${f(quantile(s.cpu, 0.95))} ms`;
}

async function main(): Promise<void> {
  const bench = await benchMeeting("languages");
  const { ctx, demo } = bench;
  try {
    const { documentId } = longDeclaration(bench, {
      title: "A declaration in four languages",
      symbol: "BENCH/LANGUAGES",
      paragraphs: PARAGRAPHS,
      text: () => `To ${Array.from({ length: 30 }, () => pick(WORDS)).join(" ")}.`,
    });
    const secretariat = demo.users.secretariat!;
    const versions = LANGUAGES.map((language) =>
      runCommand(ctx, (tx) => {
        const v = createLanguageVersion(tx, secretariat, documentRow(ctx, documentId)!, language);
        tx.changeText(v.id, secretariat, (fragment) => {
          for (let i = 0; i < fragment.length; i++) replaceBlockText(fragment, i, [{ text: `[${language}] ${Array.from({ length: 30 }, () => pick(WORDS)).join(" ")}` }]);
        });
        const row = documentRow(ctx, v.id)!;
        for (const p of translationStatuses(ctx, v.id, documentId, false)) markTranslated(tx, secretariat, row, p.paragraphId);
        return v.id;
      }),
    );

    const room = ctx.rooms.open(documentId);
    const delegates = Object.values(demo.users).filter((u) => u.role === "delegate").slice(0, EDITORS);
    const state = Y.encodeStateAsUpdate(room.doc);
    const editors: Editor[] = delegates.map((user, k) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, state);
      const editor: Editor = { doc, conn: connection(user), index: 45 + k * 7, last: null };
      doc.on("update", (u: Uint8Array) => (editor.last = u));
      ctx.rooms.attach(room, editor.conn);
      return editor;
    });
    const chair = demo.users.chair!;
    const structural: Editor = { doc: new Y.Doc(), conn: connection(chair), index: 0, last: null };
    structural.doc.on("update", (u: Uint8Array) => (structural.last = u));
    ctx.rooms.attach(room, structural.conn);

    /** One keystroke of every editor, received and flushed as the event loop's turn would. */
    const typeRound = () => {
      for (const e of editors) {
        const el = textFragment(e.doc).get(e.index) as Y.XmlElement;
        const text = el.get(0) as Y.XmlText;
        text.insert(text.length, pick(["a", "e", "s", " "]));
        room.receive(e.conn, encodeSyncUpdate(e.last!));
      }
      ctx.rooms.flushNow();
    };

    /** A structural change by the chair: add a paragraph, delete it again, or move one. */
    let made = 0;
    const structuralChange = () => {
      Y.applyUpdate(structural.doc, Y.encodeStateAsUpdate(room.doc, Y.encodeStateVector(structural.doc)));
      const fragment = textFragment(structural.doc);
      const kind = made % 3;
      structural.doc.transact(() => {
        if (kind === 0) {
          const model = fragment.get(60) as Y.XmlElement;
          const added = new Y.XmlElement("paragraph");
          for (const [k, v] of Object.entries(model.getAttributes())) added.setAttribute(k, v as string);
          added.setAttribute("id", `pBench${made}`);
          added.insert(0, [new Y.XmlText("To consider the question at its next session.")]);
          fragment.insert(61, [added]);
        } else if (kind === 1) {
          fragment.delete(61, 1);
        } else {
          // Moved: the paragraph at 250 to 100, as y-prosemirror moves (a copy with the same id).
          const moving = fragment.get(250) as Y.XmlElement;
          const copy = new Y.XmlElement("paragraph");
          for (const [k, v] of Object.entries(moving.getAttributes())) copy.setAttribute(k, v as string);
          copy.insert(0, [new Y.XmlText(moving.toArray().map((t) => t.toString()).join(""))]);
          fragment.delete(250, 1);
          fragment.insert(100, [copy]);
        }
      });
      made += 1;
      room.receive(structural.conn, encodeSyncUpdate(structural.last!));
      ctx.rooms.flushNow();
    };

    // Warm-up: the read-model, the statements, the JIT.
    for (let i = 0; i < 10; i++) typeRound();
    languageEntries(ctx, documentRow(ctx, documentId)!);

    const counts = samples();
    const withDiffs = samples();
    const typing = samples();
    for (let round = 0; round < ROUNDS; round++) {
      timed(typing, typeRound);
      timed(counts, () => languageEntries(ctx, documentRow(ctx, documentId)!));
      if (round % 4 === 0) timed(withDiffs, () => versions.map((v) => translationStatuses(ctx, v, documentId, true)));
    }

    // Structural changes with the versions closed (the first follow loads them from the store; they stay loaded with the original).
    const closed = samples();
    const follow = (into: Samples) => {
      const before = followTimings.length;
      structuralChange();
      const last = followTimings.at(-1);
      if (followTimings.length > before && last) {
        into.wall.push(last.ms);
        into.cpu.push(last.cpuMs);
      }
      typeRound();
    };
    for (let i = 0; i < STRUCTURAL; i++) follow(closed);
    // And with the versions open, as while translators work in them.
    const translators = versions.map((v) => {
      const r = ctx.rooms.open(v);
      const c = connection(secretariat);
      ctx.rooms.attach(r, c);
      return r;
    });
    const open = samples();
    for (let i = 0; i < STRUCTURAL; i++) follow(open);
    const aligned = versions.every((v) => JSON.stringify(ctx.rooms.get(v)!.currentBlockIds() ? [...ctx.rooms.get(v)!.currentBlockIds()] : []) === JSON.stringify([...room.currentBlockIds()]));

    const [l1, l5, l15] = loadavg();
    console.log(`Language versions: ${PARAGRAPHS} paragraphs, ${LANGUAGES.length + 1} languages, ${EDITORS} editors typing in the original`);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}; load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)} / ${l15!.toFixed(2)} (1/5/15 min) at the end`);
    console.log(line(`a round of ${EDITORS} keystrokes (received, stored, reacted)`, typing));
    console.log(line("translation status of all four (counts, /languages)", counts));
    console.log(line("translation status of the three versions with diffs", withDiffs));
    console.log(line(`structural change → 3 versions, closed (${closed.wall.length})`, closed));
    console.log(line(`structural change → 3 versions, open (${open.wall.length})`, open));
    console.log(`versions aligned with the original at the end: ${aligned ? "yes" : "NO"}`);
    const met = (s: Samples, goal: number) => `wall ${quantile(s.wall, 0.5) < goal ? "met" : "NOT met"} / CPU ${quantile(s.cpu, 0.5) < goal ? "met" : "NOT met"}`;
    console.log(`goals at p50 (on a loaded shared machine wall time is mostly waiting for a core; CPU time is the work):`);
    console.log(`  status of all four < 50 ms: counts ${met(counts, 50)}; with diffs ${met(withDiffs, 50)}`);
    console.log(`  structural change to three versions < 20 ms: open ${met(open, 20)}; closed ${met(closed, 20)}`);
    for (const r of translators) for (const c of [...r.conns]) ctx.rooms.detach(r, c);
    for (const e of editors) e.doc.destroy();
  } finally {
    bench.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

import * as Y from "yjs";
import { performance } from "node:perf_hooks";

/** One timing of the fixed work (see `speedCheck`), ms. */
function timeOnce(): number {
  const source = new Y.Doc();
  const text = source.getText("t");
  const updates: Uint8Array[] = [];
  source.on("update", (u: Uint8Array) => updates.push(u));
  text.insert(0, "x".repeat(100));
  const writers = Array.from({ length: 100 }, () => {
    const d = new Y.Doc();
    Y.applyUpdate(d, Y.encodeStateAsUpdate(source));
    d.on("update", (u: Uint8Array) => updates.push(u));
    return d;
  });
  for (let i = 0; i < 5_000; i++) {
    const w = writers[i % writers.length]!;
    w.getText("t").insert(i % 100, "y");
  }
  const started = performance.now();
  const target = new Y.Doc();
  for (const u of updates) Y.applyUpdate(target, u);
  Y.encodeStateAsUpdate(target);
  return performance.now() - started;
}

/**
 * A fixed piece of CPU work, timed: 5,000 one-character inserts by 100 clients applied to a
 * Yjs document, then encoded, which is what a collaboration server spends its time on; the
 * median of five after one unmeasured run. Taken at the start and at the end of a
 * comparison, it shows whether the machine's speed drifted during the run (on this virtual
 * machine it has, by a factor of two).
 */
export function speedCheck(): number {
  timeOnce();
  const times = Array.from({ length: 5 }, timeOnce).sort((a, b) => a - b);
  return times[2]!;
}

/**
 * What the in-process benches share: deterministic random numbers (every run measures the
 * same document) and timing with wall-clock and CPU time side by side.
 */
import { performance } from "node:perf_hooks";

/** The vocabulary of the benches' generated paragraphs: the words of a trafficking declaration. */
export const WORDS =
  "member states shall should may adopt strengthen cooperation trafficking persons victims protection assistance prevention prosecution national regional international programmes strategies resources consular judicial police information exchange competent authorities children women migrants shelters repatriation reintegration training awareness campaigns".split(
    " ",
  );

/** A deterministic pseudo-random number generator in [0, 1) (a linear congruential one). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** The `p` quantile (0…1) of some samples. */
export function quantile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Timings of repeated calls; `returned` collects what the calls returned when it was a number. */
export interface Timings {
  wall: number[];
  cpu: number[];
  returned: number[];
}

/**
 * Wall-clock and CPU milliseconds (this process, user + system) of each of `runs` calls;
 * `before` runs untimed before each call (e.g. to clear a cache).
 */
export function measure(runs: number, fn: () => unknown, before?: () => void): Timings {
  const timings: Timings = { wall: [], cpu: [], returned: [] };
  for (let i = 0; i < runs; i++) {
    before?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = fn();
    timings.wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    timings.cpu.push((c.user + c.system) / 1000);
    if (typeof r === "number") timings.returned.push(r);
  }
  return timings;
}

/**
 * Median and p90 as one line. The machine may be shared: CPU time shows the work, wall
 * time what a caller waits.
 */
export function stats(t: Pick<Timings, "wall" | "cpu">): string {
  return `median ${quantile(t.wall, 0.5).toFixed(2)} ms (CPU ${quantile(t.cpu, 0.5).toFixed(2)} ms), p90 ${quantile(t.wall, 0.9).toFixed(2)} ms`;
}

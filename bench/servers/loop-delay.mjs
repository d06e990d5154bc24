/**
 * Preloaded into a server under measurement (`node --import ./bench/servers/loop-delay.mjs`):
 * watches its event loop's delay. On SIGUSR2 it writes what it saw since the last signal to
 * the file named by BENCH_LOOP_DELAY_FILE (milliseconds: p50, p99, max, mean; and the
 * number of samples) and starts again, so that a bench can ask for the delay of each phase.
 * Plain JavaScript: it is loaded before tsx.
 */
import { renameSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_LOOP_DELAY_FILE;
if (file) {
  // 5 ms sampling: fine enough to see a 10 ms stall, cheap enough not to cause one.
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  process.on("SIGUSR2", () => {
    const ms = (ns) => ns / 1e6;
    const seen = {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      mean: ms(histogram.mean),
      count: histogram.count,
    };
    writeFileSync(`${file}.partial`, JSON.stringify(seen));
    renameSync(`${file}.partial`, file);
    histogram.reset();
  });
}

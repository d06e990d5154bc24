import { handleProbes } from "./probes.js";
import { handleWriters } from "./writers.js";
import type { FromProbes, FromWriters, ToProbes, ToWriters } from "./messages.js";

/**
 * The whole load generator in one process (forked by the load runner with `oneProcess`):
 * the light writers and the stock probes share one event loop, as they do in a measurement
 * that runs one generator process. Messages are tagged with the role they are for.
 */
process.on("message", (m: { role: "writers"; message: ToWriters } | { role: "probes"; message: ToProbes }) => {
  if (m.role === "writers") handleWriters(m.message, (r: FromWriters) => process.send!({ role: "writers", message: r }));
  else handleProbes(m.message, (r: FromProbes) => process.send!({ role: "probes", message: r }));
});

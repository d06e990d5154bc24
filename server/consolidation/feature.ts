import type { Feature } from "../features.js";
import { guardPendingSourceChanges } from "./guards.js";
import { watchSources } from "./hooks.js";
import { consolidationRoutes } from "./routes.js";

/**
 * Consolidation: work programmes built from the group reports with provenance per
 * paragraph, source changes pulled or declined. A consolidated document is not clean while
 * a source change is pending. The demo leaves the work programme for the rapporteur to
 * create.
 */
export const consolidationFeature: Feature = {
  name: "consolidation",
  routes: consolidationRoutes,
  hooks(ctx) {
    watchSources(ctx);
    guardPendingSourceChanges(ctx);
  },
};

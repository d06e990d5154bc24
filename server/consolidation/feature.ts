import { Router } from "express";
import { compareRoutes } from "../compare/routes.js";
import type { Feature } from "../features.js";
import { guardPendingSourceChanges } from "./guards.js";
import { watchSources } from "./hooks.js";
import { consolidationRoutes } from "./routes.js";

/**
 * Consolidation, versions and compare: work programmes built from the group
 * reports with provenance per paragraph, source changes pulled or declined, comparison of
 * any two versions. A consolidated document is not clean while a source change is pending.
 * The demo leaves the work programme for the rapporteur to create.
 */
export const consolidationFeature: Feature = {
  name: "consolidation",
  routes(ctx) {
    const router = Router();
    router.use(consolidationRoutes(ctx));
    router.use(compareRoutes(ctx));
    return router;
  },
  hooks(ctx) {
    watchSources(ctx);
    guardPendingSourceChanges(ctx);
  },
};

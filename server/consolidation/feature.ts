import { Router } from "express";
import { compareRoutes } from "../compare/routes.js";
import type { Feature } from "../features.js";
import { watchSources } from "./hooks.js";
import { consolidationRoutes } from "./routes.js";

/**
 * Consolidation, versions and compare (issue 6): work programmes built from the group
 * reports with provenance per paragraph, source changes pulled or declined, comparison of
 * any two versions. The demo leaves the work programme for the rapporteur to create.
 */
export const consolidationFeature: Feature = {
  name: "consolidation",
  routes(ctx) {
    const router = Router();
    router.use(consolidationRoutes(ctx));
    router.use(compareRoutes(ctx));
    return router;
  },
  hooks: watchSources,
};

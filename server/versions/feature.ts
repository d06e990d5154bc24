import type { Feature } from "../features.js";
import { versionRoutes } from "./routes.js";
import { createVersion } from "./versions.js";

/**
 * Versions and compare: named versions (Rev.1, Rev.2, the symbol gains `rev. n`), the
 * versions the lifecycle stores at each transition, any version opened read-only, and the
 * comparison of two versions paragraph by paragraph (added, deleted, moved, changed with
 * the word diff). Its table is `versions` (migrations/004_lifecycle.sql).
 */
export const versionsFeature: Feature = {
  name: "versions",
  routes: versionRoutes,
  // Other features' acts that store a version (the secretariat's renumbering) go through here.
  hooks: (ctx) => ctx.hooks.setVersionStore((tx, who, documentId, input) => createVersion(tx, who, documentId, input)),
};

import type { Feature } from "../features.js";
import { exportRoutes } from "./routes.js";

/**
 * Exports of a document (issues 5 and 7): a printable, self-contained HTML page and a
 * plain text, with open brackets, reservations as footnotes and, once adopted, the
 * signatures. Read-only: no hooks, no seed.
 */
export const exportsFeature: Feature = {
  name: "exports",
  routes: exportRoutes,
};

import type { Feature } from "../features.js";
import { exportRoutes } from "./routes.js";

/**
 * Exports of a document: a printable HTML page, plain text, Word (also as tracked changes
 * against an earlier version), PDF and Akoma Ntoso XML, in the current, clean or
 * compilation view, with open brackets, reservations as footnotes and, once adopted, the
 * signatures. Read-only: no hooks, no seed.
 */
export const exportsFeature: Feature = {
  name: "exports",
  routes: exportRoutes,
};

import type { Feature } from "../features.js";
import { numberingRoutes } from "./routes.js";
import { freezeDocumentsUnderNegotiation } from "./upgrade.js";

/**
 * Stable numbering: a document's numbers are frozen when it leaves the draft
 * (`server/documents/freeze.ts`, table `paragraph_numbers`, migrations/027), read by every
 * consumer through the paragraph read-model, and renumbered once by the secretariat as a
 * recorded act that stores a version. At start it freezes the numbers of documents that
 * were under negotiation before stable numbering existed.
 */
export const numberingFeature: Feature = {
  name: "numbering",
  routes: numberingRoutes,
  hooks: freezeDocumentsUnderNegotiation,
};

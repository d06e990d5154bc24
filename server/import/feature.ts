import type { Feature } from "../features.js";
import { importRoutes } from "./routes.js";

/** Import of a DOCX or plain-text draft into a new document, with a dry run that shows the structure found and every warning. */
export const importFeature: Feature = {
  name: "import",
  routes: importRoutes,
};

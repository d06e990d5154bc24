import { registerOwner } from "../auth/owners.js";
import type { Feature } from "../features.js";
import { footnoteRoutes } from "./routes.js";

/**
 * The secretariat's reference footnotes: placed at a point of the text and kept there by a
 * Yjs relative position as the text is edited, printed at that point by every export;
 * distinct from reservations (a delegation's statement) and outside the canonical form (a
 * note never changes the text's hash). Table `document_notes` (migrations/013_import.sql,
 * migrations/033_note_anchors.sql).
 */
export const footnotesFeature: Feature = {
  name: "footnotes",
  routes(ctx) {
    registerOwner("footnotes", "footnote", "SELECT d.meeting_id FROM document_notes n JOIN documents d ON d.id = n.document_id WHERE n.id = ? AND n.kind = 'footnote'");
    return footnoteRoutes(ctx);
  },
};

import type { Feature } from "../features.js";
import { documentStatusBlockers } from "./guards.js";
import { statusRoutes } from "./routes.js";
import { seedStatuses } from "./seed.js";
import { resetParagraphStatus } from "./set.js";
import { installAgreedTextLock } from "./lock.js";
import { agreedParagraphRemovalRule } from "./removal.js";

/**
 * Paragraph agreement status (white → yellow → green, or ad ref): set by the chairs,
 * agreed text locked until its chair reopens it (back to white), an agreed paragraph kept
 * from a delegate's deletion, and reported to the lifecycle as what
 * keeps a document from being agreed (paragraphs still white). Its table is
 * `paragraph_statuses` (migrations/010_paragraph_statuses.sql).
 */
export const statusFeature: Feature = {
  name: "status",
  routes: statusRoutes,
  hooks(ctx) {
    installAgreedTextLock(ctx);
    // After the brackets' removal rules (FEATURES order): a bracketed paragraph's reason comes first.
    ctx.hooks.addRemovalRule(agreedParagraphRemovalRule(ctx));
    ctx.hooks.onObjection((tx, objection) => resetParagraphStatus(tx, objection.user, objection, objection.because));
    ctx.guards.addDocumentCheck(documentStatusBlockers);
  },
  // After the brackets: a paragraph is agreed only once nothing in it is open.
  seed: seedStatuses,
};

/**
 * The panels of the document page, in the order their tabs appear. The panels engineer
 * adds each panel here (one import, one entry); the page mounts whichever are `available`.
 */
import type { Panel } from "./context.js";
import { amendmentsPanel } from "./amendments.js";
import { bracketsPanel } from "./brackets.js";
import { statusPanel } from "./status.js";
import { lifecyclePanel } from "./lifecycle.js";
import { versionsPanel } from "./versions.js";
import { consolidationPanel } from "./consolidation.js";
import { recommendationsPanel } from "./recommendations.js";
import { commentsPanel, notesPanel } from "./comments.js";
// The panels' styles; esbuild (loader ".css") emits them into dist/app.css next to app.js.
import "./panels.css";

/** Every panel the document page offers. */
export const PANELS: Panel[] = [amendmentsPanel, bracketsPanel, statusPanel, lifecyclePanel, versionsPanel, consolidationPanel, recommendationsPanel, commentsPanel, notesPanel];

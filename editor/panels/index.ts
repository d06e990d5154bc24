/**
 * The panels of the document page, in the order their tabs appear. The panels engineer
 * adds each panel here (one import, one entry); the page mounts whichever are `available`.
 */
import type { Panel } from "./context.js";
import { amendmentsPanel } from "./amendments.js";
import { registerPanel } from "./register.js";

/** Every panel the document page offers. */
export const PANELS: Panel[] = [amendmentsPanel, registerPanel];

import type { Feature } from "../features.js";
import { documentBracketBlockers, paragraphBracketBlockers } from "./guards.js";
import { bracketedParagraphRemovalRule, bracketRemovalRule, bracketRule, closeRemovedBrackets } from "./removed.js";
import { bracketRoutes } from "./routes.js";
import { seedBrackets } from "./seed.js";

/**
 * Bracketed text and option groups: the server owns every bracket mark (client updates may
 * only carry open brackets it opened, in their own paragraph), closes brackets whose text
 * an edit deleted, tells whoever keeps agreement that a bracket opened in a paragraph
 * (an objection), and tells the lifecycle what keeps a document or paragraph from agreement.
 */
export const bracketsFeature: Feature = {
  name: "brackets",
  routes: bracketRoutes,
  hooks(ctx) {
    ctx.hooks.addBracketRule(bracketRule(ctx));
    ctx.hooks.addRemovalRule(bracketRemovalRule(ctx));
    ctx.hooks.addRemovalRule(bracketedParagraphRemovalRule(ctx));
    ctx.hooks.onTextChange(closeRemovedBrackets);
    ctx.guards.addDocumentCheck(documentBracketBlockers);
    ctx.guards.addParagraphCheck(paragraphBracketBlockers);
  },
  seed: seedBrackets,
};

import { Router } from "express";
import type { Feature } from "../features.js";
import { sendEditedGreenToWhite } from "../status/set.js";
import { statusRoutes } from "../status/routes.js";
import { documentBracketBlockers, paragraphBracketBlockers } from "./guards.js";
import { bracketedParagraphRemovalRule, bracketRemovalRule, bracketRule, closeRemovedBrackets } from "./removed.js";
import { agreedParagraphRemovalRule } from "../status/removal.js";
import { bracketRoutes } from "./routes.js";
import { seedBrackets } from "./seed.js";

/**
 * Bracketed text, option groups and paragraph agreement status: the server owns
 * every bracket mark (client updates may only carry open brackets it opened, in their own
 * paragraph), closes brackets whose text an edit deleted, sends edited green paragraphs
 * back to white, and tells the lifecycle what keeps a document or paragraph from agreement.
 */
export const bracketsFeature: Feature = {
  name: "brackets",
  routes(ctx) {
    const router = Router();
    router.use(bracketRoutes(ctx), statusRoutes(ctx));
    return router;
  },
  hooks(ctx) {
    ctx.hooks.addBracketRule(bracketRule(ctx));
    ctx.hooks.addRemovalRule(bracketRemovalRule(ctx));
    ctx.hooks.addRemovalRule(bracketedParagraphRemovalRule(ctx));
    ctx.hooks.addRemovalRule(agreedParagraphRemovalRule(ctx));
    ctx.hooks.onTextChange(closeRemovedBrackets);
    ctx.hooks.onTextChange(sendEditedGreenToWhite);
    ctx.guards.addDocumentCheck(documentBracketBlockers);
    ctx.guards.addParagraphCheck(paragraphBracketBlockers);
  },
  seed: seedBrackets,
};

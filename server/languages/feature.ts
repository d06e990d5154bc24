import type { Feature } from "../features.js";
import { followOwedOnOpen, followStructure } from "./follow.js";
import { languageRoutes } from "./routes.js";
import { seedLanguages } from "./seed.js";
import { languageAdoptionBlockers } from "./status.js";
import { originalOf } from "./versions.js";

/**
 * Language versions: a document of its own per official language whose paragraphs carry
 * the original's ids and whose structure follows the original on the server; translators
 * change only the text inside paragraphs and mark paragraphs translated against the
 * original's text (current, outdated, missing). The original is adopted only when every
 * version is current in every paragraph. Tables: `translations`, `documents.original_id`
 * (migrations/031_language_versions.sql), `structure_follows` (the follows owed,
 * migrations/035_structure_follows.sql).
 */
export const languagesFeature: Feature = {
  name: "languages",
  routes: languageRoutes,
  hooks(ctx) {
    ctx.hooks.onTextChange(followStructure);
    ctx.hooks.onRoomOpened((room) => followOwedOnOpen(ctx, room));
    ctx.hooks.addStructureRule((documentId) =>
      originalOf(ctx, documentId) ? "a language version follows its original's paragraphs; translators change only the text inside them" : null,
    );
    // Amendments, brackets opened by the server and statuses are the original's: the
    // version's words are its translators'.
    ctx.guards.addParagraphLock((_ctx, documentId) =>
      originalOf(ctx, documentId) ? ["this is a language version: its text is written by its translators; propose changes to the original"] : [],
    );
    // Paragraph statuses, restores, amendments and brackets are decided on the original,
    // whose structure the version follows; done on the version they would be overwritten
    // by the next follow or disagree with the original.
    ctx.guards.addStructureLock((_ctx, documentId) => {
      const original = originalOf(ctx, documentId);
      return original ? [`this is a language version: its original (document ${original}) governs its paragraphs and their statuses; do it there`] : [];
    });
    ctx.guards.addAdoptionCheck(languageAdoptionBlockers);
  },
  seed: seedLanguages,
};

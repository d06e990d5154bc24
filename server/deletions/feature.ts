import { Router } from "express";
import type { Feature } from "../features.js";
import { runCommand } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { listDeletedParagraphs, recordDeletedParagraphs } from "./record.js";
import { restoreParagraph } from "./restore.js";

/**
 * Deleted paragraphs: every paragraph removed from a text is kept with who removed it and
 * where it stood; the chair or the secretariat can put it back.
 */
export const deletionsFeature: Feature = {
  name: "deletions",
  routes(ctx) {
    const router = Router();
    router.use(["/api/documents/:id/deleted-paragraphs", "/api/documents/:id/paragraphs/:paragraphId/restore"], requireSession(ctx));
    router.get("/api/documents/:id/deleted-paragraphs", (req, res) => {
      const row = documentForUser(ctx, userOf(res), req.params.id);
      res.json(listDeletedParagraphs(ctx, row.id));
    });
    router.post("/api/documents/:id/paragraphs/:paragraphId/restore", (req, res) => {
      const user = userOf(res);
      const row = documentForUser(ctx, user, req.params.id);
      res.json(runCommand(ctx, (tx) => restoreParagraph(tx, user, row, req.params.paragraphId)));
    });
    return router;
  },
  hooks(ctx) {
    ctx.hooks.onTextChange(recordDeletedParagraphs);
  },
};

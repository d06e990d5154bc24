import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { languageEntries, markTranslated, translationStatuses } from "./status.js";
import { createLanguageVersion, requireVersion } from "./versions.js";

const NewLanguage = z.object({ language: z.string().trim().min(2).max(5) });

/** Language versions: listing and adding them, their translation status, marking a paragraph translated. */
export function languageRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/documents/:id/languages", "/api/documents/:id/translation-status", "/api/documents/:id/paragraphs"], requireSession(ctx));

  router.get("/api/documents/:id/languages", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(languageEntries(ctx, row));
  });

  router.post("/api/documents/:id/languages", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const { language } = parse(NewLanguage, req.body);
    res.status(201).json(runCommand(ctx, (tx) => createLanguageVersion(tx, user, row, language.toLowerCase())));
  });

  router.get("/api/documents/:id/translation-status", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(translationStatuses(ctx, row.id, requireVersion(row)));
  });

  router.post("/api/documents/:id/paragraphs/:paragraphId/translated", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => markTranslated(tx, user, row, req.params.paragraphId)));
  });

  return router;
}

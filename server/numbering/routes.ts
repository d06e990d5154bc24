import { Router } from "express";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { numberingInfo, renumberDocument } from "./renumber.js";

/** A document's frozen numbering and the secretariat's renumbering (docs/API.md). */
export function numberingRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/documents/:id/numbering", "/api/documents/:id/renumber"], requireSession(ctx));

  router.get("/api/documents/:id/numbering", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(numberingInfo(ctx, row.id));
  });

  router.post("/api/documents/:id/renumber", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => renumberDocument(tx, user, row.id)));
  });

  return router;
}

import { Router } from "express";
import type { DocumentInfo } from "../../schema/api/documents.js";
import { chairsDocument } from "../../schema/roles.js";
import { documentDenial } from "../auth/policy.js";
import type { AppContext } from "../context.js";
import { requireSession, userOf } from "../http/auth.js";
import { documentContent, documentForUser, documentInfo, documentFacts } from "../documents/documents.js";
import { documentMasthead } from "../documents/masthead.js";

/** `/api/documents/:id` and its content (versions and compare: server/versions/routes.ts). */
export function documentRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/documents", requireSession(ctx));

  router.get("/api/documents/:id", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const facts = documentFacts(row);
    const denial = documentDenial(user, "document.write", facts);
    const answer: DocumentInfo = {
      ...documentInfo(row),
      masthead: documentMasthead(ctx, row.id),
      access: { canWrite: denial === null, reason: denial, chair: chairsDocument(user, facts) },
    };
    res.json(answer);
  });

  router.get("/api/documents/:id/content", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(documentContent(ctx, row.id));
  });

  return router;
}

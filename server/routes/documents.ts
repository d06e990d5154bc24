import { Router } from "express";
import type { DocumentInfo } from "../../schema/api/documents.js";
import { chairsDocument, textWriteDenialOf } from "../../schema/roles.js";
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
    // The reason's code, for a client that words it in another language (docs/API.md, "Error codes").
    const coded = textWriteDenialOf(user, facts);
    const code = denial !== null && coded?.message === denial ? { reasonCode: coded.code, ...(coded.params ? { reasonParams: coded.params } : {}) } : {};
    const answer: DocumentInfo = {
      ...documentInfo(row),
      masthead: documentMasthead(ctx, row.id),
      access: { canWrite: denial === null, reason: denial, ...code, chair: chairsDocument(user, facts) },
    };
    res.json(answer);
  });

  router.get("/api/documents/:id/content", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(documentContent(ctx, row.id));
  });

  return router;
}

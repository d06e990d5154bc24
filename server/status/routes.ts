import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { documentText } from "../documents/paragraphs.js";
import { setParagraphStatus } from "./set.js";
import { setParagraphStatusBatch } from "./batch.js";
import { listParagraphStatuses, PARAGRAPH_STATUSES } from "./status.js";

const NewStatus = z.object({ status: z.enum(PARAGRAPH_STATUSES) });
/** A chair sets many paragraphs at once; a document has a few hundred at most. */
const BatchStatus = z.object({ status: z.enum(PARAGRAPH_STATUSES), paragraphIds: z.array(z.string().min(1).max(100)).min(1).max(1000) });

/** Paragraph agreement status: the list for a document, setting one paragraph's, and setting several at once. */
export function statusRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/documents/:id/paragraph-statuses", "/api/documents/:id/paragraphs"], requireSession(ctx));

  router.get("/api/documents/:id/paragraph-statuses", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(listParagraphStatuses(ctx, row.id, documentText(ctx, row.id).byId.values()));
  });

  router.post("/api/documents/:id/paragraph-statuses", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const { status, paragraphIds } = parse(BatchStatus, req.body);
    res.json(runCommand(ctx, (tx) => setParagraphStatusBatch(tx, user, row.id, paragraphIds, status)));
  });

  router.put("/api/documents/:id/paragraphs/:paragraphId/status", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const { status } = parse(NewStatus, req.body);
    res.json(runCommand(ctx, (tx) => setParagraphStatus(tx, user, row.id, req.params.paragraphId, status)));
  });

  return router;
}

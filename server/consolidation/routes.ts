import { Router } from "express";
import { z } from "zod";
import { plainText } from "../http/plain-text.js";
import { ID_PATTERN } from "../../schema/ids.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { meetingForUser } from "../routes/meetings.js";
import { consolidate } from "./consolidate.js";
import { declineSourceChange, pullSourceChange } from "./decisions.js";
import { provenanceOf } from "./provenance.js";

const Id = z.string().regex(ID_PATTERN, "not an id");

const NewConsolidation = z.object({
  title: plainText(z.string().trim().min(1).max(300)),
  symbol: plainText(z.string().trim().min(1).max(100)).optional(),
  sources: z
    .array(z.object({ documentId: Id, paragraphIds: z.array(Id).min(1).max(5000).optional() }))
    .min(1)
    .max(50),
});

const Decline = z.object({ reason: plainText(z.string().trim().max(2000)).optional() }).default({});

/** Consolidation routes: create a consolidated document, read its provenance, pull or decline source changes. */
export function consolidationRoutes(ctx: AppContext): Router {
  const router = Router();
  // Per route rather than `router.use`, so that requests for other features' paths that
  // pass through this router are not authenticated (and rate-counted) twice.
  const session = requireSession(ctx);

  router.post("/api/meetings/:id/consolidations", session, (req, res) => {
    const user = userOf(res);
    meetingForUser(ctx, user, req.params.id as string);
    const input = parse(NewConsolidation, req.body);
    const created = runCommand(ctx, (tx) => consolidate(tx, user, input));
    res.status(201).json(created);
  });

  router.get("/api/documents/:id/provenance", session, (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id as string);
    res.json(provenanceOf(ctx, row.id));
  });

  router.post("/api/documents/:id/provenance/:paragraphId/pull", session, (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id as string);
    res.json(runCommand(ctx, (tx) => pullSourceChange(tx, user, row.id, req.params.paragraphId as string)));
  });

  router.post("/api/documents/:id/provenance/:paragraphId/decline", session, (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id as string);
    const { reason } = parse(Decline, req.body ?? {});
    res.json(runCommand(ctx, (tx) => declineSourceChange(tx, user, row.id, req.params.paragraphId as string, reason)));
  });

  return router;
}

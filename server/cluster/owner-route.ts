import { Router } from "express";
import { authoriseDocument } from "../auth/policy.js";
import type { AppContext } from "../context.js";
import { requireSession, userOf } from "../http/auth.js";
import { documentFacts, documentForUser } from "../documents/documents.js";

/** Which process serves a document's live text (`GET /api/documents/:id/owner`). */
export interface DocumentOwner {
  documentId: string;
  /** The owner process's name (ACCORD_PROCESS_NAME), or null when no process holds the document now. */
  process: string | null;
  /** Its process id, or null. */
  pid: number | null;
  /** The fencing token of its lease (null in one process, where there is no lease). */
  token: number | null;
}

/**
 * `GET /api/documents/:id/owner`: the process that owns the document's live text, for the
 * meeting's secretariat (404 outside the meeting, 403 for anyone else in it).
 */
export function ownerRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/api/documents/:id/owner", requireSession(ctx), (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id as string);
    authoriseDocument(user, "document.seeOwner", documentFacts(row));
    res.json(ownerOf(ctx, row.id));
  });
  return router;
}

/** The owner of a document: its live lease's holder in a cluster, else this process. */
export function ownerOf(ctx: AppContext, documentId: string): DocumentOwner {
  if (ctx.ownership === null) return { documentId, process: ctx.config.processName, pid: process.pid, token: null };
  const lease = ctx.ownership.owner(documentId);
  return lease ? { documentId, process: lease.process, pid: lease.pid, token: lease.token } : { documentId, process: null, pid: null, token: null };
}

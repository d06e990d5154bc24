import express, { Router, type RequestHandler } from "express";
import { z } from "zod";
import { plainText } from "../http/plain-text.js";
import { DOCUMENT_KINDS } from "../../schema/index.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentInfo, documentRow } from "../documents/documents.js";
import { principalOf, requireSession, userOf } from "../http/auth.js";
import { authoriseMeeting } from "../auth/policy.js";
import { badRequest, HttpError, notFound } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { meetingForUser } from "../routes/meetings.js";
import { createImportedDocument } from "./create.js";
import { dryRunAnswer } from "./dry-run.js";
import type { ImportCreated } from "../../schema/api/imports.js";
import { fileKind, parseImport } from "./parse.js";

const ImportQuery = z.object({
  bodyId: z.string().min(1).max(100).optional(),
  kind: z.enum(DOCUMENT_KINDS).optional(),
  symbol: plainText(z.string().trim().min(1).max(100)).optional(),
  title: plainText(z.string().trim().min(1).max(500)).optional(),
  dryRun: z.enum(["0", "1", "true", "false"]).optional(),
});

/** 413: the file is larger than ACCORD_MAX_IMPORT. */
function tooLarge(ctx: AppContext): HttpError {
  return new HttpError(413, `the file is larger than ${Math.round(ctx.config.maxImportBytes / 1048576)} MB; import a smaller one`);
}

/**
 * `POST /api/meetings/:id/documents/import`: the secretariat turns a DOCX or a plain text
 * into a document of one of the meeting's bodies; with `dryRun=1`, only shows what it
 * would create and every warning.
 */
export function importRoutes(ctx: AppContext): Router {
  const router = Router();
  const path = "/api/meetings/:id/documents/import";
  // Who may send the file is settled before its (up to ACCORD_MAX_IMPORT) bytes are read.
  const allowed: RequestHandler = (req, res, next) => {
    const principal = principalOf(res);
    if (!principal.isAdmin && !principal.member) throw notFound("meeting");
    meetingForUser(ctx, userOf(res), String(req.params.id));
    authoriseMeeting(principal, "documents.create");
    // Refused by its declared length, before a byte of it is read.
    if (Number(req.get("content-length") ?? 0) > ctx.config.maxImportBytes) throw tooLarge(ctx);
    next();
  };
  const raw = express.raw({ type: () => true, limit: ctx.config.maxImportBytes });
  const body: RequestHandler = (req, res, next) =>
    raw(req, res, (error?: unknown) => {
      const e = error as { type?: string } | undefined;
      if (e?.type === "entity.too.large") return next(tooLarge(ctx));
      next(error);
    });

  router.post(path, requireSession(ctx), allowed, body, async (req, res) => {
    const user = userOf(res);
    const meeting = meetingForUser(ctx, user, String(req.params.id));
    const query = parse(ImportQuery, req.query);
    const bytes: Uint8Array = Buffer.isBuffer(req.body) ? req.body : new Uint8Array();
    const delegations = ctx.db.prepare("SELECT code FROM delegations WHERE meeting_id = ?").pluck().all(meeting.id) as string[];
    const imported = await parseImport(bytes, req.get("content-type"), { holders: new Set(delegations), ...(query.title ? { title: query.title } : {}) });
    const symbol = query.symbol ?? imported.masthead.symbol ?? null;
    if (query.dryRun === "1" || query.dryRun === "true") {
      res.json(dryRunAnswer(imported, symbol));
      return;
    }
    if (!query.bodyId) throw badRequest("bodyId is required: the body whose document this is", ["bodyId: required"]);
    const body = ctx.db.prepare("SELECT id FROM bodies WHERE id = ? AND meeting_id = ?").get(query.bodyId, meeting.id);
    if (!body) throw notFound("body");
    const format = fileKind(req.get("content-type"), bytes).kind;
    const documentId = runCommand(ctx, (tx) =>
      createImportedDocument(
        tx,
        user,
        { meetingId: meeting.id, bodyId: query.bodyId!, kind: query.kind ?? "declaration", ...(symbol ? { symbol } : {}), format },
        imported,
      ),
    );
    const created: ImportCreated = { document: documentInfo(documentRow(ctx, documentId)!), warnings: imported.warnings };
    res.status(201).json(created);
  });
  return router;
}

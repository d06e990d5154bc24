import { Router } from "express";
import { z } from "zod";
import { plainText } from "../http/plain-text.js";
import { chairsDocument } from "../../schema/roles.js";
import { documentDenial } from "../auth/policy.js";
import type { AppContext } from "../context.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { documentContent, documentForUser, documentInfo } from "../documents/documents.js";
import { getVersion, listVersions, saveNamedVersion } from "../versions/versions.js";
import { runCommand } from "../commands/command.js";

const NewVersion = z.object({ label: plainText(z.string().trim().min(1).max(100)) });

/** `/api/documents/:id`, its content and its versions. */
export function documentRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/documents", requireSession(ctx));

  router.get("/api/documents/:id", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const facts = { state: row.state, bodyId: row.body_id, kind: row.kind };
    const denial = documentDenial(user, "document.write", facts);
    res.json({ ...documentInfo(row), access: { canWrite: denial === null, reason: denial, chair: chairsDocument(user, facts) } });
  });

  router.get("/api/documents/:id/content", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(documentContent(ctx, row.id));
  });

  router.get("/api/documents/:id/versions", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(listVersions(ctx, row.id));
  });

  router.post("/api/documents/:id/versions", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const { label } = parse(NewVersion, req.body);
    const version = runCommand(ctx, (tx) => saveNamedVersion(tx, user, row.id, label));
    res.status(201).json(version);
  });

  router.get("/api/documents/:id/versions/:versionId", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(getVersion(ctx, row.id, req.params.versionId));
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { ID_PATTERN } from "../../schema/ids.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { plainText } from "../http/plain-text.js";
import { compareVersions, type CompareSide } from "./compare.js";
import { getVersion, listVersions, saveNamedVersion, versionState } from "./versions.js";

const NewVersion = z.object({ label: plainText(z.string().trim().min(1).max(100)) });
const Side = z.union([z.literal("current"), z.string().regex(ID_PATTERN, "a version id or \"current\"")]);
const CompareQuery = z.object({ from: Side, to: Side.default("current") });

const sideOf = (value: string): CompareSide => (value === "current" ? "current" : { version: value });

/**
 * A document's versions: the list, saving a named one, one with its canonical form, its
 * Yjs state for read-only viewing, and the comparison of two (or of one with the current
 * text) (docs/API.md).
 */
export function versionRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/documents/:id/versions", "/api/documents/:id/compare"], requireSession(ctx));

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

  // The stored Yjs state, so the editor can open any version read-only with the same
  // rendering as the live text (apply it to a fresh Y.Doc; never connect it to the room).
  router.get("/api/documents/:id/versions/:versionId/state", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    const state = versionState(ctx, row.id, req.params.versionId);
    res.type("application/octet-stream").send(Buffer.from(state));
  });

  router.get("/api/documents/:id/compare", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    const { from, to } = parse(CompareQuery, req.query);
    res.json(compareVersions(ctx, row.id, sideOf(from), sideOf(to)));
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { ID_PATTERN } from "../../schema/ids.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { versionState } from "../versions/versions.js";
import { compareVersions, type CompareSide } from "./compare.js";

const Side = z.union([z.literal("current"), z.string().regex(ID_PATTERN, "a version id or \"current\"")]);
const CompareQuery = z.object({ from: Side, to: Side.default("current") });

const sideOf = (value: string): CompareSide => (value === "current" ? "current" : { version: value });

/** Compare two versions (or a version and the current text), and a version's Yjs state for read-only viewing. */
export function compareRoutes(ctx: AppContext): Router {
  const router = Router();
  const session = requireSession(ctx);

  router.get("/api/documents/:id/compare", session, (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id as string);
    const { from, to } = parse(CompareQuery, req.query);
    res.json(compareVersions(ctx, row.id, sideOf(from), sideOf(to)));
  });

  // The stored Yjs state, so the editor can open any version read-only with the same
  // rendering as the live text (apply it to a fresh Y.Doc; never connect it to the room).
  router.get("/api/documents/:id/versions/:versionId/state", session, (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id as string);
    const state = versionState(ctx, row.id, req.params.versionId as string);
    res.type("application/octet-stream").send(Buffer.from(state));
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { ID_PATTERN } from "../../schema/ids.js";
import type { Feature } from "../features.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { changesSince } from "./changes.js";
import { recordAuthorship } from "./record.js";

const ChangesQuery = z.object({ since: z.string().regex(ID_PATTERN, "a version id") });

/**
 * Who wrote what: every accepted text update is recorded with the person and delegation
 * it came from (table `text_authorship`, migrations/026_text_authorship.sql), and the
 * "changes since" view of any version shows each insertion and deletion since then,
 * attributed, the way a word processor shows tracked changes.
 */
export const authorshipFeature: Feature = {
  name: "authorship",
  routes(ctx) {
    const router = Router();
    router.use("/api/documents/:id/changes", requireSession(ctx));
    router.get("/api/documents/:id/changes", (req, res) => {
      const row = documentForUser(ctx, userOf(res), req.params.id);
      const { since } = parse(ChangesQuery, req.query);
      res.json(changesSince(ctx, row.id, since));
    });
    return router;
  },
  hooks(ctx) {
    ctx.hooks.onTextChange(recordAuthorship);
  },
};

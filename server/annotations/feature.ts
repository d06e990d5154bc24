import { Router } from "express";
import { z } from "zod";
import type { Feature } from "../features.js";
import { runCommand } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { plainText } from "../http/plain-text.js";
import { parse } from "../http/validate.js";
import { addAnnotation, ANNOTATION_KINDS, listAnnotations, removeAnnotation } from "./annotations.js";

const NewAnnotation = z.object({ kind: z.enum(ANNOTATION_KINDS), text: plainText(z.string().trim().min(1).max(2000)).optional() });

/**
 * Paragraph annotations: "[Agreed ad ref]" and facilitator's notes ("{…}"), which negotiating
 * texts print beside a paragraph but which are no part of its agreed text. Made by import,
 * added and removed by the chair or the secretariat.
 */
export const annotationsFeature: Feature = {
  name: "annotations",
  routes(ctx) {
    const router = Router();
    router.use(["/api/documents/:id/annotations", "/api/documents/:id/paragraphs/:paragraphId/annotations"], requireSession(ctx));
    router.get("/api/documents/:id/annotations", (req, res) => {
      const row = documentForUser(ctx, userOf(res), req.params.id);
      res.json(listAnnotations(ctx, row.id));
    });
    router.post("/api/documents/:id/paragraphs/:paragraphId/annotations", (req, res) => {
      const user = userOf(res);
      const row = documentForUser(ctx, user, req.params.id);
      const input = parse(NewAnnotation, req.body);
      res.status(201).json(runCommand(ctx, (tx) => addAnnotation(tx, user, row, req.params.paragraphId, input)));
    });
    router.delete("/api/documents/:id/annotations/:annotationId", (req, res) => {
      const user = userOf(res);
      const row = documentForUser(ctx, user, req.params.id);
      res.json(runCommand(ctx, (tx) => removeAnnotation(tx, user, row, req.params.annotationId)));
    });
    return router;
  },
};

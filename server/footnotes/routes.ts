import { Router } from "express";
import { z } from "zod";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { addReferenceNote, currentNotes, editReferenceNote, removeReferenceNote } from "./notes.js";

// A reference footnote is a sentence or a citation, not a document.
const NoteText = z
  .string()
  .trim()
  .min(1, "a footnote needs a text")
  .max(4000)
  .refine((t) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(t), "control characters are not allowed in a footnote");
const Offset = z.number().int().min(0).max(1_000_000);
const NewNote = z.object({ paragraphId: z.string().min(1).max(100), offset: Offset, text: NoteText }).strict();
const NoteChange = z
  .object({ text: NoteText.optional(), paragraphId: z.string().min(1).max(100).optional(), offset: Offset.optional() })
  .strict()
  .refine((c) => c.text !== undefined || c.offset !== undefined, "give the new text, or the offset (and paragraph) to move the footnote to")
  .refine((c) => c.paragraphId === undefined || c.offset !== undefined, "moving a footnote to another paragraph needs the offset in it");

/** The secretariat's reference footnotes of a document: listed for every member, added, edited and removed by the secretariat. */
export function footnotesRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/documents/:id/footnotes", requireSession(ctx));

  router.get("/api/documents/:id/footnotes", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    res.json(currentNotes(ctx, doc.id));
  });

  router.post("/api/documents/:id/footnotes", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const input = parse(NewNote, req.body);
    res.status(201).json(runCommand(ctx, (tx) => addReferenceNote(tx, user, doc.id, input)));
  });

  router.patch("/api/documents/:id/footnotes/:footnoteId", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const input = parse(NoteChange, req.body);
    res.json(runCommand(ctx, (tx) => editReferenceNote(tx, user, doc.id, req.params.footnoteId, input)));
  });

  router.delete("/api/documents/:id/footnotes/:footnoteId", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    runCommand(ctx, (tx) => removeReferenceNote(tx, user, doc.id, req.params.footnoteId));
    res.status(204).end();
  });

  return router;
}

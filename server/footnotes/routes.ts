import { Router } from "express";
import { z } from "zod";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { plainText } from "../http/plain-text.js";
import { parse } from "../http/validate.js";
import { addReferenceNote, currentNotes, editReferenceNote, removeReferenceNote } from "./notes.js";

const ParagraphId = z.string().min(1).max(100);
// A reference footnote is a sentence or a citation, not a document.
const NoteText = plainText(
  z
    .string()
    .trim()
    .min(1, "a footnote needs a text")
    .max(4000)
    .refine((t) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(t), "control characters are not allowed in a footnote"),
);
const Offset = z.number().int().min(0).max(1_000_000);
const NewNote = z.object({ paragraphId: ParagraphId, offset: Offset, text: NoteText }).strict();
const NoteChange = z
  .object({ text: NoteText.optional(), paragraphId: ParagraphId.optional(), offset: Offset.optional() })
  .strict()
  .refine((c) => c.text !== undefined || c.offset !== undefined, "give the new text, or the offset (and paragraph) to move the footnote to")
  .refine((c) => c.paragraphId === undefined || c.offset !== undefined, "moving a footnote to another paragraph needs the offset in it");

/**
 * The secretariat's reference footnotes: `/api/documents/:id/footnotes` (listed for every
 * member, added by the secretariat) and `/api/footnotes/:id` (edited, moved and removed by
 * the secretariat). Every id is checked against the caller's meeting.
 */
export function footnoteRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/documents/:id/footnotes", "/api/footnotes"], requireSession(ctx));

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

  router.patch("/api/footnotes/:id", (req, res) => {
    const user = userOf(res);
    const input = parse(NoteChange, req.body);
    res.json(runCommand(ctx, (tx) => editReferenceNote(tx, user, req.params.id, input)));
  });

  router.delete("/api/footnotes/:id", (req, res) => {
    const user = userOf(res);
    runCommand(ctx, (tx) => removeReferenceNote(tx, user, req.params.id));
    res.status(204).end();
  });

  return router;
}

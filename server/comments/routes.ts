import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { requireSession, userOf } from "../http/auth.js";
import { plainText } from "../http/plain-text.js";
import { parse } from "../http/validate.js";
import { addThread, deleteComment, editComment, listThreads, MAX_BODY, reply, settleThread, threadForUser } from "./comments.js";

// An encoded relative position is a few dozen bytes; the bound only keeps junk out.
const Position = z.string().min(1).max(400).regex(/^[A-Za-z0-9+/=]+$/, "base64");
const Body = plainText(z.string().min(1).max(MAX_BODY));
const NewThread = z.object({
  paragraphId: z.string().min(1).max(64),
  range: z.object({ start: Position, end: Position }).optional(),
  body: Body,
  note: z.boolean().optional(),
});
const Text = z.object({ body: Body });

/** Comments and delegation notes: a document's threads, opening one, replying, editing, deleting, resolving (docs/API.md). */
export function commentRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/documents/:id/comments", "/api/comments"], requireSession(ctx));

  router.get("/api/documents/:id/comments", (req, res) => {
    res.json({ threads: listThreads(ctx, userOf(res), req.params.id) });
  });

  router.post("/api/documents/:id/comments", (req, res) => {
    const user = userOf(res);
    const input = parse(NewThread, req.body);
    res.status(201).json(runCommand(ctx, (tx) => addThread(tx, user, req.params.id, input)));
  });

  router.get("/api/comments/:id", (req, res) => {
    res.json(threadForUser(ctx, userOf(res), req.params.id));
  });

  router.post("/api/comments/:id/replies", (req, res) => {
    const user = userOf(res);
    const { body } = parse(Text, req.body);
    res.status(201).json(runCommand(ctx, (tx) => reply(tx, user, req.params.id, body)));
  });

  router.patch("/api/comments/:id", (req, res) => {
    const user = userOf(res);
    const { body } = parse(Text, req.body);
    res.json(runCommand(ctx, (tx) => editComment(tx, user, req.params.id, body)));
  });

  router.delete("/api/comments/:id", (req, res) => {
    const user = userOf(res);
    res.json(runCommand(ctx, (tx) => deleteComment(tx, user, req.params.id)));
  });

  router.post("/api/comments/:id/resolve", (req, res) => {
    const user = userOf(res);
    res.json(runCommand(ctx, (tx) => settleThread(tx, user, req.params.id, true)));
  });

  router.post("/api/comments/:id/reopen", (req, res) => {
    const user = userOf(res);
    res.json(runCommand(ctx, (tx) => settleThread(tx, user, req.params.id, false)));
  });

  return router;
}

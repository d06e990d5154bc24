import { Router } from "express";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { addThread, deleteComment, editComment, listThreads, reply, settleThread, threadForUser } from "./comments.js";
import { CommentText, NewThread } from "../../schema/api/requests/comments.js";

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
    const { body } = parse(CommentText, req.body);
    res.status(201).json(runCommand(ctx, (tx) => reply(tx, user, req.params.id, body)));
  });

  router.patch("/api/comments/:id", (req, res) => {
    const user = userOf(res);
    const { body } = parse(CommentText, req.body);
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

import { Router } from "express";
import { z } from "zod";
import { plainText } from "../http/plain-text.js";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { addBracketOption } from "./options.js";
import { documentText } from "../documents/paragraphs.js";
import { joinBracketHold, liftBracketHold, meetingGroups } from "./holds.js";
import { meetingForUser } from "../routes/meetings.js";
import { openBracket, openParagraphsBracket } from "./open.js";
import { bracketForUser, BRACKET_STATES, loadBracket } from "./records.js";
import { bracketRegister } from "./register.js";
import { resolveBracket, RESOLUTIONS } from "./resolve.js";
import { cleanText, compilationText } from "./texts.js";
import { convertTypedBracket } from "./typed.js";
import type { BracketHolders } from "../../schema/api/brackets.js";

const Code = z.string().min(2).max(12).toUpperCase();
const NewBracket = z.union([
  z.object({
    paragraphId: z.string().min(1).max(64),
    from: z.number().int().min(0),
    to: z.number().int().min(0),
  }),
  z.object({ paragraphIds: z.array(z.string().min(1).max(64)).min(1).max(200) }),
]);
const NewOption = z
  .object({
    text: z.string().min(1).max(2000).optional(),
    separator: plainText(z.string().min(1).max(10)).optional(),
    paragraphs: z.array(z.string().min(1).max(20000)).min(1).max(50).optional(),
    noText: z.boolean().optional(),
    label: plainText(z.string().trim().min(1).max(40)).optional(),
  })
  .refine((o) => o.text !== undefined || o.paragraphs !== undefined || o.noText === true, { message: "text, paragraphs or noText is required" });
const Lift = z.object({ delegation: Code.optional() }).optional();
const Join = z.object({ holder: Code.optional() }).optional();
const Resolve = z.object({ action: z.enum(RESOLUTIONS), reason: plainText(z.string().max(2000)).optional() });
const ConvertTyped = z.object({
  paragraphId: z.string().min(1).max(64),
  offset: z.number().int().min(0),
  holders: z.array(Code).max(100).optional(),
});
const RegisterQuery = z.object({ state: z.enum(BRACKET_STATES).optional(), history: z.enum(["0", "1"]).optional() });

/**
 * The bracket routes: the register of a document and its two derived texts, opening a
 * bracket, and each bracket's holds, options and resolution (docs/API.md).
 */
export function bracketRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/brackets", "/api/documents/:id/brackets", "/api/documents/:id/register", "/api/meetings/:id/bracket-holders"], requireSession(ctx));

  // Who may hold or support a bracket in this meeting: its delegations, and among them its groups.
  router.get("/api/meetings/:id/bracket-holders", (req, res) => {
    const meeting = meetingForUser(ctx, userOf(res), req.params.id);
    const delegations = ctx.db.prepare("SELECT code FROM delegations WHERE meeting_id = ? ORDER BY code").pluck().all(meeting.id) as string[];
    const holders: BracketHolders = { delegations, groups: meetingGroups(ctx.db, meeting.id) };
    res.json(holders);
  });

  router.get("/api/documents/:id/brackets", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    const query = parse(RegisterQuery, req.query);
    res.json(bracketRegister(ctx, row.id, { state: query.state, history: query.history === "1" }));
  });

  router.post("/api/documents/:id/brackets", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const input = parse(NewBracket, req.body);
    res.status(201).json(runCommand(ctx, (tx) => ("paragraphIds" in input ? openParagraphsBracket(tx, user, row.id, input) : openBracket(tx, user, row.id, input))));
  });

  router.post("/api/documents/:id/brackets/typed", (req, res) => {
    const user = userOf(res);
    const row = documentForUser(ctx, user, req.params.id);
    const input = parse(ConvertTyped, req.body);
    res.status(201).json(runCommand(ctx, (tx) => convertTypedBracket(tx, user, row.id, input)));
  });

  router.get("/api/documents/:id/register/clean", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(cleanText(ctx, row.id));
  });

  router.get("/api/documents/:id/register/compilation", (req, res) => {
    const row = documentForUser(ctx, userOf(res), req.params.id);
    res.json(compilationText(ctx, row.id));
  });

  router.get("/api/brackets/:id", (req, res) => {
    const { row } = bracketForUser(ctx, userOf(res), req.params.id);
    res.json(loadBracket(ctx, row.id, documentText(ctx, row.document_id).byId));
  });

  const bodyOf = (req: { body?: unknown }) => (req.body && Object.keys(req.body as object).length ? req.body : undefined);
  for (const [path, stance] of [
    ["/api/brackets/:id/holders", "hold"],
    ["/api/brackets/:id/supporters", "support"],
  ] as const) {
    router.post(path, (req, res) => {
      const user = userOf(res);
      const body = parse(Join, bodyOf(req));
      res.json(runCommand(ctx, (tx) => joinBracketHold(tx, user, req.params.id, body?.holder, stance)));
    });
    router.delete(path, (req, res) => {
      const user = userOf(res);
      const body = parse(Lift, bodyOf(req));
      res.json(runCommand(ctx, (tx) => liftBracketHold(tx, user, req.params.id, body?.delegation, stance)));
    });
  }

  router.post("/api/brackets/:id/options", (req, res) => {
    const user = userOf(res);
    const input = parse(NewOption, req.body);
    res.status(201).json(runCommand(ctx, (tx) => addBracketOption(tx, user, req.params.id, input)));
  });

  router.post("/api/brackets/:id/resolution", (req, res) => {
    const user = userOf(res);
    const input = parse(Resolve, req.body);
    res.json(runCommand(ctx, (tx) => resolveBracket(tx, user, req.params.id, input)));
  });

  return router;
}

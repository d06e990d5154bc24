import { Router } from "express";
import { z } from "zod";
import { plainText } from "../http/plain-text.js";
import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { amendmentForUser, amendmentJson, listAmendments } from "./amendments.js";
import { joinCosponsors, leaveCosponsors } from "./cosponsors.js";
import { decideAmendment, DECISIONS } from "./decide.js";
import { draftAmendment, updateAmendment } from "./draft.js";
import { paragraphOrigins } from "./origins.js";
import { convertRecommendation, listRecommendations, offerSponsorship, recommendationForUser, recommendationJson, submitRecommendation } from "./recommendations.js";
import { rebaseAmendment, tableAmendment, withdrawAmendment } from "./table.js";
import { AMENDMENT_OPERATIONS, AMENDMENT_STATES } from "../../schema/api/amendments.js";

const ParagraphId = z.string().min(1).max(64);
const Rationale = plainText(z.string().max(5000));
// Content is checked against the schema by the commands; here only "present or not".
const Content = z.unknown();

const ListQuery = z.object({
  paragraph: ParagraphId.optional(),
  delegation: z.string().regex(/^[A-Za-z]{3}$/).transform((s) => s.toUpperCase()).optional(),
  state: z.enum(AMENDMENT_STATES).optional(),
  diff: z.enum(["0", "1", "true", "false"]).optional(),
});
const NewAmendment = z.object({
  paragraphId: ParagraphId,
  operation: z.enum(AMENDMENT_OPERATIONS),
  content: Content.optional(),
  rationale: Rationale.optional(),
});
const Changes = z
  .object({ content: Content.optional(), rationale: Rationale.optional() })
  .strict()
  .refine((c) => c.content !== undefined || c.rationale !== undefined, "give content or rationale");
const Withdrawal = z.object({ reason: plainText(z.string().max(2000)).optional() }).optional();
const DecisionBody = z.object({
  decision: z.enum(DECISIONS),
  content: Content.optional(),
  reason: plainText(z.string().max(2000)).optional(),
});
const NewRecommendation = z.object({
  text: z.string().min(1).max(20_000),
  rationale: Rationale.optional(),
  paragraphId: ParagraphId.optional(),
});
const Conversion = z.object({
  sponsor: z.string().regex(/^[A-Za-z]{3}$/).transform((s) => s.toUpperCase()),
  operation: z.enum(AMENDMENT_OPERATIONS).default("replace"),
  paragraphId: ParagraphId.optional(),
});

/**
 * Amendments and civil society recommendations: `/api/documents/:id/amendments`,
 * `/api/amendments/:id…`, `/api/documents/:id/recommendations`, `/api/recommendations/:id…`,
 * `/api/documents/:id/paragraph-origins`. Every id is checked against the caller's meeting.
 */
export function amendmentRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(["/api/amendments", "/api/recommendations", "/api/documents/:id/amendments", "/api/documents/:id/recommendations", "/api/documents/:id/paragraph-origins"], requireSession(ctx));

  router.get("/api/documents/:id/amendments", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const { diff, ...filter } = parse(ListQuery, req.query);
    res.json(listAmendments(ctx, user, doc.id, filter, diff === "1" || diff === "true"));
  });

  router.post("/api/documents/:id/amendments", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const body = parse(NewAmendment, req.body);
    res.status(201).json(runCommand(ctx, (tx) => draftAmendment(tx, user, doc.id, body)));
  });

  router.get("/api/documents/:id/paragraph-origins", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    res.json(paragraphOrigins(ctx, doc.id));
  });

  router.get("/api/amendments/:id", (req, res) => {
    const row = amendmentForUser(ctx, userOf(res), req.params.id);
    res.json(amendmentJson(ctx, row, true));
  });

  router.patch("/api/amendments/:id", (req, res) => {
    const user = userOf(res);
    const row = amendmentForUser(ctx, user, req.params.id);
    const changes = parse(Changes, req.body);
    res.json(runCommand(ctx, (tx) => updateAmendment(tx, user, row.id, changes)));
  });

  router.post("/api/amendments/:id/table", (req, res) => {
    const user = userOf(res);
    const row = amendmentForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => tableAmendment(tx, user, row.id)));
  });

  router.post("/api/amendments/:id/withdraw", (req, res) => {
    const user = userOf(res);
    const row = amendmentForUser(ctx, user, req.params.id);
    const body = parse(Withdrawal, req.body);
    res.json(runCommand(ctx, (tx) => withdrawAmendment(tx, user, row.id, body?.reason)));
  });

  router.post("/api/amendments/:id/rebase", (req, res) => {
    const user = userOf(res);
    const row = amendmentForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => rebaseAmendment(tx, user, row.id)));
  });

  router.post("/api/amendments/:id/cosponsors", (req, res) => {
    const user = userOf(res);
    const row = amendmentForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => joinCosponsors(tx, user, row.id)));
  });

  router.delete("/api/amendments/:id/cosponsors", (req, res) => {
    const user = userOf(res);
    const row = amendmentForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => leaveCosponsors(tx, user, row.id)));
  });

  router.post("/api/amendments/:id/decision", (req, res) => {
    const user = userOf(res);
    const row = amendmentForUser(ctx, user, req.params.id);
    const body = parse(DecisionBody, req.body);
    res.json(runCommand(ctx, (tx) => decideAmendment(tx, user, row.id, body)));
  });

  router.get("/api/documents/:id/recommendations", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    res.json(listRecommendations(ctx, doc.id));
  });

  router.post("/api/documents/:id/recommendations", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const body = parse(NewRecommendation, req.body);
    res.status(201).json(runCommand(ctx, (tx) => submitRecommendation(tx, user, doc.id, body)));
  });

  router.get("/api/recommendations/:id", (req, res) => {
    const { row } = recommendationForUser(ctx, userOf(res), req.params.id);
    res.json(recommendationJson(ctx, row.id));
  });

  router.post("/api/recommendations/:id/sponsors", (req, res) => {
    const user = userOf(res);
    const { row } = recommendationForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => offerSponsorship(tx, user, row.id, true)));
  });

  router.delete("/api/recommendations/:id/sponsors", (req, res) => {
    const user = userOf(res);
    const { row } = recommendationForUser(ctx, user, req.params.id);
    res.json(runCommand(ctx, (tx) => offerSponsorship(tx, user, row.id, false)));
  });

  router.post("/api/recommendations/:id/amendment", (req, res) => {
    const user = userOf(res);
    const { row } = recommendationForUser(ctx, user, req.params.id);
    const body = parse(Conversion, req.body);
    res.status(201).json(runCommand(ctx, (tx) => convertRecommendation(tx, user, row.id, body)));
  });

  return router;
}

import { Router } from "express";
import { z } from "zod";
import { plainText } from "../http/plain-text.js";
import { DOCUMENT_STATES } from "../../schema/roles.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser, documentFacts } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { authoriseDocument } from "../auth/policy.js";
import { completeSignatureIfDue } from "./completion.js";
import { lodgeReservation, reservationFootnotes } from "./reservations.js";
import { requiredSignatories, missingSignatories, setSignatories } from "./signatories.js";
import { sign, signatureInfo, signatureRows } from "./signatures.js";
import { offeredTransitions, transition } from "./transition.js";
import type { TransitionsAnswer } from "../../schema/api/lifecycle.js";
import { verifyDocument } from "./verification.js";
import { confirmPassword } from "./reauth.js";
import { statementBasis } from "./statement.js";
import { signaturesExport } from "./export.js";
import { signingKeyRoutes } from "./key-routes.js";

const Transition = z.object({
  to: z.enum([...DOCUMENT_STATES, "reopened"]),
  reason: plainText(z.string().trim().max(2000)).optional(),
});

const Reservation = z.object({
  paragraphId: z.string().min(1).max(64).optional(),
  text: plainText(z.string().trim().min(1).max(4000)),
});

const Signature = z.object({
  hash: z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 hash in lower-case hex"),
  delegation: z
    .string()
    .regex(/^[A-Z]{3}$/, "an ISO 3166 alpha-3 code")
    .optional(),
  reservation: Reservation.optional(),
  password: z.string().min(1, "signing needs your password again").max(500),
  statement: z.string().min(2).max(20_000),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, "base64 of a 64-byte ECDSA P-256 signature"),
});

const SignatoriesBody = z.object({
  delegations: z
    .array(z.string().regex(/^[A-Z]{3}$/, "an ISO 3166 alpha-3 code"))
    .min(1)
    .max(500)
    .nullable(),
});

/** The lifecycle's routes: transitions, signatures, reservations, signatories, verification. */
export function lifecycleRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/documents", requireSession(ctx));
  router.use(signingKeyRoutes(ctx));

  router.get("/api/documents/:id/transitions", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const answer: TransitionsAnswer = { state: doc.state, transitions: offeredTransitions(ctx, user, doc) };
    res.json(answer);
  });

  router.post("/api/documents/:id/transitions", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const input = parse(Transition, req.body);
    const moved = runCommand(ctx, (tx) => transition(tx, user, doc.id, input));
    res.json({ ...moved.document, version: moved.version });
  });

  router.get("/api/documents/:id/signatures", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    const all = signatureRows(ctx, doc.id).map((row) => signatureInfo(ctx, row));
    res.json({
      signatures: all.filter((s) => s.voidedAt === null),
      voided: all.filter((s) => s.voidedAt !== null),
      required: requiredSignatories(ctx, doc.id).delegations,
      missing: missingSignatories(ctx, doc.id),
    });
  });

  router.get("/api/documents/:id/signing-statement", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    authoriseDocument(user, "document.sign", documentFacts(doc));
    res.json(statementBasis(ctx, doc.id, { username: user.username, delegation: user.delegation! }));
  });

  router.post("/api/documents/:id/signatures", async (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const { password, ...input } = parse(Signature, req.body);
    // Checked before the password is asked for; sign() checks it again with the rest.
    authoriseDocument(user, "document.sign", documentFacts(doc));
    await confirmPassword(ctx, user, password, "signing");
    res.status(201).json(runCommand(ctx, (tx) => sign(tx, user, doc.id, input)));
  });

  router.get("/api/documents/:id/signatures/export", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    res.setHeader("Content-Disposition", `attachment; filename="signatures-${doc.id}.json"`);
    res.json(signaturesExport(ctx, doc.id));
  });

  router.get("/api/documents/:id/reservations", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    res.json(reservationFootnotes(ctx, doc.id));
  });

  router.post("/api/documents/:id/reservations", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const input = parse(Reservation, req.body);
    res.status(201).json(runCommand(ctx, (tx) => lodgeReservation(tx, user, doc.id, input)));
  });

  router.get("/api/documents/:id/signatories", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    res.json(requiredSignatories(ctx, doc.id));
  });

  router.put("/api/documents/:id/signatories", (req, res) => {
    const user = userOf(res);
    const doc = documentForUser(ctx, user, req.params.id);
    const { delegations } = parse(SignatoriesBody, req.body);
    const result = runCommand(ctx, (tx) => {
      const set = setSignatories(tx, user, doc.id, delegations);
      completeSignatureIfDue(tx, doc.id);
      return set;
    });
    res.json(result);
  });

  router.get("/api/documents/:id/verification", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    res.json(verifyDocument(ctx, doc.id));
  });

  return router;
}

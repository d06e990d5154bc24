import { Router } from "express";
import { z } from "zod";
import { plainText } from "../http/plain-text.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import type { SigningKeyList } from "../../schema/api/signatures.js";
import { confirmSigningKey, listSigningKeys, registerSigningKey, revokeSigningKey } from "./signing-keys.js";

const base64url = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a 32-byte coordinate in base64url");

const Register = z.object({
  publicKey: z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: base64url, y: base64url }),
});

const Confirm = z.object({ fingerprint: z.string().trim().max(200).optional() });

const Revoke = z.object({ reason: plainText(z.string().trim().min(1).max(2000)).optional() });

/** Ministers' signing keys: register (minister), list, confirm (secretariat), revoke. */
export function signingKeyRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/signing-keys", requireSession(ctx));

  router.get("/api/signing-keys", (_req, res) => {
    const answer: SigningKeyList = { keys: listSigningKeys(ctx, userOf(res)) };
    res.json(answer);
  });

  router.post("/api/signing-keys", (req, res) => {
    const user = userOf(res);
    const { publicKey } = parse(Register, req.body);
    res.status(201).json(runCommand(ctx, (tx) => registerSigningKey(tx, user, publicKey)));
  });

  router.post("/api/signing-keys/:id/confirmation", (req, res) => {
    const user = userOf(res);
    const { fingerprint } = parse(Confirm, req.body ?? {});
    res.json(runCommand(ctx, (tx) => confirmSigningKey(tx, user, req.params.id, fingerprint)));
  });

  router.delete("/api/signing-keys/:id", (req, res) => {
    const user = userOf(res);
    const { reason } = parse(Revoke, req.body ?? {});
    res.json(runCommand(ctx, (tx) => revokeSigningKey(tx, user, req.params.id, reason ?? "revoked")));
  });

  return router;
}

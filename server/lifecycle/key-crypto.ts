import { createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import type { PublicJwk } from "../../schema/api/signatures.js";

/** The key object of a P-256 JWK; throws on anything else (a wrong curve, a point off the curve). */
function publicKeyOf(jwk: PublicJwk): KeyObject {
  if (jwk.kty !== "EC" || jwk.crv !== "P-256") throw new Error("not an ECDSA P-256 public key");
  return createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: "jwk" });
}

/** SHA-256 (hex) of the key's SubjectPublicKeyInfo in DER: the same bytes WebCrypto's `exportKey("spki")` gives. */
export function fingerprintOf(jwk: PublicJwk): string {
  return createHash("sha256").update(publicKeyOf(jwk).export({ type: "spki", format: "der" })).digest("hex");
}

/** The key in PEM (SubjectPublicKeyInfo), for `openssl` and other tools. */
export function pemOf(jwk: PublicJwk): string {
  return publicKeyOf(jwk).export({ type: "spki", format: "pem" }).toString();
}

/**
 * Whether `signature` (base64, the 64-byte r‖s form WebCrypto produces) is the key's
 * ECDSA/SHA-256 signature of the UTF-8 bytes of `statement`.
 */
export function statementVerifies(jwk: PublicJwk, statement: string, signature: string): boolean {
  try {
    const bytes = Buffer.from(signature, "base64");
    if (bytes.length !== 64) return false;
    return verify("sha256", Buffer.from(statement, "utf8"), { key: publicKeyOf(jwk), dsaEncoding: "ieee-p1363" }, bytes);
  } catch {
    return false;
  }
}

/**
 * Ministers' keys for tests, made the way the browser makes them: a WebCrypto ECDSA P-256
 * key pair whose private half is not extractable, registered through the API and
 * confirmed by the secretariat; and a signature of the statement the server hands out.
 */
import { webcrypto } from "node:crypto";
import { statementText, type StatementBasis } from "../../schema/signing-statement.js";
import type { ApiClient, ApiResponse } from "./api.js";

/** A minister's key pair, as their browser would keep it. */
export type MinisterKeys = webcrypto.CryptoKeyPair;

/** Makes a key pair (private key not extractable) and registers its public half as `minister`. */
export async function registerKey(minister: ApiClient): Promise<{ keys: MinisterKeys; id: string; fingerprint: string }> {
  const keys = (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])) as MinisterKeys;
  const jwk = await webcrypto.subtle.exportKey("jwk", keys.publicKey);
  const res = await minister.post("/api/signing-keys", { publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } });
  if (res.status !== 201) throw new Error(`registering ${minister.username}'s key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { keys, id: res.body.id, fingerprint: res.body.fingerprint };
}

/** Registers a key for `minister` and has `secretariat` confirm it. */
export async function confirmedKey(minister: ApiClient, secretariat: ApiClient): Promise<MinisterKeys> {
  const { keys, id, fingerprint } = await registerKey(minister);
  const res = await secretariat.post(`/api/signing-keys/${id}/confirmation`, { fingerprint });
  if (res.status !== 200) throw new Error(`confirming ${minister.username}'s key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return keys;
}

/** Base64 of the key's ECDSA/SHA-256 signature of `text` (64 bytes, r‖s). */
export async function signText(keys: MinisterKeys, text: string): Promise<string> {
  const signature = await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, keys.privateKey, new TextEncoder().encode(text));
  return Buffer.from(signature).toString("base64");
}

/** What a test may change about a signature request. */
export interface SignOptions {
  reservation?: { paragraphId?: string; text: string };
  delegation?: string;
  /** The hash sent (default: the adopted hash of the statement). */
  hash?: string;
  password?: string;
}

/**
 * Signs a document as the browser does: fetches the statement's basis, adds the time and
 * the reservation, signs the exact string with the minister's key, and posts it with the
 * minister's password. A basis the server refuses to give is answered as the sign route would.
 */
export async function signDocument(minister: ApiClient, keys: MinisterKeys, documentId: string, options: SignOptions = {}): Promise<ApiResponse<any>> {
  const basis = await minister.get<StatementBasis>(`/api/documents/${documentId}/signing-statement`);
  if (basis.status !== 200) return basis;
  const reservation = options.reservation ? { paragraphId: options.reservation.paragraphId ?? null, text: options.reservation.text } : null;
  const statement = statementText({ ...basis.body, signedAt: new Date().toISOString(), reservation });
  return minister.post(`/api/documents/${documentId}/signatures`, {
    hash: options.hash ?? basis.body.adoptedHash,
    ...(options.delegation ? { delegation: options.delegation } : {}),
    ...(options.reservation ? { reservation: options.reservation } : {}),
    password: options.password ?? "accord-demo",
    statement,
    signature: await signText(keys, statement),
  });
}

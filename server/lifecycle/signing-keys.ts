import { newId } from "../../schema/ids.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.js";
import { fingerprintOf } from "./key-crypto.js";
import type { PublicJwk, SigningKeyInfo } from "../../schema/api/signatures.js";

/** A key row as stored. */
export interface SigningKeyRow {
  id: string;
  meeting_id: string;
  user_id: string;
  delegation: string;
  public_key: string;
  fingerprint: string;
  registered_at: string;
  confirmed_at: string | null;
  confirmed_by: string | null;
  revoked_at: string | null;
  revoked_reason: string | null;
  username: string;
  display_name: string;
  confirmed_by_username: string | null;
}

const SELECT = `SELECT k.*, u.username, u.display_name, c.username AS confirmed_by_username
  FROM signing_keys k JOIN users u ON u.id = k.user_id LEFT JOIN users c ON c.id = k.confirmed_by`;

/** The API shape of a key row. */
function signingKeyInfo(row: SigningKeyRow): SigningKeyInfo {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    delegation: row.delegation,
    publicKey: JSON.parse(row.public_key) as PublicJwk,
    fingerprint: row.fingerprint,
    state: row.revoked_at ? "revoked" : row.confirmed_at ? "confirmed" : "pending",
    registeredAt: row.registered_at,
    confirmedAt: row.confirmed_at,
    confirmedBy: row.confirmed_by_username,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
  };
}

/** A key by id, or null. */
function signingKeyRow(ctx: Pick<AppContext, "db">, id: string): SigningKeyRow | null {
  return (ctx.db.prepare(`${SELECT} WHERE k.id = ?`).get(id) as SigningKeyRow | undefined) ?? null;
}

/** The user's key that is confirmed and not revoked, or null. */
export function confirmedKeyOf(ctx: Pick<AppContext, "db">, userId: string): SigningKeyRow | null {
  return (
    (ctx.db.prepare(`${SELECT} WHERE k.user_id = ? AND k.revoked_at IS NULL AND k.confirmed_at IS NOT NULL`).get(userId) as SigningKeyRow | undefined) ?? null
  );
}

/** The keys a user may see: the secretariat every key of its meeting, anyone else their own. Newest first. */
export function listSigningKeys(ctx: Pick<AppContext, "db">, user: User): SigningKeyInfo[] {
  const rows =
    user.role === "secretariat"
      ? ctx.db.prepare(`${SELECT} WHERE k.meeting_id = ? ORDER BY k.registered_at DESC, k.rowid DESC`).all(user.meetingId)
      : ctx.db.prepare(`${SELECT} WHERE k.user_id = ? ORDER BY k.registered_at DESC, k.rowid DESC`).all(user.id);
  return (rows as SigningKeyRow[]).map(signingKeyInfo);
}

/**
 * A minister registers the public half of a key pair made in their browser. A key still
 * waiting for confirmation is replaced (the browser lost it, or the minister started over);
 * a confirmed one must be revoked by the secretariat first, so nobody holding only the
 * minister's password can swap in a key of their own.
 */
export function registerSigningKey(tx: CommandTx, user: User, publicKey: PublicJwk): SigningKeyInfo {
  if (user.role !== "minister") throw forbidden("only ministers register signing keys");
  if (!user.delegation) throw forbidden("a minister must belong to a delegation to sign");
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(publicKey);
  } catch (error) {
    throw badRequest("the public key is not a valid ECDSA P-256 key", [(error as Error).message]);
  }
  const standing = tx.db.prepare("SELECT id, confirmed_at FROM signing_keys WHERE user_id = ? AND revoked_at IS NULL").get(user.id) as
    | { id: string; confirmed_at: string | null }
    | undefined;
  if (standing?.confirmed_at) throw conflict("you already have a confirmed signing key; the secretariat must revoke it before you register another");
  const at = new Date().toISOString();
  if (standing) {
    tx.db.prepare("UPDATE signing_keys SET revoked_at = ?, revoked_reason = ? WHERE id = ?").run(at, "replaced before confirmation", standing.id);
    tx.audit(auditActor(user), { meetingId: user.meetingId, action: "signing_key.revoked", targetType: "signing_key", targetId: standing.id, details: { reason: "replaced before confirmation" } });
  }
  const id = newId("k");
  const jwk: PublicJwk = { kty: "EC", crv: "P-256", x: publicKey.x, y: publicKey.y };
  tx.db
    .prepare(
      `INSERT INTO signing_keys (id, meeting_id, user_id, delegation, public_key, fingerprint, registered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, user.meetingId, user.id, user.delegation, JSON.stringify(jwk), fingerprint, at);
  tx.audit(auditActor(user), {
    meetingId: user.meetingId,
    action: "signing_key.registered",
    targetType: "signing_key",
    targetId: id,
    details: { delegation: user.delegation, fingerprint, publicKey: jwk },
  });
  return signingKeyInfo(signingKeyRow(tx.ctx, id)!);
}

/**
 * The secretariat confirms a minister's key, having compared its fingerprint with the one
 * the minister reads from their own screen. `fingerprint`, when given, must match.
 */
export function confirmSigningKey(tx: CommandTx, user: User, keyId: string, fingerprint?: string): SigningKeyInfo {
  if (user.role !== "secretariat") throw forbidden("only the secretariat confirms signing keys");
  const row = signingKeyRow(tx.ctx, keyId);
  if (!row || row.meeting_id !== user.meetingId) throw notFound("signing key");
  if (row.revoked_at) throw conflict("this key was revoked; the minister must register a new one");
  if (row.confirmed_at) throw conflict("this key is confirmed already");
  if (fingerprint !== undefined && fingerprint.replace(/\s+/g, "").toLowerCase() !== row.fingerprint)
    throw conflict("the fingerprint you compared is not this key's", [`the key's fingerprint is ${row.fingerprint}`]);
  const at = new Date().toISOString();
  tx.db.prepare("UPDATE signing_keys SET confirmed_at = ?, confirmed_by = ? WHERE id = ?").run(at, user.id, keyId);
  tx.audit(auditActor(user), {
    meetingId: user.meetingId,
    action: "signing_key.confirmed",
    targetType: "signing_key",
    targetId: keyId,
    details: { username: row.username, delegation: row.delegation, fingerprint: row.fingerprint },
  });
  return signingKeyInfo(signingKeyRow(tx.ctx, keyId)!);
}

/** The secretariat (any key of its meeting) or the key's owner (their own) revokes a key. Signatures made with it stay valid. */
export function revokeSigningKey(tx: CommandTx, user: User, keyId: string, reason: string): SigningKeyInfo {
  const row = signingKeyRow(tx.ctx, keyId);
  if (!row || row.meeting_id !== user.meetingId || (user.role !== "secretariat" && row.user_id !== user.id)) throw notFound("signing key");
  if (row.revoked_at) throw conflict("this key is revoked already");
  tx.db.prepare("UPDATE signing_keys SET revoked_at = ?, revoked_reason = ? WHERE id = ?").run(new Date().toISOString(), reason, keyId);
  tx.audit(auditActor(user), { meetingId: user.meetingId, action: "signing_key.revoked", targetType: "signing_key", targetId: keyId, details: { reason, fingerprint: row.fingerprint } });
  return signingKeyInfo(signingKeyRow(tx.ctx, keyId)!);
}

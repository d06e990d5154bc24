import type { CanonicalDocument } from "../../schema/index.js";
import { newId } from "../../schema/ids.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentContent, documentRow, type DocumentRow } from "../documents/documents.js";
import { documentEvent } from "../events/events.js";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.js";

export type { ReservationInfo, ReservationFootnote } from "../../schema/api/signatures.js";
import type { ReservationInfo, ReservationFootnote } from "../../schema/api/signatures.js";

/** What a delegation reserves on. */
export interface ReservationInput {
  paragraphId?: string | undefined;
  text: string;
}

interface ReservationRow {
  id: string;
  document_id: string;
  delegation: string;
  user_id: string;
  paragraph_id: string | null;
  text: string;
  text_hash: string;
  created_at: string;
  voided_at: string | null;
  voided_reason: string | null;
  signature_id: string | null;
}

const SELECT = `SELECT r.*, (SELECT s.id FROM signatures s WHERE s.reservation_id = r.id) AS signature_id FROM reservations r`;

const toInfo = (r: ReservationRow): ReservationInfo => ({
  id: r.id,
  documentId: r.document_id,
  delegation: r.delegation,
  paragraphId: r.paragraph_id,
  text: r.text,
  textHash: r.text_hash,
  createdAt: r.created_at,
  signatureId: r.signature_id,
  voidedAt: r.voided_at,
  voidedReason: r.voided_reason,
});

/** One reservation by id, or null. */
export function reservationById(ctx: Pick<AppContext, "db">, id: string): ReservationInfo | null {
  const row = ctx.db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as ReservationRow | undefined;
  return row ? toInfo(row) : null;
}

/**
 * Stores a reservation on `canonical` (the text it is made on) and announces it. Used by
 * `lodgeReservation` and by `sign`; the caller has checked who may make it.
 */
export function insertReservation(
  tx: CommandTx,
  user: User,
  doc: DocumentRow,
  input: ReservationInput,
  text: { canonical: CanonicalDocument; hash: string },
): ReservationInfo {
  const paragraphId = input.paragraphId ?? null;
  if (paragraphId && !text.canonical.paragraphs.some((p) => p.id === paragraphId))
    throw badRequest(`no paragraph ${paragraphId} in the text`, [`paragraphId: no paragraph ${paragraphId} in the text`]);
  if (!user.delegation) throw forbidden("only a delegation may make a reservation");
  const id = newId("r");
  const createdAt = new Date().toISOString();
  tx.db
    .prepare(
      `INSERT INTO reservations (id, document_id, delegation, user_id, paragraph_id, text, text_hash, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, doc.id, user.delegation, user.id, paragraphId, input.text, text.hash, createdAt);
  const info: ReservationInfo = {
    id,
    documentId: doc.id,
    delegation: user.delegation,
    paragraphId,
    text: input.text,
    textHash: text.hash,
    createdAt,
    signatureId: null,
    voidedAt: null,
    voidedReason: null,
  };
  tx.audit(auditActor(user), {
    meetingId: doc.meeting_id,
    documentId: doc.id,
    action: "reservation.added",
    targetType: "reservation",
    targetId: id,
    details: { delegation: user.delegation, paragraphId, text: input.text, textHash: text.hash },
  });
  tx.publish(documentEvent(doc.id, "reservation.added", info, user));
  return info;
}

/**
 * A delegation lodges a reservation without signing (allowed up to and after
 * adoption): delegates and ministers, for their own delegation, on any document that is
 * not withdrawn.
 */
export function lodgeReservation(tx: CommandTx, user: User, documentId: string, input: ReservationInput): ReservationInfo {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc) throw notFound("document");
  if ((user.role !== "delegate" && user.role !== "minister") || !user.delegation)
    throw forbidden("only delegates and ministers make reservations, for their own delegation");
  if (doc.state === "withdrawn") throw conflict("the document is withdrawn; it takes no more reservations");
  return insertReservation(tx, user, doc, input, documentContent(tx.ctx, documentId));
}

/** Voids the reservations that came with signatures being voided (they stay on record). */
export function voidReservations(tx: CommandTx, ids: readonly string[], at: string, reason: string): void {
  const stmt = tx.db.prepare("UPDATE reservations SET voided_at = ?, voided_reason = ? WHERE id = ? AND voided_at IS NULL");
  for (const id of ids) stmt.run(at, reason, id);
}

/**
 * The document's standing reservations as footnotes, in the order they were made, each
 * placed by its paragraph's reference in `canonical` (default: the current text).
 */
export function reservationFootnotes(ctx: AppContext, documentId: string, canonical?: CanonicalDocument): ReservationFootnote[] {
  const refs = new Map((canonical ?? documentContent(ctx, documentId).canonical).paragraphs.map((p) => [p.id, p.ref ?? null]));
  const rows = ctx.db.prepare(`${SELECT} WHERE r.document_id = ? AND r.voided_at IS NULL ORDER BY r.created_at, r.rowid`).all(documentId) as ReservationRow[];
  return rows.map((row, i) => ({ ...toInfo(row), footnote: i + 1, ref: row.paragraph_id ? (refs.get(row.paragraph_id) ?? null) : null }));
}

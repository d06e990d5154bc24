import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentRow } from "../documents/documents.js";
import { conflict } from "../http/errors.js";
import { amendmentForUser, amendmentJson } from "./amendments.js";
import { recordAmendment } from "./record.js";
import { requireAmendable, requireDelegate, requireState } from "./rules.js";
import type { Amendment } from "../../schema/api/amendments.js";

/**
 * The caller's delegation joins an amendment on the table as co-sponsor, with the time it
 * joined. Joining twice changes nothing. 403 for non-delegates, 409 for the sponsor itself
 * or an amendment that is not on the table.
 */
export function joinCosponsors(tx: CommandTx, user: User, amendmentId: string): Amendment {
  const delegation = requireDelegate(user, "co-sponsor amendments");
  const row = amendmentForUser(tx.ctx, user, amendmentId);
  if (row.sponsor === delegation) throw conflict(`${delegation} sponsors this amendment already`);
  requireState(row, ["tabled", "stale"], "co-sponsor it");
  requireAmendable(documentRow(tx.ctx, row.document_id)!);
  const inserted = tx.db
    .prepare("INSERT INTO amendment_cosponsors (amendment_id, delegation, user_id, joined_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
    .run(row.id, delegation, user.id, new Date().toISOString());
  if (inserted.changes === 0) return amendmentJson(tx.ctx, row);
  tx.db.prepare("UPDATE amendments SET updated_at = ? WHERE id = ?").run(new Date().toISOString(), row.id);
  return recordAmendment(tx, user, row.id, "cosponsor_joined", { delegation });
}

/**
 * The caller's delegation leaves the co-sponsors of an amendment not yet decided. Leaving
 * when not a co-sponsor changes nothing.
 */
export function leaveCosponsors(tx: CommandTx, user: User, amendmentId: string): Amendment {
  const delegation = requireDelegate(user, "co-sponsor amendments");
  const row = amendmentForUser(tx.ctx, user, amendmentId);
  requireState(row, ["tabled", "stale"], "leave its co-sponsors");
  const removed = tx.db.prepare("DELETE FROM amendment_cosponsors WHERE amendment_id = ? AND delegation = ?").run(row.id, delegation);
  if (removed.changes === 0) return amendmentJson(tx.ctx, row);
  tx.db.prepare("UPDATE amendments SET updated_at = ? WHERE id = ?").run(new Date().toISOString(), row.id);
  return recordAmendment(tx, user, row.id, "cosponsor_left", { delegation });
}

import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { conflict, forbidden } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { delegationOf, requireNotFrozen } from "./permissions.js";
import { bracketForUser, bracketLabel, holdersOf, insertHolder, type Bracket, type BracketRow } from "./records.js";
import { statement } from "../store/statements.js";

function requireOpen(row: BracketRow): void {
  if (row.state !== "open") throw conflict(`bracket ${bracketLabel(row)} is ${row.state}; holds change only while it is open`);
}

/** The caller's delegation joins the hold on an open bracket. */
export function joinBracketHold(tx: CommandTx, user: User, bracketId: string): Bracket {
  const { row, document } = bracketForUser(tx.ctx, user, bracketId);
  const delegation = delegationOf(user);
  requireNotFrozen(document);
  requireOpen(row);
  const holders = holdersOf(tx.ctx, row.document_id, row.id).get(row.id) ?? [];
  if (holders.includes(delegation)) throw conflict(`${delegation} already holds bracket ${bracketLabel(row)}`);
  insertHolder(tx.db, row.id, delegation, user.id, new Date().toISOString());
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: row.document_id,
    action: "bracket.held",
    targetType: "bracket",
    targetId: row.id,
    details: { label: bracketLabel(row), delegation, holders: [...holders, delegation] },
  });
  return announceBracket(tx, user, "bracket.held", row.document_id, row.id, row.paragraph_id);
}

/**
 * The caller's delegation lifts its own hold. Naming another delegation (`delegation`),
 * or lifting a hold one's delegation does not have, is refused with 403: nobody lifts
 * another delegation's objection.
 */
export function liftBracketHold(tx: CommandTx, user: User, bracketId: string, delegation?: string): Bracket {
  const { row, document } = bracketForUser(tx.ctx, user, bracketId);
  const own = delegationOf(user);
  if (delegation !== undefined && delegation !== own) throw forbidden(`${own} may lift only its own hold, not ${delegation}'s`);
  requireNotFrozen(document);
  requireOpen(row);
  const holders = holdersOf(tx.ctx, row.document_id, row.id).get(row.id) ?? [];
  if (!holders.includes(own)) {
    const held = holders.length ? `it is held by ${holders.join(", ")}` : "nobody holds it";
    throw forbidden(`${own} does not hold bracket ${bracketLabel(row)} (${held}); a delegation lifts only its own hold`);
  }
  statement(tx.db, "DELETE FROM bracket_holders WHERE bracket_id = ? AND delegation = ?").run(row.id, own);
  const left = holders.filter((h) => h !== own);
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: row.document_id,
    action: "bracket.lifted",
    targetType: "bracket",
    targetId: row.id,
    details: { label: bracketLabel(row), delegation: own, holders: left },
  });
  return announceBracket(tx, user, "bracket.lifted", row.document_id, row.id, row.paragraph_id);
}

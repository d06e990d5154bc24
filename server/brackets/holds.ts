import { knownDelegation } from "../../schema/delegations.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { Db } from "../store/db.js";
import { badRequest, conflict, forbidden } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { delegationOf, requireNotFrozen } from "./permissions.js";
import { bracketForUser, bracketLabel, holdersOf, insertHolder, supportersOf, type Bracket, type BracketRow } from "./records.js";
import { statement } from "../store/statements.js";

/** Where a delegation (or a group) stands on a bracketed wording: objecting to it (holding the bracket), or supporting it. */
export type Stance = "hold" | "support";

function requireOpen(row: BracketRow): void {
  if (row.state !== "open") throw conflict(`bracket ${bracketLabel(row)} is ${row.state}; holds change only while it is open`);
}

/** The groups (EU, G77, CARICOM…) among a meeting's delegations: who may hold or support a bracket besides a delegation. */
export function meetingGroups(db: Db, meetingId: string): string[] {
  const codes = statement(db, "SELECT code FROM delegations WHERE meeting_id = ? ORDER BY code").pluck().all(meetingId) as string[];
  return codes.filter((c) => knownDelegation(c)?.kind === "group");
}

/**
 * The code a delegate's stance is recorded under: its own delegation, or a group the
 * meeting lists that it speaks for (400 for a code that is no group of the meeting; a
 * delegate never speaks for another state).
 */
function codeFor(tx: CommandTx, user: User, meetingId: string, holder: string | undefined): { code: string; recordedBy: string | null } {
  const own = delegationOf(user);
  if (holder === undefined || holder === own) return { code: own, recordedBy: null };
  if (!meetingGroups(tx.db, meetingId).includes(holder))
    throw badRequest(`${holder} is no group of this meeting; a delegate speaks for its own delegation or for a group the meeting lists`, [
      `holder: ${holder} is not a group of the meeting`,
    ]);
  return { code: holder, recordedBy: own };
}

const TABLES = {
  hold: { table: "bracket_holders", at: "held_at", joined: "bracket.held", left: "bracket.lifted", noun: "holds", verb: "hold" },
  support: { table: "bracket_supporters", at: "supported_at", joined: "bracket.supported", left: "bracket.support_withdrawn", noun: "supports", verb: "support" },
} as const;

function codesFor(tx: CommandTx, row: BracketRow, stance: Stance): string[] {
  return (stance === "hold" ? holdersOf : supportersOf)(tx.ctx, row.document_id, row.id).get(row.id) ?? [];
}

/**
 * The caller's delegation (or a group it speaks for, `holder`) joins the hold on an open
 * bracket, or records its support for the wording. A code cannot both hold and support
 * the same bracket (409: withdraw the one first).
 */
export function joinBracketHold(tx: CommandTx, user: User, bracketId: string, holder?: string, stance: Stance = "hold"): Bracket {
  const { row, document } = bracketForUser(tx.ctx, user, bracketId);
  const { code, recordedBy } = codeFor(tx, user, document.meeting_id, holder);
  requireNotFrozen(document);
  requireOpen(row);
  const t = TABLES[stance];
  const present = codesFor(tx, row, stance);
  if (present.includes(code)) throw conflict(`${code} already ${t.noun} bracket ${bracketLabel(row)}`);
  const other = stance === "hold" ? "support" : "hold";
  if (codesFor(tx, row, other).includes(code))
    throw conflict(`${code} ${TABLES[other].noun} bracket ${bracketLabel(row)}; it withdraws that first, a delegation does not both hold and support a wording`);
  const now = new Date().toISOString();
  if (stance === "hold") insertHolder(tx.db, row.id, code, user.id, now, recordedBy);
  else
    statement(tx.db, "INSERT INTO bracket_supporters (bracket_id, delegation, user_id, recorded_by, supported_at) VALUES (?, ?, ?, ?, ?)").run(
      row.id,
      code,
      user.id,
      recordedBy,
      now,
    );
  const key = stance === "hold" ? "holders" : "supporters";
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: row.document_id,
    action: t.joined,
    targetType: "bracket",
    targetId: row.id,
    details: { label: bracketLabel(row), delegation: code, ...(recordedBy ? { recordedBy } : {}), [key]: [...present, code] },
  });
  return announceBracket(tx, user, t.joined, row.document_id, row.id);
}

/**
 * The caller's delegation lifts its own hold (or withdraws its support), or that of a group
 * it spoke for. Naming a code whose stance the caller's delegation did not record, or
 * lifting a hold it does not have, is refused with 403: nobody lifts another delegation's
 * objection.
 */
export function liftBracketHold(tx: CommandTx, user: User, bracketId: string, delegation?: string, stance: Stance = "hold"): Bracket {
  const { row, document } = bracketForUser(tx.ctx, user, bracketId);
  const own = delegationOf(user);
  const code = delegation ?? own;
  const t = TABLES[stance];
  requireNotFrozen(document);
  requireOpen(row);
  const present = codesFor(tx, row, stance);
  if (!present.includes(code)) {
    if (code !== own) throw forbidden(`${own} may lift only its own ${t.verb}, or a group's it recorded, not ${code}'s`);
    const held = present.length ? `it is ${stance === "hold" ? "held" : "supported"} by ${present.join(", ")}` : `nobody ${t.noun} it`;
    throw forbidden(`${own} does not ${t.verb} bracket ${bracketLabel(row)} (${held}); a delegation lifts only its own ${t.verb}`);
  }
  if (code !== own) {
    const recordedBy = statement(tx.db, `SELECT recorded_by FROM ${t.table} WHERE bracket_id = ? AND delegation = ?`).pluck().get(row.id, code);
    if (recordedBy !== own) throw forbidden(`${own} may lift only its own ${t.verb}, or a group's it recorded, not ${code}'s`);
  }
  statement(tx.db, `DELETE FROM ${t.table} WHERE bracket_id = ? AND delegation = ?`).run(row.id, code);
  const left = present.filter((h) => h !== code);
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: row.document_id,
    action: t.left,
    targetType: "bracket",
    targetId: row.id,
    details: { label: bracketLabel(row), delegation: code, [stance === "hold" ? "holders" : "supporters"]: left },
  });
  return announceBracket(tx, user, t.left, row.document_id, row.id);
}

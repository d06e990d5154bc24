import { requireOwnStructure } from "../commands/guards.js";
import { chairsDocument, FROZEN_STATES } from "../../schema/roles.js";
import { auditActor, SYSTEM } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { documentEvent } from "../events/events.js";
import { blockedBy, conflict, forbidden, notFound, coded } from "../http/errors.js";
import { citation, documentParagraph, type Paragraph } from "../documents/paragraphs.js";
import { hasStatus, listParagraphStatuses, statusOf, type ParagraphStatus, type ParagraphStatusInfo } from "./status.js";

/** Whether the user chairs a plenary body of their meeting (the secretariat acts for any chair). */
function chairsPlenary(ctx: Pick<AppContext, "db">, user: User): boolean {
  if (user.role === "secretariat") return true;
  if (user.chairOf.length === 0) return false;
  const plenaries = ctx.db
    .prepare(`SELECT id FROM bodies WHERE meeting_id = ? AND kind = 'plenary'`)
    .pluck()
    .all(user.meetingId) as string[];
  return plenaries.some((id) => user.chairOf.includes(id));
}

/** Writes a status row and tells everyone: the one place a status changes. */
function writeStatus(
  tx: CommandTx,
  who: User | null,
  at: { meetingId: string; documentId: string; paragraph: Paragraph | null; paragraphId: string },
  from: ParagraphStatus,
  to: ParagraphStatus,
  details: { because?: string } = {},
): ParagraphStatusInfo {
  const now = new Date().toISOString();
  tx.db
    .prepare(
      `INSERT INTO paragraph_statuses (document_id, paragraph_id, status, set_by, set_by_username, set_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (document_id, paragraph_id) DO UPDATE SET status = excluded.status, set_by = excluded.set_by,
         set_by_username = excluded.set_by_username, set_at = excluded.set_at`,
    )
    .run(at.documentId, at.paragraphId, to, who?.id ?? null, who?.username ?? SYSTEM.username, now);
  const ref = at.paragraph?.ref ?? null;
  tx.audit(who ? auditActor(who) : SYSTEM, {
    meetingId: at.meetingId,
    documentId: at.documentId,
    action: "paragraph.status_changed",
    targetType: "paragraph",
    targetId: at.paragraphId,
    details: { ref, from, to, ...details },
  });
  const info: ParagraphStatusInfo = {
    paragraphId: at.paragraphId,
    ref,
    kind: at.paragraph?.kind ?? "op",
    status: to,
    setBy: who?.username ?? SYSTEM.username,
    setAt: now,
  };
  tx.publish(documentEvent(at.documentId, "paragraph.status_changed", { ...info, previous: from, ...details }, who));
  return info;
}

/**
 * Sets the agreement status of one paragraph. Yellow and ad ref are the owning body's
 * chair's to give, green the plenary chair's; a green paragraph changes colour again only
 * by the plenary chair. Any status but white is refused while something keeps the
 * paragraph from being agreed (an open bracket, a tabled amendment: every feature's
 * paragraph check), with every reason.
 */
export function setParagraphStatus(tx: CommandTx, user: User, documentId: string, paragraphId: string, status: ParagraphStatus): ParagraphStatusInfo {
  const ctx = tx.ctx;
  const document = documentForUser(ctx, user, documentId);
  requireOwnStructure(ctx, documentId, { code: "status.set" });
  const paragraph = documentParagraph(ctx, documentId, paragraphId);
  if (!paragraph) throw notFound("paragraph");
  if (!hasStatus(paragraph)) throw conflict(`only preambular and operative paragraphs have an agreement status, not the ${paragraph.kind}`);
  if (FROZEN_STATES.has(document.state)) throw coded(conflict(`the document is ${document.state}; its paragraph statuses can no longer change`), "status.frozen", { state: document.state });
  const current = statusOf(ctx, documentId, paragraphId);
  const plenary = chairsPlenary(ctx, user);
  const owner = chairsDocument(user, { bodyId: document.body_id });
  if ((status === "green" || current === "green") && !plenary)
    throw coded(forbidden("only the chair of the plenary agrees a paragraph in plenary (green) or reverses that"), "status.plenary_chair_only");
  if (status !== "green" && current !== "green" && !owner && !plenary)
    throw coded(forbidden("only the chair of the body that owns the document sets a paragraph's status"), "status.chair_only");
  if (status === current) return listParagraphStatuses(ctx, documentId, [paragraph])[0]!;
  if (status !== "white") {
    const blockers = ctx.guards.paragraphBlockers(ctx, documentId, paragraphId);
    if (blockers.length > 0) throw blockedBy({ code: "status.turn", params: { paragraph: citation(paragraph), status: status.replace("_", " ") } }, blockers);
  }
  return writeStatus(tx, user, { meetingId: document.meeting_id, documentId, paragraph, paragraphId }, current, status);
}

/**
 * Sends a paragraph back to white because something un-agreed it (a bracket opened in it,
 * its text edited), recording why. Does nothing to a white paragraph.
 */
export function resetParagraphStatus(
  tx: CommandTx,
  who: User | null,
  at: { meetingId: string; documentId: string; paragraph: Paragraph | null; paragraphId: string },
  because: string,
): void {
  const current = statusOf(tx.ctx, at.documentId, at.paragraphId);
  if (current === "white") return;
  writeStatus(tx, who, at, current, "white", { because });
}

import { FROZEN_STATES } from "../../schema/roles.js";
import { auditActor } from "../audit/audit.js";
import { authoriseDocument } from "../auth/policy.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentRow } from "../documents/documents.js";
import { freezeNumbers } from "../documents/freeze.js";
import { frozenNumbering } from "../documents/numbers.js";
import type { NumberingInfo, Renumbering } from "../../schema/api/numbering.js";
import { conflict, notFound } from "../http/errors.js";

/** The label of the version a renumbering stores. */
export const RENUMBERED_LABEL = "Renumbered";

/**
 * The secretariat renumbers a document under negotiation once, as UN and OAS secretariats
 * do before a clean text: every "bis" and every gap a deletion left goes, the numbers
 * follow the order again and are frozen anew, and a version of the renumbered text is
 * stored (reason `renumbered`) through the versions feature. Audited as
 * `document.renumbered` with every citation it changed; 409 for a draft numbered in order
 * already, a frozen text, or numbers that already follow the order.
 */
export function renumberDocument(tx: CommandTx, user: User, documentId: string): Renumbering {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc || doc.meeting_id !== user.meetingId) throw notFound("document");
  authoriseDocument(user, "document.renumber", { state: doc.state, bodyId: doc.body_id, kind: doc.kind });
  if (doc.original_id) throw conflict("a language version is numbered as its original: renumber the original");
  // A draft is numbered in order, unless it kept an imported file's numbers ("2 bis").
  if (doc.state === "draft" && !frozenNumbering(tx.ctx, documentId))
    throw conflict("a draft is numbered in order as it is edited; its numbers are frozen when it goes to negotiation");
  if (FROZEN_STATES.has(doc.state)) throw conflict(`the document is ${doc.state}; its numbers can no longer change`);
  const who = auditActor(user);
  const frozen = freezeNumbers(tx, who, documentId, "renumbered");
  if (frozen.changed.length === 0) throw conflict("the numbers already follow the order of the paragraphs; there is nothing to renumber");
  const version = tx.ctx.hooks.storeVersion(tx, who, documentId, { label: RENUMBERED_LABEL, reason: "renumbered" });
  return { revision: frozen.revision, changed: frozen.changed, version };
}

/** The frozen numbering of a document, for the editor's margin numbers. */
export function numberingInfo(ctx: AppContext, documentId: string): NumberingInfo {
  const numbering = frozenNumbering(ctx, documentId);
  if (!numbering) return { revision: 0, act: null, actedAt: null, labels: {} };
  return { revision: numbering.revision, act: numbering.act, actedAt: numbering.actedAt, labels: Object.fromEntries(numbering.labels) };
}

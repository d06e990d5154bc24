import { DOCUMENT_STATES, type DocumentState } from "../../schema/roles.js";
import { allowedTransitions, mayTrigger, transitionRule, type OfferedTransition } from "../../schema/lifecycle.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentRow, type DocumentRow } from "../documents/documents.js";
import { badRequest, conflict, forbidden, notFound, coded } from "../http/errors.js";
import { reasonCodes } from "../http/refusals.js";
import { blockersSentence, summaryParts } from "./blockers.js";
import { capped } from "../commands/guards.js";
import { moveDocument, type Moved } from "./move.js";
import { plenaryBodyIds } from "./plenary.js";
import { missingSignatories } from "./signatories.js";
import { voidSignatures } from "./signatures.js";

/** What a transition request asks for. `reopened` is the state machine's word for going back to negotiation (docs/ARCHITECTURE.md §2). */
export interface TransitionInput {
  to: DocumentState | "reopened";
  reason?: string | undefined;
}

/**
 * Moves a document along the state machine of `schema/lifecycle.ts` for `user`: the move
 * must exist from the current state (else 409), the user must be one who may make it
 * (403), a reason is given where the table requires one (400), and the guard passes (409
 * with every reason at once). Stores a version, audits, announces, and switches open
 * connections' access; reopening voids every standing signature (kept on record).
 */
export function transition(tx: CommandTx, user: User, documentId: string, input: TransitionInput): Moved {
  const doc = documentRow(tx.ctx, documentId);
  if (!doc) throw notFound("document");
  if (doc.original_id) throw coded(conflict("a language version moves with its original; move the original document", [`the original is document ${doc.original_id}`]), "transition.language_version");
  const to: DocumentState = input.to === "reopened" ? "negotiation" : input.to;
  if (!DOCUMENT_STATES.includes(to)) throw coded(badRequest(`no state ${to}`), "transition.unknown_state", { to });
  if (to === doc.state) throw coded(conflict(`the document is already ${doc.state}`), "transition.already", { state: doc.state });
  const rule = transitionRule(doc.state, to);
  const facts = { state: doc.state, bodyId: doc.body_id, plenaryBodyIds: plenaryBodyIds(tx.ctx, doc.meeting_id) };
  if (!rule) {
    const possible = allowedTransitions(user, facts).map((t) => t.to);
    throw coded(
      conflict(`a document that is ${doc.state} cannot become ${to}`, [
        possible.length ? `from ${doc.state} you may move it to: ${possible.join(", ")}` : `from ${doc.state} you may not move it`,
      ]),
      "transition.not_possible",
      { state: doc.state, to },
    );
  }
  if (rule.guard === "all_signed") {
    const missing = missingSignatories(tx.ctx, documentId);
    throw coded(
      conflict(
        `the document becomes signed by itself once every required signatory has signed; ${missing.length} still to sign`,
        missing.map((code) => `${code} has not signed`),
      ),
      "transition.signed_by_itself",
      { missing: missing.length },
    );
  }
  if (!mayTrigger(user, rule, facts)) throw coded(forbidden(`only ${whoMay(rule.triggers)} may ${rule.label.toLowerCase()} this document`), "transition.forbidden", { to });
  const reason = input.reason?.trim() || null;
  if (rule.reasonRequired && !reason) throw coded(badRequest(`a reason is required to ${rule.label.toLowerCase()} a document`, ["reason: required"]), "transition.reason_required", { to });
  if (rule.guard === "clean") {
    const blockers = tx.ctx.guards.documentBlockers(tx.ctx, documentId);
    if (blockers.length > 0) {
      const summary = summaryParts(blockers);
      throw coded(conflict(blockersSentence(blockers), blockers), "document.not_clean", { blockers: blockers.length }, { summary, summaryCodes: reasonCodes(summary) });
    }
  }
  if (rule.guard === "authentic_texts") {
    const blockers = tx.ctx.guards.adoptionBlockers(tx.ctx, documentId);
    if (blockers.length > 0)
      throw conflict(`the document cannot be adopted until every language version is current: ${blockers.length} paragraph${blockers.length === 1 ? "" : "s"} not current`, capped(blockers, "paragraphs"));
  }
  let voided = 0;
  if (rule.name === "reopen") voided = voidSignatures(tx, auditActor(user), documentId, reason ?? "reopened");
  // On adoption, who must still sign is part of the act: the ministers concerned are told.
  const details =
    rule.name === "reopen" ? { voidedSignatures: voided } : rule.to === "adopted" ? { awaitingSignatures: missingSignatories(tx.ctx, documentId) } : {};
  return moveDocument(tx, auditActor(user), doc, rule, reason, details);
}

/** Who a rule lets trigger it, for a person: "the chair of the owning body or the rapporteur". */
function whoMay(triggers: readonly string[]): string {
  const words: Record<string, string> = {
    body_chair: "the chair of the owning body",
    plenary_chair: "the chair of the plenary",
    rapporteur: "the rapporteur",
    secretariat: "the secretariat",
    automatic: "the server",
  };
  return triggers.map((t) => words[t] ?? t).join(" or ");
}

/**
 * What `user` may do with the document now, as the editor offers it: every permitted move
 * from its state with what still blocks it (the clean guard's reasons, the signatories
 * still to sign), each blocker's code beside it (`blockerCodes`).
 */
export function offeredTransitions(ctx: AppContext, user: User, doc: DocumentRow): OfferedTransition[] {
  const facts = { state: doc.state, bodyId: doc.body_id, plenaryBodyIds: plenaryBodyIds(ctx, doc.meeting_id) };
  if (doc.original_id) return [];
  const offered = allowedTransitions(user, facts);
  const clean = offered.some((t) => t.guard === "clean");
  const authentic = offered.some((t) => t.guard === "authentic_texts");
  if (!clean && !authentic) return offered;
  return allowedTransitions(user, {
    ...facts,
    ...(clean ? { blockers: ctx.guards.documentBlockers(ctx, doc.id) } : {}),
    ...(authentic ? { adoptionBlockers: capped(ctx.guards.adoptionBlockers(ctx, doc.id), "paragraphs") } : {}),
  }).map((t) => (t.blockers.length > 0 ? { ...t, blockerCodes: reasonCodes(t.blockers) } : t));
}

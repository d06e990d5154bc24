import { requireOwnStructure } from "../commands/guards.js";
import { chairsDocument, FROZEN_STATES, MAX_BLOCK_TEXT, newId } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentForUser, documentRow, type DocumentRow } from "../documents/documents.js";
import { documentEvent } from "../events/events.js";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.js";
import { amendmentRow } from "./amendments.js";
import { documentParagraph } from "../documents/paragraphs.js";
import { checkedContent } from "./content.js";
import { insertAmendment, requireTarget } from "./draft.js";
import { recordAmendment } from "./record.js";
import { putOnTable } from "./table.js";
import { requireAmendable, requireDelegate } from "./rules.js";
import type { EventAct } from "../../schema/api/events.js";
import type { Amendment, AmendmentOperation, Recommendation } from "../../schema/api/amendments.js";

interface RecommendationRow {
  id: string;
  document_id: string;
  paragraph_id: string | null;
  text: string;
  rationale: string;
  state: Recommendation["state"];
  submitted_by: string;
  amendment_id: string | null;
  created_at: string;
}

function toRecommendation(ctx: AppContext, row: RecommendationRow): Recommendation {
  const offered = ctx.db
    .prepare("SELECT delegation FROM recommendation_sponsors WHERE recommendation_id = ? ORDER BY offered_at, delegation")
    .pluck()
    .all(row.id) as string[];
  const author = ctx.db.prepare("SELECT username FROM users WHERE id = ?").pluck().get(row.submitted_by) as string;
  return {
    id: row.id,
    documentId: row.document_id,
    paragraphId: row.paragraph_id,
    paragraphRef: row.paragraph_id ? (documentParagraph(ctx, row.document_id, row.paragraph_id)?.ref ?? null) : null,
    text: row.text,
    rationale: row.rationale,
    state: row.state,
    author,
    sponsorsOffered: offered,
    amendmentId: row.amendment_id,
    createdAt: row.created_at,
  };
}

/** A document's recommendations, oldest first. */
export function listRecommendations(ctx: AppContext, documentId: string): Recommendation[] {
  const rows = ctx.db.prepare("SELECT * FROM recommendations WHERE document_id = ? ORDER BY created_at, id").all(documentId) as RecommendationRow[];
  return rows.map((r) => toRecommendation(ctx, r));
}

/** The recommendation with `id` in the user's meeting, with its document; 404 otherwise. */
export function recommendationForUser(ctx: AppContext, user: User, id: string): { row: RecommendationRow; doc: DocumentRow } {
  const row = ctx.db.prepare("SELECT * FROM recommendations WHERE id = ?").get(id) as RecommendationRow | undefined;
  if (!row) throw notFound("recommendation");
  try {
    return { row, doc: documentForUser(ctx, user, row.document_id) };
  } catch {
    throw notFound("recommendation");
  }
}

/** The recommendation in its API shape. */
export function recommendationJson(ctx: AppContext, id: string): Recommendation {
  return toRecommendation(ctx, ctx.db.prepare("SELECT * FROM recommendations WHERE id = ?").get(id) as RecommendationRow);
}

function record(tx: CommandTx, user: User, doc: DocumentRow, id: string, what: EventAct<"recommendation">, details: Record<string, unknown> = {}): Recommendation {
  const recommendation = recommendationJson(tx.ctx, id);
  tx.audit(auditActor(user), {
    meetingId: doc.meeting_id,
    documentId: doc.id,
    action: `recommendation.${what}`,
    targetType: "recommendation",
    targetId: id,
    details: { paragraphId: recommendation.paragraphId, ...details },
  });
  tx.publish(documentEvent(doc.id, `recommendation.${what}`, recommendation, user));
  return recommendation;
}

/** What an observer recommends (API: `POST /api/documents/:id/recommendations`). */
export interface RecommendationInput {
  text: string;
  rationale?: string;
  paragraphId?: string;
}

/**
 * A civil society observer submits a recommendation to the plenary on a document,
 * optionally pointing at a paragraph. It changes nothing until a chair turns it into an
 * amendment. 403 for anyone but an observer, 409 once the text is frozen or when the
 * paragraph does not exist.
 */
export function submitRecommendation(tx: CommandTx, user: User, documentId: string, input: RecommendationInput): Recommendation {
  if (user.role !== "observer") throw forbidden("only civil society observers submit recommendations; delegations table amendments");
  const doc = documentRow(tx.ctx, documentId);
  if (!doc || doc.meeting_id !== user.meetingId) throw notFound("document");
  requireOwnStructure(tx.ctx, documentId, { code: "recommendation.submit" });
  if (FROZEN_STATES.has(doc.state)) throw conflict(`the document is ${doc.state}; it no longer takes recommendations`);
  const text = input.text.normalize("NFC").trim();
  if (!text || text.length > MAX_BLOCK_TEXT) throw badRequest("invalid recommendation", [`text: 1 to ${MAX_BLOCK_TEXT} characters`]);
  if (input.paragraphId && !documentParagraph(tx.ctx, documentId, input.paragraphId))
    throw conflict(`paragraph ${input.paragraphId} does not exist in this document`, [`no paragraph with id ${input.paragraphId}`]);
  const id = newId("r");
  tx.db
    .prepare(
      `INSERT INTO recommendations (id, document_id, paragraph_id, text, rationale, state, submitted_by, created_at)
       VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?)`,
    )
    .run(id, documentId, input.paragraphId ?? null, text, input.rationale ?? "", user.id, new Date().toISOString());
  return record(tx, user, doc, id, "submitted");
}

/**
 * A delegate says their delegation agrees to sponsor a recommendation as an amendment
 * (`agree` true), or takes that back. The chair may then convert it in that delegation's name.
 */
export function offerSponsorship(tx: CommandTx, user: User, recommendationId: string, agree: boolean): Recommendation {
  const delegation = requireDelegate(user, "offer to sponsor a recommendation");
  const { row, doc } = recommendationForUser(tx.ctx, user, recommendationId);
  if (row.state !== "submitted") throw conflict("the recommendation has already been turned into an amendment");
  const result = agree
    ? tx.db
        .prepare("INSERT INTO recommendation_sponsors (recommendation_id, delegation, user_id, offered_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
        .run(row.id, delegation, user.id, new Date().toISOString())
    : tx.db.prepare("DELETE FROM recommendation_sponsors WHERE recommendation_id = ? AND delegation = ?").run(row.id, delegation);
  if (result.changes === 0) return recommendationJson(tx.ctx, row.id);
  return record(tx, user, doc, row.id, agree ? "sponsorship_offered" : "sponsorship_withdrawn", { delegation });
}

/** How the chair turns a recommendation into an amendment. */
export interface ConversionInput {
  /** A delegation that has offered to sponsor it. */
  sponsor: string;
  operation: AmendmentOperation;
  /** Defaults to the paragraph the recommendation points at. */
  paragraphId?: string;
}

/**
 * The chair (of the owning body, or of the plenary the recommendation is addressed to)
 * turns a recommendation into an amendment on the table, sponsored by a delegation that
 * agreed to sponsor it; its wording and rationale become the amendment's. 409 when that
 * delegation has not agreed, the recommendation was converted already, or the document
 * can no longer be amended.
 */
export function convertRecommendation(tx: CommandTx, user: User, recommendationId: string, input: ConversionInput): Amendment {
  const { row, doc } = recommendationForUser(tx.ctx, user, recommendationId);
  const plenary = tx.db.prepare("SELECT id FROM bodies WHERE meeting_id = ? AND kind = 'plenary'").pluck().all(doc.meeting_id) as string[];
  if (!chairsDocument(user, { bodyId: doc.body_id }) && !plenary.some((id) => user.chairOf.includes(id)))
    throw forbidden("only the chair may turn a recommendation into an amendment");
  if (row.state !== "submitted") throw conflict("the recommendation has already been turned into an amendment");
  requireAmendable(doc);
  const offered = tx.db
    .prepare("SELECT 1 FROM recommendation_sponsors WHERE recommendation_id = ? AND delegation = ?")
    .get(row.id, input.sponsor);
  if (!offered) throw conflict(`${input.sponsor} has not agreed to sponsor this recommendation`, [`no sponsorship offer from ${input.sponsor}`]);
  const paragraphId = input.paragraphId ?? row.paragraph_id;
  if (!paragraphId) throw badRequest("say which paragraph the amendment targets", ["paragraphId: required (the recommendation points at none)"]);
  const target = requireTarget(tx, doc, paragraphId, input.operation);
  const content = checkedContent(input.operation, input.operation === "delete" ? undefined : { text: row.text });
  const id = insertAmendment(tx, {
    documentId: doc.id,
    target,
    paragraphId,
    operation: input.operation,
    content,
    rationale: row.rationale,
    sponsor: input.sponsor,
    createdBy: user.id,
    state: "draft",
    recommendationId: row.id,
  });
  putOnTable(tx, amendmentRow(tx.ctx, id)!);
  tx.db.prepare("UPDATE recommendations SET state = 'converted', amendment_id = ? WHERE id = ?").run(id, row.id);
  record(tx, user, doc, row.id, "converted", { amendmentId: id, sponsor: input.sponsor });
  return recordAmendment(tx, user, id, "tabled", { fromRecommendation: row.id });
}

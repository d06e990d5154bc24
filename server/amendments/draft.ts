import { requireOwnStructure } from "../commands/guards.js";
import { newId, textHash } from "../../schema/index.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentRow, type DocumentRow } from "../documents/documents.js";
import { conflict, notFound } from "../http/errors.js";
import { amendmentForUser } from "./amendments.js";
import { documentParagraph, type Paragraph } from "../documents/paragraphs.js";
import { checkedContent } from "./content.js";
import { recordAmendment } from "./record.js";
import { requireAmendable, requireDelegate, requireSponsor, requireState } from "./rules.js";
import type { Amendment, AmendmentContent, AmendmentOperation, AmendmentState } from "../../schema/api/amendments.js";

/** What a delegation proposes (API: `POST /api/documents/:id/amendments`). */
export interface AmendmentProposal {
  paragraphId: string;
  operation: AmendmentOperation;
  /** Untrusted: checked against the schema here. */
  content?: unknown;
  rationale?: string;
}

/**
 * The block an amendment may target, or 409 saying why not: it must exist in the document
 * now; a replacement or deletion must target a preambular or operative paragraph; nothing
 * may be inserted before the title.
 */
export function requireTarget(tx: CommandTx, doc: DocumentRow, paragraphId: string, operation: AmendmentOperation): Paragraph {
  const target = documentParagraph(tx.ctx, doc.id, paragraphId);
  if (!target) throw conflict(`paragraph ${paragraphId} does not exist in this document`, [`no paragraph with id ${paragraphId}`]);
  const isParagraph = target.block.kind === "pp" || target.block.kind === "op";
  if ((operation === "replace" || operation === "delete") && !isParagraph)
    throw conflict(`only a paragraph can be replaced or deleted, not the ${target.block.kind}`, [`target is a ${target.block.kind}`]);
  if (operation === "insert_before" && target.block.kind === "title") throw conflict("nothing can be inserted before the title");
  return target;
}

/** The fields of a new amendment row. */
export interface NewAmendment {
  documentId: string;
  target: Paragraph;
  paragraphId: string;
  operation: AmendmentOperation;
  content: AmendmentContent | null;
  rationale: string;
  sponsor: string;
  createdBy: string;
  state: AmendmentState;
  recommendationId?: string | null;
}

/** Inserts an amendment row, based on the target's current text. Returns its id. */
export function insertAmendment(tx: CommandTx, input: NewAmendment): string {
  const id = newId("a");
  const now = new Date().toISOString();
  tx.db
    .prepare(
      `INSERT INTO amendments (id, document_id, paragraph_id, paragraph_ref, operation, content, rationale, state, sponsor,
         created_by, base_text, base_hash, recommendation_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      input.documentId,
      input.paragraphId,
      input.target.ref,
      input.operation,
      input.content === null ? null : JSON.stringify(input.content),
      input.rationale,
      input.state,
      input.sponsor,
      input.createdBy,
      input.target.text,
      textHash(input.target.text),
      input.recommendationId ?? null,
      now,
      now,
    );
  return id;
}

/**
 * A delegate drafts an amendment for their delegation against one paragraph. The draft is
 * the delegation's own until tabled (it has no number yet). 403 for anyone but a
 * delegate, 409 once the document is agreed ad referendum or the paragraph does not exist,
 * 400 for content that is not valid in the schema.
 */
export function draftAmendment(tx: CommandTx, user: User, documentId: string, proposal: AmendmentProposal): Amendment {
  const sponsor = requireDelegate(user, "draft amendments");
  const doc = documentRow(tx.ctx, documentId);
  if (!doc || doc.meeting_id !== user.meetingId) throw notFound("document");
  requireOwnStructure(tx.ctx, documentId, { code: "amendment.propose" });
  requireAmendable(doc);
  const content = checkedContent(proposal.operation, proposal.content);
  const target = requireTarget(tx, doc, proposal.paragraphId, proposal.operation);
  const id = insertAmendment(tx, {
    documentId,
    target,
    paragraphId: proposal.paragraphId,
    operation: proposal.operation,
    content,
    rationale: proposal.rationale ?? "",
    sponsor,
    createdBy: user.id,
    state: "draft",
  });
  return recordAmendment(tx, user, id, "drafted");
}

/** What the sponsor may change (API: `PATCH /api/amendments/:id`). */
export interface AmendmentChanges {
  content?: unknown;
  rationale?: string;
}

/**
 * The sponsor revises the wording or rationale of a draft or of a stale amendment (before
 * rebasing it). 403 for anyone else, 409 in any other state, 400 for invalid content.
 */
export function updateAmendment(tx: CommandTx, user: User, amendmentId: string, changes: AmendmentChanges): Amendment {
  const row = amendmentForUser(tx.ctx, user, amendmentId);
  requireSponsor(user, row, "edit this amendment");
  requireState(row, ["draft", "stale"], "edit it");
  const doc = documentRow(tx.ctx, row.document_id)!;
  requireAmendable(doc);
  const changed: string[] = [];
  if (changes.content !== undefined) {
    const content = checkedContent(row.operation, changes.content);
    tx.db.prepare("UPDATE amendments SET content = ? WHERE id = ?").run(content === null ? null : JSON.stringify(content), row.id);
    changed.push("content");
  }
  if (changes.rationale !== undefined) {
    tx.db.prepare("UPDATE amendments SET rationale = ? WHERE id = ?").run(changes.rationale, row.id);
    changed.push("rationale");
  }
  tx.db.prepare("UPDATE amendments SET updated_at = ? WHERE id = ?").run(new Date().toISOString(), row.id);
  return recordAmendment(tx, user, row.id, "updated", { changed });
}

import type { User } from "../auth/users.js";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { documentText } from "../documents/paragraphs.js";
import { notFound } from "../http/errors.js";
import { amendmentDiff } from "./diff.js";
import type { Amendment, AmendmentContent, AmendmentOperation, AmendmentState, AmendmentWithDiff } from "../../schema/api/amendments.js";

/** States in which an amendment is on the table, waiting for the chair (or a rebase). */
const PENDING_STATES: ReadonlySet<AmendmentState> = new Set(["tabled", "stale"]);

/** An amendment's row in the store. */
export interface AmendmentRow {
  id: string;
  document_id: string;
  number: number | null;
  paragraph_id: string;
  paragraph_ref: string | null;
  operation: AmendmentOperation;
  content: string | null;
  rationale: string;
  state: AmendmentState;
  sponsor: string;
  created_by: string | null;
  base_text: string | null;
  base_hash: string | null;
  tabled_at: string | null;
  stale_reason: string | null;
  decided_content: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  recommendation_id: string | null;
  created_at: string;
  updated_at: string;
}

/** The row of an amendment, or null. */
export function amendmentRow(ctx: Pick<AppContext, "db">, id: string): AmendmentRow | null {
  return (ctx.db.prepare("SELECT * FROM amendments WHERE id = ?").get(id) as AmendmentRow | undefined) ?? null;
}

/**
 * Whether `user` may see the amendment: one never tabled (a draft, or a draft withdrawn)
 * is its sponsoring delegation's working paper; once tabled it is public to the meeting.
 */
function visibleTo(user: Pick<User, "delegation">, row: Pick<AmendmentRow, "number" | "sponsor">): boolean {
  return row.number !== null || user.delegation === row.sponsor;
}

/** The amendment with `id` if the user's meeting holds it and the user may see it; 404 otherwise. */
export function amendmentForUser(ctx: AppContext, user: User, id: string): AmendmentRow {
  const row = amendmentRow(ctx, id);
  if (!row || !visibleTo(user, row)) throw notFound("amendment");
  try {
    documentForUser(ctx, user, row.document_id);
  } catch {
    throw notFound("amendment");
  }
  return row;
}

/** Filters of a listing (API: `paragraph`, `delegation`, `state`). */
export interface AmendmentFilter {
  paragraph?: string;
  /** Sponsor or co-sponsor. */
  delegation?: string;
  state?: AmendmentState;
}

const parseContent = (json: string | null): AmendmentContent | null => (json === null ? null : (JSON.parse(json) as AmendmentContent));

/**
 * The API shape of a document's amendments, from four queries and one (cached) read of
 * the text whatever their number: rows, co-sponsors, results, colliding amendments.
 */
function present(ctx: AppContext, documentId: string, rows: readonly AmendmentRow[], withDiff: boolean): AmendmentWithDiff[] | Amendment[] {
  if (rows.length === 0) return [];
  // One amendment is read by its id (as cheap on a document with 300); a listing by document.
  const one = rows.length === 1 ? rows[0]! : null;
  const scope = one ? "amendment_id = @id" : "amendment_id IN (SELECT id FROM amendments WHERE document_id = @documentId)";
  const params = { id: one?.id ?? null, documentId };
  const cosponsors = new Map<string, Array<{ delegation: string; joinedAt: string }>>();
  for (const c of ctx.db
    .prepare(
      `SELECT amendment_id, delegation, joined_at FROM amendment_cosponsors WHERE ${scope} ORDER BY joined_at, delegation`,
    )
    .all(params) as Array<{ amendment_id: string; delegation: string; joined_at: string }>) {
    let list = cosponsors.get(c.amendment_id);
    if (!list) cosponsors.set(c.amendment_id, (list = []));
    list.push({ delegation: c.delegation, joinedAt: c.joined_at });
  }
  const results = new Map<string, string[]>();
  for (const r of ctx.db
    .prepare(`SELECT amendment_id, paragraph_id FROM amendment_results WHERE ${scope} ORDER BY amendment_id, position`)
    .all(params) as Array<{ amendment_id: string; paragraph_id: string }>) {
    let list = results.get(r.amendment_id);
    if (!list) results.set(r.amendment_id, (list = []));
    list.push(r.paragraph_id);
  }
  const onTable = new Map<string, string[]>();
  for (const p of ctx.db
    .prepare(
      `SELECT id, paragraph_id FROM amendments WHERE document_id = @documentId AND state IN ('tabled', 'stale')
       ${one ? "AND paragraph_id = @paragraphId" : ""} ORDER BY number`,
    )
    .all({ documentId, paragraphId: one?.paragraph_id ?? null }) as Array<{ id: string; paragraph_id: string }>) {
    let list = onTable.get(p.paragraph_id);
    if (!list) onTable.set(p.paragraph_id, (list = []));
    list.push(p.id);
  }
  const users = new Map<string, string>();
  const usernameOf = (id: string | null): string | null => {
    if (id === null) return null;
    if (!users.has(id)) users.set(id, (ctx.db.prepare("SELECT username FROM users WHERE id = ?").pluck().get(id) as string | undefined) ?? id);
    return users.get(id)!;
  };
  const paragraphs = documentText(ctx, documentId).byId;
  return rows.map((row) => {
    const target = paragraphs.get(row.paragraph_id) ?? null;
    const content = parseContent(row.content);
    const live = row.state === "draft" || PENDING_STATES.has(row.state);
    const cs = cosponsors.get(row.id) ?? [];
    const amendment: Amendment = {
      id: row.id,
      number: row.number === null ? null : `A${row.number}`,
      documentId: row.document_id,
      paragraphId: row.paragraph_id,
      paragraphRef: target?.ref ?? row.paragraph_ref,
      operation: row.operation,
      content,
      rationale: row.rationale,
      state: row.state,
      sponsor: row.sponsor,
      cosponsors: cs.map((c) => c.delegation),
      cosponsorships: cs,
      collidesWith: live ? (onTable.get(row.paragraph_id) ?? []).filter((id) => id !== row.id) : [],
      staleReason: row.stale_reason,
      baseText: row.base_text,
      baseHash: row.base_hash,
      tabledAt: row.tabled_at,
      decidedBy: usernameOf(row.decided_by),
      decidedAt: row.decided_at,
      decisionReason: row.decision_reason,
      decidedContent: parseContent(row.decided_content),
      resultParagraphIds: results.get(row.id) ?? [],
      recommendationId: row.recommendation_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    if (!withDiff) return amendment;
    return { ...amendment, diff: amendmentDiff(row.operation, content, target?.text ?? null, row.base_text ?? target?.text ?? "") };
  });
}

/** One amendment in its API shape (with diffs when asked). */
export function amendmentJson(ctx: AppContext, row: AmendmentRow, withDiff: true): AmendmentWithDiff;
export function amendmentJson(ctx: AppContext, row: AmendmentRow, withDiff?: false): Amendment;
export function amendmentJson(ctx: AppContext, row: AmendmentRow, withDiff = false): Amendment | AmendmentWithDiff {
  return present(ctx, row.document_id, [row], withDiff)[0]!;
}

/**
 * A document's amendments that `viewer` may see, in number order (drafts last, oldest
 * first), filtered; with diffs when asked.
 */
export function listAmendments(ctx: AppContext, viewer: Pick<User, "delegation">, documentId: string, filter: AmendmentFilter, withDiff: true): AmendmentWithDiff[];
export function listAmendments(ctx: AppContext, viewer: Pick<User, "delegation">, documentId: string, filter?: AmendmentFilter, withDiff?: boolean): Amendment[];
export function listAmendments(ctx: AppContext, viewer: Pick<User, "delegation">, documentId: string, filter: AmendmentFilter = {}, withDiff = false): Amendment[] {
  const where = ["a.document_id = @documentId", "(a.number IS NOT NULL OR a.sponsor = @viewer)"];
  if (filter.paragraph) where.push("a.paragraph_id = @paragraph");
  if (filter.state) where.push("a.state = @state");
  if (filter.delegation)
    where.push("(a.sponsor = @delegation OR EXISTS (SELECT 1 FROM amendment_cosponsors c WHERE c.amendment_id = a.id AND c.delegation = @delegation))");
  const rows = ctx.db
    .prepare(`SELECT a.* FROM amendments a WHERE ${where.join(" AND ")} ORDER BY a.number IS NULL, a.number, a.created_at`)
    .all({
      documentId,
      viewer: viewer.delegation ?? "",
      paragraph: filter.paragraph ?? null,
      state: filter.state ?? null,
      delegation: filter.delegation ?? null,
    }) as AmendmentRow[];
  return present(ctx, documentId, rows, withDiff);
}

import type { AppContext } from "../context.js";
import { statement } from "../store/statements.js";

/** A consolidated paragraph's record of where it came from (table `paragraph_provenance`). */
export interface ProvenanceRow {
  document_id: string;
  paragraph_id: string;
  source_document_id: string;
  source_paragraph_id: string;
  position: number;
  base_hash: string;
  base_text: string;
  copied_at: string;
  decision: "pulled" | "declined" | null;
  decision_hash: string | null;
  decided_by: string | null;
  decided_at: string | null;
  /** Username of `decided_by` (joined, for people to read). */
  decider: string | null;
}

const SELECT_PROVENANCE = `SELECT p.*, u.username AS decider FROM paragraph_provenance p LEFT JOIN users u ON u.id = p.decided_by`;

/** A source paragraph left out on purpose (table `consolidation_omissions`). */
export interface OmissionRow {
  document_id: string;
  source_document_id: string;
  source_paragraph_id: string;
  position: number;
  text_hash: string;
  text: string;
}

/** A source of a consolidated document (table `consolidation_sources`). */
export interface SourceRow {
  document_id: string;
  source_document_id: string;
  position: number;
  selection: "all" | "selected";
  source_hash: string;
}

/** What `decision_hash` holds when the decision was about a deleted source paragraph. */
export const DELETED_SOURCE = "deleted";

/** The sources of a consolidated document, in section order (empty for other documents). */
export function sourcesOf(ctx: Pick<AppContext, "db">, documentId: string): SourceRow[] {
  return ctx.db.prepare("SELECT * FROM consolidation_sources WHERE document_id = ? ORDER BY position").all(documentId) as SourceRow[];
}

/** Every provenance row of a consolidated document, in copy order. */
export function provenanceRows(ctx: Pick<AppContext, "db">, documentId: string): ProvenanceRow[] {
  return ctx.db.prepare(`${SELECT_PROVENANCE} WHERE p.document_id = ? ORDER BY p.position`).all(documentId) as ProvenanceRow[];
}

/** The provenance row of one consolidated paragraph, or null. */
export function provenanceRow(ctx: Pick<AppContext, "db">, documentId: string, paragraphId: string): ProvenanceRow | null {
  return (
    (ctx.db.prepare(`${SELECT_PROVENANCE} WHERE p.document_id = ? AND p.paragraph_id = ?`).get(documentId, paragraphId) as
      | ProvenanceRow
      | undefined) ?? null
  );
}

/** The source paragraphs deliberately left out of a consolidated document. */
export function omissionRows(ctx: Pick<AppContext, "db">, documentId: string): OmissionRow[] {
  return ctx.db
    .prepare("SELECT * FROM consolidation_omissions WHERE document_id = ? ORDER BY source_document_id, position")
    .all(documentId) as OmissionRow[];
}

type Dependent = Pick<ProvenanceRow, "document_id" | "paragraph_id" | "source_paragraph_id">;

/**
 * Whether any consolidated document takes paragraphs from this one: a probe that runs on
 * every accepted text change of every document (its statement compiled once per database).
 */
export function feedsConsolidation(ctx: Pick<AppContext, "db">, sourceDocumentId: string): boolean {
  return statement(ctx.db, "SELECT 1 FROM paragraph_provenance WHERE source_document_id = ? LIMIT 1").get(sourceDocumentId) !== undefined;
}

/**
 * `feedsConsolidation` for several documents in one statement: those of `sourceDocumentIds`
 * that feed one (a flush's reactions ask it for every document the flush touches).
 */
export function feedingConsolidation(ctx: Pick<AppContext, "db">, sourceDocumentIds: readonly string[]): Set<string> {
  if (sourceDocumentIds.length === 1) return new Set(feedsConsolidation(ctx, sourceDocumentIds[0]!) ? sourceDocumentIds : []);
  const rows = statement(
    ctx.db,
    "SELECT DISTINCT source_document_id FROM paragraph_provenance WHERE source_document_id IN (SELECT value FROM json_each(?))",
  )
    .all(JSON.stringify(sourceDocumentIds)) as Array<{ source_document_id: string }>;
  return new Set(rows.map((r) => r.source_document_id));
}

/**
 * The consolidated paragraphs copied from any of `sourceParagraphIds` of a source document:
 * indexed lookups, cheap enough to run on every text change (a document that feeds no
 * consolidation costs one index probe: `feeds`, asked first, which a caller may answer from
 * what it already knows).
 */
export function dependentsOf(
  ctx: Pick<AppContext, "db">,
  sourceDocumentId: string,
  sourceParagraphIds: readonly string[],
  feeds: () => boolean = () => feedsConsolidation(ctx, sourceDocumentId),
): Dependent[] {
  if (sourceParagraphIds.length === 0) return [];
  if (!feeds()) return [];
  return statement(
    ctx.db,
    `SELECT document_id, paragraph_id, source_paragraph_id FROM paragraph_provenance
     WHERE source_document_id = ? AND source_paragraph_id IN (SELECT value FROM json_each(?))`,
  ).all(sourceDocumentId, JSON.stringify(sourceParagraphIds)) as Dependent[];
}

import type { BlockKind, FrozenLabel, FrozenLabels } from "../../schema/index.js";
import type { AppContext } from "../context.js";
import { statement } from "../store/statements.js";
import type { NumberingAct } from "../../schema/api/numbering.js";

/** A document's frozen numbering as stored (migrations/027_paragraph_numbers.sql). */
export interface FrozenNumbering {
  /** Goes up with each freeze: a reader's numbered text is stale when it changes. */
  revision: number;
  act: NumberingAct;
  actedAt: string;
  labels: FrozenLabels;
}

const NONE: FrozenLabels = new Map();
// Labels by document, per database, with the revision they were read at. One indexed row
// is read per call to know whether they are still current; the rows themselves only when
// the revision moved.
const cache = new WeakMap<AppContext["db"], Map<string, FrozenNumbering>>();

/**
 * The document's frozen numbering, or null while it is a draft (numbers follow the order).
 * A language version is numbered as its original: OP7 bis is OP7 bis in every language.
 * Every reader of numbers gets them through the paragraph read-model, which asks here.
 */
export function frozenNumbering(ctx: Pick<AppContext, "db">, documentId: string): FrozenNumbering | null {
  const head = statement(
    ctx.db,
    `SELECT n.document_id, n.revision, n.act, n.acted_at FROM documents d
       JOIN document_numbering n ON n.document_id = COALESCE(d.original_id, d.id)
      WHERE d.id = ?`,
  ).get(documentId) as { document_id: string; revision: number; act: NumberingAct; acted_at: string } | undefined;
  if (!head) return null;
  documentId = head.document_id;
  let perDb = cache.get(ctx.db);
  if (!perDb) cache.set(ctx.db, (perDb = new Map()));
  const hit = perDb.get(documentId);
  if (hit && hit.revision === head.revision) return hit;
  const rows = statement(ctx.db, "SELECT paragraph_id, kind, level, label FROM paragraph_numbers WHERE document_id = ?").all(documentId) as Array<{
    paragraph_id: string;
    kind: BlockKind;
    level: number;
    label: string;
  }>;
  const labels = new Map<string, FrozenLabel>(rows.map((r) => [r.paragraph_id, { kind: r.kind, level: r.level, label: r.label }]));
  const numbering: FrozenNumbering = { revision: head.revision, act: head.act, actedAt: head.acted_at, labels };
  // A rollback takes the rows back and may give their revision to other rows: only committed ones are kept.
  if (!ctx.db.inTransaction) perDb.set(documentId, numbering);
  return numbering;
}

/** The frozen labels of a document (empty while it is a draft). */
export function frozenLabels(ctx: Pick<AppContext, "db">, documentId: string): FrozenLabels {
  return frozenNumbering(ctx, documentId)?.labels ?? NONE;
}

import type { AppContext } from "../context.js";
import type { Paragraph } from "../documents/paragraphs.js";
import { statement } from "../store/statements.js";

import { type ParagraphStatus, type ParagraphStatusInfo } from "../../schema/status.js";
export { PARAGRAPH_STATUSES, type ParagraphStatus, type ParagraphStatusInfo } from "../../schema/status.js";

interface StatusRow {
  paragraph_id: string;
  status: ParagraphStatus;
  set_by_username: string | null;
  set_at: string;
}

/** The kinds of block that carry a status: preambular and operative paragraphs. */
export function hasStatus(view: Pick<Paragraph, "kind">): boolean {
  return view.kind === "pp" || view.kind === "op";
}

/** The stored status rows of a document, by paragraph id. */
function statusRows(ctx: Pick<AppContext, "db">, documentId: string): Map<string, StatusRow> {
  const rows = statement(ctx.db, "SELECT paragraph_id, status, set_by_username, set_at FROM paragraph_statuses WHERE document_id = ?").all(
    documentId,
  ) as StatusRow[];
  return new Map(rows.map((r) => [r.paragraph_id, r]));
}

/** Every non-white status of a document, by paragraph id. */
export function paragraphStatuses(ctx: Pick<AppContext, "db">, documentId: string): Map<string, ParagraphStatus> {
  const statuses = new Map<string, ParagraphStatus>();
  for (const [id, row] of statusRows(ctx, documentId)) if (row.status !== "white") statuses.set(id, row.status);
  return statuses;
}

/** The status of one paragraph (white without a row). */
export function statusOf(ctx: Pick<AppContext, "db">, documentId: string, paragraphId: string): ParagraphStatus {
  const status = ctx.db
    .prepare("SELECT status FROM paragraph_statuses WHERE document_id = ? AND paragraph_id = ?")
    .pluck()
    .get(documentId, paragraphId) as ParagraphStatus | undefined;
  return status ?? "white";
}

/** The status of every paragraph of a document, in document order. */
export function listParagraphStatuses(ctx: Pick<AppContext, "db">, documentId: string, paragraphs: Iterable<Paragraph>): ParagraphStatusInfo[] {
  const rows = statusRows(ctx, documentId);
  const list: ParagraphStatusInfo[] = [];
  for (const p of paragraphs) {
    if (!hasStatus(p)) continue;
    const row = rows.get(p.id);
    list.push({ paragraphId: p.id, ref: p.ref, kind: p.kind, status: row?.status ?? "white", setBy: row?.set_by_username ?? null, setAt: row?.set_at ?? null });
  }
  return list;
}

/** What keeps a document from being agreed on the status side: its paragraphs still white. */
export function whiteParagraphReasons(ctx: Pick<AppContext, "db">, documentId: string, paragraphs: Iterable<Paragraph>): string[] {
  const white = listParagraphStatuses(ctx, documentId, paragraphs).filter((s) => s.status === "white");
  return white.map((s) => `${s.ref ?? s.kind} is still white (not agreed)`);
}

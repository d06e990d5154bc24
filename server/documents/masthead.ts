import type { DocumentMasthead } from "../../schema/api/documents.js";
import type { AppContext } from "../context.js";

interface Row {
  symbol: string;
  masthead: string | null;
  document_date: string | null;
  distribution: string | null;
  agenda_item: string | null;
  sponsors: string | null;
  series_symbol: string | null;
}

/** A document's masthead: its own fields, what its imported file said, and the meeting's series. */
export function documentMasthead(ctx: Pick<AppContext, "db">, documentId: string): DocumentMasthead | null {
  const row = ctx.db
    .prepare(
      `SELECT d.symbol, d.masthead, d.document_date, d.distribution, d.agenda_item, d.sponsors, m.series_symbol
       FROM documents d JOIN meetings m ON m.id = d.meeting_id WHERE d.id = ?`,
    )
    .get(documentId) as Row | undefined;
  if (!row) return null;
  let imported: { series?: unknown; originalLanguage?: unknown } = {};
  try {
    imported = JSON.parse(row.masthead ?? "{}") as typeof imported;
  } catch {
    // A masthead column written by hand and unreadable: the meeting's fields stand.
  }
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  return {
    series: text(imported.series) ?? text(row.series_symbol),
    symbol: row.symbol,
    date: text(row.document_date),
    originalLanguage: text(imported.originalLanguage),
    distribution: text(row.distribution),
    agendaItem: text(row.agenda_item),
    sponsors: text(row.sponsors),
  };
}

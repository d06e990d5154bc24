import type { Statement } from "better-sqlite3";
import type { User } from "../auth/users.js";
import type { Db } from "../store/db.js";
import { statement } from "../store/statements.js";
import type { AppContext } from "../context.js";
import { documentForUser, type DocumentRow } from "../documents/documents.js";
import { notFound } from "../http/errors.js";
import type { Paragraph } from "../documents/paragraphs.js";

/** States of a bracket (docs/ARCHITECTURE.md §2): resolved keeps the text, removed deletes it. */
export const BRACKET_STATES = ["open", "resolved", "removed"] as const;
/** One bracket state. */
export type BracketState = (typeof BRACKET_STATES)[number];

/** How a bracket ended: by the chair's resolution, or because an edit deleted its text. */
export type ClosedHow = "kept" | "deleted" | "chosen" | "not_chosen" | "text_deleted";

/** A bracket's row in the store. */
export interface BracketRow {
  id: string;
  document_id: string;
  number: number;
  paragraph_id: string;
  paragraph_ref: string | null;
  group_id: string | null;
  text: string;
  state: BracketState;
  opened_by: string | null;
  opened_by_username: string | null;
  opened_delegation: string | null;
  opened_at: string;
  closed_how: ClosedHow | null;
  closed_by_username: string | null;
  closed_reason: string | null;
  closed_at: string | null;
}

/** One step in a bracket's life, from the audit trail. */
export interface BracketHistoryEntry {
  at: string;
  action: string;
  username: string | null;
  delegation: string | null;
  details: Record<string, unknown>;
}

/** A bracket as the API returns it. */
export interface Bracket {
  id: string;
  /** Per-document label: B1, B2… */
  label: string;
  documentId: string;
  paragraphId: string;
  /** How delegates cite the paragraph now (OP3), or as last seen if it was deleted. */
  paragraphRef: string | null;
  group: string | null;
  /** The bracketed words (NFC): as they stand while open, as last seen once closed. */
  text: string;
  /** NFC UTF-16 offsets in the paragraph's text while the bracket stands there; else null. */
  from: number | null;
  to: number | null;
  holders: string[];
  state: BracketState;
  openedBy: { username: string | null; delegation: string | null };
  openedAt: string;
  closed: { how: ClosedHow; by: string | null; reason: string | null; at: string } | null;
  /** Every step from the audit trail, oldest first; left out of lists unless asked for. */
  history?: BracketHistoryEntry[];
}

// The register and the text rule run their queries on every request and keystroke.
export { statement };

const rawQueries = new WeakMap<Db, Map<string, { stmt: Statement; columns: string[] }>>();

/**
 * Every row of a query, as objects built here from better-sqlite3's raw arrays: for the
 * thousands of rows of a register that is several times cheaper than its own row objects.
 */
function allRows<T>(db: Db, sql: string, ...params: unknown[]): T[] {
  let byDb = rawQueries.get(db);
  if (!byDb) rawQueries.set(db, (byDb = new Map()));
  let query = byDb.get(sql);
  if (!query) {
    const stmt = db.prepare(sql).raw(true);
    byDb.set(sql, (query = { stmt, columns: stmt.columns().map((c) => c.name) }));
  }
  const { stmt, columns } = query;
  return (stmt.all(...params) as unknown[][]).map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i];
    return row as T;
  });
}

/** B1, B2…: how people cite a bracket. */
export function bracketLabel(row: Pick<BracketRow, "number">): string {
  return `B${row.number}`;
}

/** What a new bracket's record says (the mark in the text is the caller's to write). */
export interface NewBracketRecord {
  id: string;
  documentId: string;
  paragraphId: string;
  paragraphRef: string | null;
  group: string | null;
  text: string;
  /** Who opened it; the delegation is null when the secretariat recorded it (an imported draft's brackets). */
  openedBy: { id: string; username: string; delegation: string | null };
  at: string;
}

/** Stores a new open bracket with the next label of its document (B1, B2…); returns its number. */
export function insertBracket(db: Db, input: NewBracketRecord): number {
  const number = statement(db, "SELECT COALESCE(MAX(number), 0) + 1 FROM brackets WHERE document_id = ?").pluck().get(input.documentId) as number;
  statement(
    db,
    `INSERT INTO brackets (id, document_id, number, paragraph_id, paragraph_ref, group_id, text, state, opened_by,
       opened_by_username, opened_delegation, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`,
  ).run(
    input.id,
    input.documentId,
    number,
    input.paragraphId,
    input.paragraphRef,
    input.group,
    input.text,
    input.openedBy.id,
    input.openedBy.username,
    input.openedBy.delegation,
    input.at,
  );
  return number;
}

/** Records `delegation` as a holder of a bracket. */
export function insertHolder(db: Db, bracketId: string, delegation: string, userId: string, at: string): void {
  statement(db, "INSERT INTO bracket_holders (bracket_id, delegation, user_id, held_at) VALUES (?, ?, ?, ?)").run(bracketId, delegation, userId, at);
}

/** The row of a bracket, or null. */
export function bracketRow(ctx: Pick<AppContext, "db">, id: string): BracketRow | null {
  return (statement(ctx.db, "SELECT * FROM brackets WHERE id = ?").get(id) as BracketRow | undefined) ?? null;
}

/** The bracket and its document if the document is in the user's meeting; 404 otherwise. */
export function bracketForUser(ctx: AppContext, user: User, id: string): { row: BracketRow; document: DocumentRow } {
  const row = bracketRow(ctx, id);
  if (!row) throw notFound("bracket");
  try {
    return { row, document: documentForUser(ctx, user, row.document_id) };
  } catch {
    throw notFound("bracket");
  }
}

/** Every bracket of a document, in opening order. */
export function bracketsOfDocument(ctx: Pick<AppContext, "db">, documentId: string): BracketRow[] {
  return allRows<BracketRow>(ctx.db, "SELECT * FROM brackets WHERE document_id = ? ORDER BY number", documentId);
}

/** Every open bracket of a document, in opening order. */
export function openBracketsOf(ctx: Pick<AppContext, "db">, documentId: string): BracketRow[] {
  return allRows<BracketRow>(ctx.db, "SELECT * FROM brackets WHERE document_id = ? AND state = 'open' ORDER BY number", documentId);
}

/** The open brackets of one paragraph, in opening order. */
export function openBracketsIn(ctx: Pick<AppContext, "db">, documentId: string, paragraphId: string): BracketRow[] {
  return statement(ctx.db, "SELECT * FROM brackets WHERE document_id = ? AND paragraph_id = ? AND state = 'open' ORDER BY number").all(
    documentId,
    paragraphId,
  ) as BracketRow[];
}

/** The open brackets of an option group, in opening order. */
export function openOptionsOf(ctx: Pick<AppContext, "db">, row: BracketRow): BracketRow[] {
  if (!row.group_id) return [row];
  return statement(ctx.db, "SELECT * FROM brackets WHERE document_id = ? AND group_id = ? AND state = 'open' ORDER BY number").all(
    row.document_id,
    row.group_id,
  ) as BracketRow[];
}

/** The delegations holding each bracket of a document (or one bracket), in joining order. */
export function holdersOf(ctx: Pick<AppContext, "db">, documentId: string, bracketId?: string): Map<string, string[]> {
  const rows = allRows<{ bracket_id: string; delegation: string }>(
    ctx.db,
    `SELECT h.bracket_id, h.delegation FROM bracket_holders h JOIN brackets b ON b.id = h.bracket_id
     WHERE b.document_id = ? AND (? IS NULL OR b.id = ?) ORDER BY h.held_at, h.delegation`,
    documentId,
    bracketId ?? null,
    bracketId ?? null,
  );
  const holders = new Map<string, string[]>();
  for (const r of rows) {
    const list = holders.get(r.bracket_id);
    if (list) list.push(r.delegation);
    else holders.set(r.bracket_id, [r.delegation]);
  }
  return holders;
}

/** The history of each bracket of a document (or one bracket), read from the audit chain. */
export function historyOf(ctx: Pick<AppContext, "db">, documentId: string, bracketId?: string): Map<string, BracketHistoryEntry[]> {
  type Row = { target_id: string; at: string; action: string; username: string | null; delegation: string | null; details: string };
  const columns = "target_id, at, action, username, delegation, details";
  const rows =
    bracketId === undefined
      ? allRows<Row>(ctx.db, `SELECT ${columns} FROM audit_events WHERE document_id = ? AND target_type = 'bracket' ORDER BY seq`, documentId)
      : allRows<Row>(
          ctx.db,
          `SELECT ${columns} FROM audit_events WHERE target_type = 'bracket' AND target_id = ? AND document_id = ? ORDER BY seq`,
          bracketId,
          documentId,
        );
  const history = new Map<string, BracketHistoryEntry[]>();
  for (const r of rows) {
    const entry = { at: r.at, action: r.action, username: r.username, delegation: r.delegation, details: JSON.parse(r.details) as Record<string, unknown> };
    const list = history.get(r.target_id);
    if (list) list.push(entry);
    else history.set(r.target_id, [entry]);
  }
  return history;
}

/**
 * The API shape of a bracket. `paragraph` is its paragraph as it stands now (null once
 * deleted); an open bracket's text and offsets come from the live text, a closed one's
 * from the record. `history` null leaves the history out.
 */
export function bracketJson(
  row: BracketRow,
  paragraph: Paragraph | null,
  holders: readonly string[],
  history: readonly BracketHistoryEntry[] | null,
): Bracket {
  const span = row.state === "open" ? paragraph?.brackets.find((b) => b.id === row.id) : undefined;
  return {
    id: row.id,
    label: bracketLabel(row),
    documentId: row.document_id,
    paragraphId: row.paragraph_id,
    paragraphRef: paragraph?.ref ?? row.paragraph_ref,
    group: row.group_id,
    text: span && paragraph ? paragraph.text.slice(span.from, span.to) : row.text,
    from: span?.from ?? null,
    to: span?.to ?? null,
    holders: [...holders],
    state: row.state,
    openedBy: { username: row.opened_by_username, delegation: row.opened_delegation },
    openedAt: row.opened_at,
    closed:
      row.state !== "open" && row.closed_how && row.closed_at
        ? { how: row.closed_how, by: row.closed_by_username, reason: row.closed_reason, at: row.closed_at }
        : null,
    ...(history ? { history: [...history] } : {}),
  };
}

/** One bracket in the API shape, read fresh (after a command changed it). */
export function loadBracket(ctx: AppContext, id: string, paragraph: Paragraph | null): Bracket {
  const row = bracketRow(ctx, id);
  if (!row) throw notFound("bracket");
  return bracketJson(row, paragraph, holdersOf(ctx, row.document_id, id).get(id) ?? [], historyOf(ctx, row.document_id, id).get(id) ?? []);
}

import type { Statement } from "../store/db.js";
import type { User } from "../auth/users.js";
import type { Db } from "../store/db.js";
import { statement } from "../store/statements.js";
import { groupAcross, type ParagraphReads } from "../collab/paragraph-reads.js";
import type { AppContext } from "../context.js";
import { documentForUser, type DocumentRow } from "../documents/documents.js";
import { notFound } from "../http/errors.js";
import { citation, type Paragraph } from "../documents/paragraphs.js";

export { BRACKET_STATES, type BracketState, type ClosedHow, type BracketScope, type BracketHistoryEntry, type Bracket } from "../../schema/api/brackets.js";
import type { BracketState, ClosedHow, BracketScope, BracketHistoryEntry, Bracket } from "../../schema/api/brackets.js";

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
  /** The text typed before this option of its group (" / ", " "); null for a group's first option or a lone bracket. */
  separator: string | null;
  /** `text`: a span inside `paragraph_id`; `paragraphs`: whole consecutive paragraphs (bracket_paragraphs). */
  scope: BracketScope;
  /** "Option 1", "Option 2" for a labelled alternative of whole paragraphs; else null. */
  option_label: string | null;
  /** 1 for the option "No text" (choosing it deletes every option's paragraphs). */
  no_text: number;
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

/**
 * Records `delegation` (a delegation's or a group's code) as a holder of a bracket;
 * `recordedBy` is the delegation that spoke for a group, null when one holds for itself.
 */
export function insertHolder(db: Db, bracketId: string, delegation: string, userId: string, at: string, recordedBy: string | null = null): void {
  statement(db, "INSERT INTO bracket_holders (bracket_id, delegation, user_id, held_at, recorded_by) VALUES (?, ?, ?, ?, ?)").run(
    bracketId,
    delegation,
    userId,
    at,
    recordedBy,
  );
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

/**
 * The open brackets standing in one paragraph, in opening order: those opened in it and
 * those around several whole paragraphs that include it.
 */
export function openBracketsIn(ctx: Pick<AppContext, "db">, documentId: string, paragraphId: string): BracketRow[] {
  return statement(
    ctx.db,
    `SELECT * FROM brackets WHERE document_id = ? AND state = 'open'
       AND (paragraph_id = ? OR id IN (SELECT bracket_id FROM bracket_paragraphs WHERE paragraph_id = ?)) ORDER BY number`,
  ).all(documentId, paragraphId, paragraphId) as BracketRow[];
}

/**
 * The open brackets standing in each of `paragraphIds` (as `openBracketsIn`), read in one
 * statement: a map by paragraph, a paragraph without any left out.
 */
export function openBracketsInEach(ctx: Pick<AppContext, "db">, documentId: string, paragraphIds: readonly string[]): Map<string, BracketRow[]> {
  const ids = JSON.stringify(paragraphIds);
  const rows = statement(
    ctx.db,
    `SELECT b.paragraph_id AS standing_in, b.* FROM brackets b
       WHERE b.document_id = ? AND b.state = 'open' AND b.paragraph_id IN (SELECT value FROM json_each(?))
     UNION ALL
     SELECT p.paragraph_id AS standing_in, b.* FROM bracket_paragraphs p JOIN brackets b ON b.id = p.bracket_id
       WHERE b.document_id = ? AND b.state = 'open' AND p.paragraph_id IN (SELECT value FROM json_each(?))
     ORDER BY number`,
  ).all(documentId, ids, documentId, ids) as Array<BracketRow & { standing_in: string }>;
  const out = new Map<string, BracketRow[]>();
  for (const { standing_in: paragraphId, ...row } of rows) {
    const list = out.get(paragraphId);
    // A bracket around whole paragraphs may be found both ways in its first paragraph.
    if (!list) out.set(paragraphId, [row]);
    else if (!list.some((r) => r.id === row.id)) list.push(row);
  }
  return out;
}

/**
 * `openBracketsInEach` for the given paragraphs of several documents (a map by document,
 * then by paragraph), in one statement: the rows of every given document in any given
 * paragraph, those of a paragraph not asked for in their document left out.
 */
export function openBracketsInEachDocument(ctx: Pick<AppContext, "db">, wanted: ReadonlyMap<string, readonly string[]>): Map<string, Map<string, BracketRow[]>> {
  if (wanted.size <= 1) return new Map([...wanted].map(([documentId, paragraphIds]) => [documentId, openBracketsInEach(ctx, documentId, paragraphIds)]));
  const documents = JSON.stringify([...wanted.keys()]);
  const paragraphs = JSON.stringify([...new Set([...wanted.values()].flat())]);
  const rows = statement(
    ctx.db,
    `SELECT b.paragraph_id AS standing_in, b.* FROM brackets b
       WHERE b.document_id IN (SELECT value FROM json_each(?)) AND b.state = 'open' AND b.paragraph_id IN (SELECT value FROM json_each(?))
     UNION ALL
     SELECT p.paragraph_id AS standing_in, b.* FROM bracket_paragraphs p JOIN brackets b ON b.id = p.bracket_id
       WHERE b.document_id IN (SELECT value FROM json_each(?)) AND b.state = 'open' AND p.paragraph_id IN (SELECT value FROM json_each(?))
     ORDER BY number`,
  ).all(documents, paragraphs, documents, paragraphs) as Array<BracketRow & { standing_in: string }>;
  // A bracket around whole paragraphs may be found both ways in its first paragraph: kept once.
  return groupAcross(wanted, rows.map(({ standing_in: paragraphId, ...row }) => [paragraphId, row] as const));
}

/** What `ParagraphReads` calls the open brackets standing in a paragraph. */
export const OPEN_BRACKETS = "open brackets";

/** `openBracketsIn`, through a batch's reads: read for all the batch's paragraphs, of every document it declares, at once. */
export function openBracketsRead(ctx: Pick<AppContext, "db">, reads: ParagraphReads, documentId: string, paragraphId: string): BracketRow[] {
  return reads.readAcross(OPEN_BRACKETS, documentId, paragraphId, (wanted) => openBracketsInEachDocument(ctx, wanted), []);
}

/** The paragraphs of each bracket around whole paragraphs of a document (or of one bracket), in order. */
export function bracketParagraphsOf(ctx: Pick<AppContext, "db">, documentId: string, bracketId?: string): Map<string, string[]> {
  const rows = allRows<{ bracket_id: string; paragraph_id: string }>(
    ctx.db,
    `SELECT p.bracket_id, p.paragraph_id FROM bracket_paragraphs p JOIN brackets b ON b.id = p.bracket_id
     WHERE b.document_id = ? AND (? IS NULL OR b.id = ?) ORDER BY p.bracket_id, p.position`,
    documentId,
    bracketId ?? null,
    bracketId ?? null,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const list = out.get(r.bracket_id);
    if (list) list.push(r.paragraph_id);
    else out.set(r.bracket_id, [r.paragraph_id]);
  }
  return out;
}

/** Records the paragraphs a bracket around whole paragraphs stands in, in order. */
export function insertBracketParagraphs(db: Db, bracketId: string, paragraphIds: readonly string[]): void {
  const insert = statement(db, "INSERT INTO bracket_paragraphs (bracket_id, paragraph_id, position) VALUES (?, ?, ?)");
  paragraphIds.forEach((id, i) => insert.run(bracketId, id, i));
}

/** Every paragraph a bracket stands in, in order (its one paragraph for a span). */
export function paragraphIdsOf(row: BracketRow, paragraphs: ReadonlyMap<string, string[]>): string[] {
  return row.scope === "paragraphs" ? (paragraphs.get(row.id) ?? [row.paragraph_id]) : [row.paragraph_id];
}

/** The open brackets of an option group, in opening order. */
export function openOptionsOf(ctx: Pick<AppContext, "db">, row: BracketRow): BracketRow[] {
  if (!row.group_id) return [row];
  return statement(ctx.db, "SELECT * FROM brackets WHERE document_id = ? AND group_id = ? AND state = 'open' ORDER BY number").all(
    row.document_id,
    row.group_id,
  ) as BracketRow[];
}

/** The delegations (or groups) holding each bracket of a document (or one bracket), in joining order. */
export function holdersOf(ctx: Pick<AppContext, "db">, documentId: string, bracketId?: string): Map<string, string[]> {
  return codesOf(ctx, "bracket_holders", "held_at", documentId, bracketId);
}

/** The delegations (or groups) supporting each bracket of a document (or one bracket), in order. */
export function supportersOf(ctx: Pick<AppContext, "db">, documentId: string, bracketId?: string): Map<string, string[]> {
  return codesOf(ctx, "bracket_supporters", "supported_at", documentId, bracketId);
}

function codesOf(
  ctx: Pick<AppContext, "db">,
  table: "bracket_holders" | "bracket_supporters",
  at: "held_at" | "supported_at",
  documentId: string,
  bracketId?: string,
): Map<string, string[]> {
  const rows = allRows<{ bracket_id: string; delegation: string }>(
    ctx.db,
    `SELECT h.bracket_id, h.delegation FROM ${table} h JOIN brackets b ON b.id = h.bracket_id
     WHERE b.document_id = ? AND (? IS NULL OR b.id = ?) ORDER BY h.${at}, h.delegation`,
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

/** What a bracket's API shape is read from besides its row: the text as it stands and its records. */
export interface BracketFacts {
  /** The paragraphs as they stand now, by id (a deleted one is absent). */
  paragraphs: ReadonlyMap<string, Paragraph>;
  holders: readonly string[];
  supporters: readonly string[];
  /** For a bracket around whole paragraphs: its paragraphs in order. */
  paragraphIds: readonly string[];
  history: readonly BracketHistoryEntry[] | null;
}

/**
 * The API shape of a bracket. An open bracket's text and offsets come from the live text,
 * a closed one's from the record; a bracket around whole paragraphs has no offsets and its
 * text is its paragraphs' texts, one a line. `history` null leaves the history out.
 */
export function bracketJson(row: BracketRow, facts: BracketFacts): Bracket {
  const paragraph = facts.paragraphs.get(row.paragraph_id) ?? null;
  const ids = row.scope === "paragraphs" && facts.paragraphIds.length ? [...facts.paragraphIds] : [row.paragraph_id];
  const span = row.state === "open" && row.scope === "text" ? paragraph?.brackets.find((b) => b.id === row.id) : undefined;
  const standing = row.state === "open" && row.scope === "paragraphs" ? ids.map((id) => facts.paragraphs.get(id)).filter((p) => p !== undefined) : [];
  const text = span && paragraph ? paragraph.text.slice(span.from, span.to) : standing.length ? standing.map((p) => p.text).join("\n") : row.text;
  return {
    id: row.id,
    label: bracketLabel(row),
    documentId: row.document_id,
    paragraphId: row.paragraph_id,
    paragraphRef: paragraph ? citation(paragraph) : row.paragraph_ref,
    scope: row.scope,
    paragraphIds: ids,
    paragraphRefs: ids.map((id, i) => {
      const p = facts.paragraphs.get(id);
      return p ? citation(p) : i === 0 ? row.paragraph_ref : null;
    }),
    group: row.group_id,
    separator: row.separator,
    optionLabel: row.option_label,
    noText: row.no_text === 1,
    text,
    from: span?.from ?? null,
    to: span?.to ?? null,
    holders: [...facts.holders],
    supporters: [...facts.supporters],
    state: row.state,
    openedBy: { username: row.opened_by_username, delegation: row.opened_delegation },
    openedAt: row.opened_at,
    closed:
      row.state !== "open" && row.closed_how && row.closed_at
        ? { how: row.closed_how, by: row.closed_by_username, reason: row.closed_reason, at: row.closed_at }
        : null,
    ...(facts.history ? { history: [...facts.history] } : {}),
  };
}

/** One bracket in the API shape, read fresh (after a command changed it), with its history. */
export function loadBracket(ctx: AppContext, id: string, paragraphs: ReadonlyMap<string, Paragraph>): Bracket {
  const row = bracketRow(ctx, id);
  if (!row) throw notFound("bracket");
  return bracketJson(row, {
    paragraphs,
    holders: holdersOf(ctx, row.document_id, id).get(id) ?? [],
    supporters: supportersOf(ctx, row.document_id, id).get(id) ?? [],
    paragraphIds: bracketParagraphsOf(ctx, row.document_id, id).get(id) ?? [],
    history: historyOf(ctx, row.document_id, id).get(id) ?? [],
  });
}

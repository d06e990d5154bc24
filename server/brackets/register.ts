import type { AppContext } from "../context.js";
import { paragraphStatuses, type ParagraphStatus } from "../status/status.js";
import type { ParagraphView } from "./paragraphs.js";
import { typedBracketsOf, type TypedBracket } from "./typed.js";
import { bracketJson, bracketLabel, bracketsOfDocument, historyOf, holdersOf, openBracketsIn, openBracketsOf, type Bracket, type BracketRow } from "./records.js";

/** The bracket register of a document (`GET /api/documents/:id/brackets`). */
export interface BracketRegister {
  /** No open bracket and no typed bracket anywhere in the document. */
  clean: boolean;
  counts: { open: number; resolved: number; removed: number; typed: number; paragraphs: number; holders: Record<string, number> };
  /** Every bracket (open ones first, in text order; then closed ones in opening order). */
  brackets: Bracket[];
  /** Open bracket ids by paragraph ref (OP3), in document order. */
  byParagraph: Record<string, string[]>;
  /** Open bracket ids by holding delegation, delegations in alphabetical order. */
  byHolder: Record<string, string[]>;
  /** Non-white paragraph statuses by paragraph id (a paragraph not listed is white). */
  statuses: Record<string, ParagraphStatus>;
  /** Literal "[" and "]" in the text that are no bracket marks, in text order (a matched pair once). */
  typed: TypedBracket[];
}

/** The filters of the register. */
export interface RegisterFilter {
  state?: Bracket["state"];
  /** Include each bracket's history (read from the audit trail; long in a long negotiation). */
  history?: boolean;
}

/**
 * Builds the register from the text (spans, refs) and the records (holders, states), as
 * of now. Derived every time, never stored (DESIGN.md §3, principle 5).
 */
export function bracketRegister(
  ctx: AppContext,
  documentId: string,
  paragraphs: ReadonlyMap<string, ParagraphView>,
  filter: RegisterFilter = {},
): BracketRegister {
  const rows = bracketsOfDocument(ctx, documentId);
  const holders = holdersOf(ctx, documentId);
  const history = filter.history ? historyOf(ctx, documentId) : null;
  const position = (row: BracketRow): [number, number] => {
    const p = paragraphs.get(row.paragraph_id);
    const span = p?.brackets.find((b) => b.id === row.id);
    return [p?.index ?? Number.MAX_SAFE_INTEGER, span?.from ?? 0];
  };
  const open = rows.filter((r) => r.state === "open");
  const closed = rows.filter((r) => r.state !== "open");
  const positions = new Map(open.map((r) => [r.id, position(r)]));
  open.sort((a, b) => {
    const [pa, fa] = positions.get(a.id)!;
    const [pb, fb] = positions.get(b.id)!;
    return pa - pb || fa - fb || a.number - b.number;
  });

  const byParagraph: Record<string, string[]> = {};
  const byHolderMap = new Map<string, string[]>();
  for (const row of open) {
    const ref = refOf(paragraphs.get(row.paragraph_id), row);
    (byParagraph[ref] ??= []).push(row.id);
    for (const h of holders.get(row.id) ?? []) {
      const list = byHolderMap.get(h);
      if (list) list.push(row.id);
      else byHolderMap.set(h, [row.id]);
    }
  }
  const byHolder: Record<string, string[]> = {};
  for (const h of [...byHolderMap.keys()].sort()) byHolder[h] = byHolderMap.get(h)!;

  const listed = filter.state ? rows.filter((r) => r.state === filter.state) : rows;
  const wanted = new Set(listed.map((r) => r.id));
  const brackets = [...open, ...closed]
    .filter((r) => wanted.has(r.id))
    .map((r) => bracketJson(r, paragraphs.get(r.paragraph_id) ?? null, holders.get(r.id) ?? [], history ? (history.get(r.id) ?? []) : null));
  const typed = typedBracketsOf(paragraphs);
  return {
    clean: open.length === 0 && typed.length === 0,
    counts: {
      open: open.length,
      typed: typed.length,
      resolved: closed.filter((r) => r.state === "resolved").length,
      removed: closed.filter((r) => r.state === "removed").length,
      paragraphs: Object.keys(byParagraph).length,
      holders: Object.fromEntries(Object.entries(byHolder).map(([h, ids]) => [h, ids.length])),
    },
    brackets,
    byParagraph,
    byHolder,
    statuses: Object.fromEntries(paragraphStatuses(ctx, documentId)),
    typed,
  };
}

function refOf(paragraph: ParagraphView | undefined, row: BracketRow): string {
  return paragraph?.ref ?? row.paragraph_ref ?? row.paragraph_id;
}

/** Why a document is not clean on the bracket side: each open bracket, where it stands. */
export function openBracketReasons(ctx: AppContext, documentId: string, paragraphs: ReadonlyMap<string, ParagraphView>, paragraphId?: string): string[] {
  const rows = paragraphId === undefined ? openBracketsOf(ctx, documentId) : openBracketsIn(ctx, documentId, paragraphId);
  return rows.map((r) => {
    const p = paragraphs.get(r.paragraph_id);
    const span = p?.brackets.find((b) => b.id === r.id);
    const text = span && p ? p.text.slice(span.from, span.to) : r.text;
    return `bracket ${bracketLabel(r)} ${JSON.stringify(shorten(text))} is open in ${refOf(p, r)}`;
  });
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

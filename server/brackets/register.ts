import type { AppContext } from "../context.js";
import { citation, documentText, type DocumentText, type Paragraph } from "../documents/paragraphs.js";
import { statement } from "../store/statements.js";
import { typedBracketsOf } from "./typed.js";
import {
  bracketJson,
  bracketLabel,
  bracketParagraphsOf,
  bracketsOfDocument,
  historyOf,
  holdersOf,
  openBracketsIn,
  openBracketsOf,
  supportersOf,
  type Bracket,
  type BracketRow,
} from "./records.js";

export type { BracketRegister } from "../../schema/api/brackets.js";
import type { BracketRegister } from "../../schema/api/brackets.js";

/** The filters of the register. */
export interface RegisterFilter {
  state?: Bracket["state"];
  /** Include each bracket's history (read from the audit trail; long in a long negotiation). */
  history?: boolean;
}

// Registers already built, per text version (the DocumentText object) and filter, each
// with the records' version it was built from: a large document's register is built once
// and then served as it is until its text or its records change.
const built = new WeakMap<DocumentText, Map<string, { records: number; register: BracketRegister }>>();

/**
 * The register of a document as of now, from its text (spans, refs) and its records
 * (holders, states). Derived, never stored (docs/ARCHITECTURE.md §4, principle 5), and
 * cached per text version: every change of a bracket or a hold is a command
 * with its audit event, so the document's last audit event stands for its records'
 * version. Read-only: callers share the object.
 */
export function bracketRegister(ctx: AppContext, documentId: string, filter: RegisterFilter = {}): BracketRegister {
  const text = documentText(ctx, documentId);
  // Inside a transaction the records may still be rolled back: built, not kept.
  if (ctx.db.inTransaction) return buildRegister(ctx, documentId, text.byId, filter);
  const records = (statement(ctx.db, "SELECT MAX(seq) AS seq FROM audit_events WHERE document_id = ?").get(documentId) as { seq: number | null }).seq ?? 0;
  const key = `${filter.state ?? ""}:${filter.history ? "history" : ""}`;
  let byFilter = built.get(text);
  if (!byFilter) built.set(text, (byFilter = new Map()));
  const hit = byFilter.get(key);
  if (hit && hit.records === records) return hit.register;
  const register = buildRegister(ctx, documentId, text.byId, filter);
  byFilter.set(key, { records, register });
  return register;
}

/** Builds the register from the text and the records. */
function buildRegister(ctx: AppContext, documentId: string, paragraphs: ReadonlyMap<string, Paragraph>, filter: RegisterFilter): BracketRegister {
  const rows = bracketsOfDocument(ctx, documentId);
  const holders = holdersOf(ctx, documentId);
  const supporters = supportersOf(ctx, documentId);
  const spanned = bracketParagraphsOf(ctx, documentId);
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
  for (const row of open) {
    const ref = refOf(paragraphs.get(row.paragraph_id), row);
    (byParagraph[ref] ??= []).push(row.id);
  }
  const byHolder = byCode(open, holders);
  const bySupporter = byCode(open, supporters);

  const listed = filter.state ? rows.filter((r) => r.state === filter.state) : rows;
  const wanted = new Set(listed.map((r) => r.id));
  const brackets = [...open, ...closed]
    .filter((r) => wanted.has(r.id))
    .map((r) =>
      bracketJson(r, {
        paragraphs,
        holders: holders.get(r.id) ?? [],
        supporters: supporters.get(r.id) ?? [],
        paragraphIds: spanned.get(r.id) ?? [],
        history: history ? (history.get(r.id) ?? []) : null,
      }),
    );
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
    bySupporter,
    typed,
  };
}

/** Open bracket ids by code (holder or supporter), codes in alphabetical order. */
function byCode(open: readonly BracketRow[], codes: ReadonlyMap<string, string[]>): Record<string, string[]> {
  const map = new Map<string, string[]>();
  for (const row of open)
    for (const c of codes.get(row.id) ?? []) {
      const list = map.get(c);
      if (list) list.push(row.id);
      else map.set(c, [row.id]);
    }
  const out: Record<string, string[]> = {};
  for (const c of [...map.keys()].sort()) out[c] = map.get(c)!;
  return out;
}

function refOf(paragraph: Paragraph | undefined, row: BracketRow): string {
  return paragraph ? citation(paragraph) : (row.paragraph_ref ?? row.paragraph_id);
}

/** Why a document is not clean on the bracket side: each open bracket, where it stands. */
export function openBracketReasons(ctx: AppContext, documentId: string, paragraphs: ReadonlyMap<string, Paragraph>, paragraphId?: string): string[] {
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

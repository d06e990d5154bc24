import { requireOwnStructure } from "../commands/guards.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { conflict } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { closeBracket, type Closing } from "./close.js";
import { blockOfYElement, blockText } from "../../schema/index.js";
import { citation, documentText } from "../documents/paragraphs.js";
import { requireChair, requireNotFrozen } from "./permissions.js";
import {
  bracketForUser,
  bracketLabel,
  bracketParagraphsOf,
  holdersOf,
  openBracketsIn,
  openOptionsOf,
  paragraphIdsOf,
  type Bracket,
  type BracketRow,
} from "./records.js";
import { blockElement, deleteRange, markPieces, rawOffset, removeBlocks, unmark } from "./spans.js";

/** What the chair does with a bracket (docs/ARCHITECTURE.md §2). */
export const RESOLUTIONS = ["keep", "delete", "choose"] as const;
/** One resolution. */
export type Resolution = (typeof RESOLUTIONS)[number];

/**
 * The chair of the owning body settles a bracket, in one Yjs transaction:
 * - `keep`: its text stays, the brackets go (`resolved`);
 * - `delete`: its text goes (`removed`);
 * - `choose`: this option's text stays (`resolved`), the other options of its group go
 *   (`removed`); for a lone bracket the same as keep.
 * `keep` on one option of a group with others still open is refused: that is `choose`.
 *
 * Only when no holder is left on anything the decision settles (the bracket, the other
 * options, brackets nested in deleted text) — or with an explicit override `reason`,
 * recorded with the labels of the holds it overrode. Brackets nested in deleted text are
 * closed as removed by the removed-text reaction, in the same transaction.
 */
export function resolveBracket(tx: CommandTx, user: User, bracketId: string, input: { action: Resolution; reason?: string }): Bracket {
  const ctx = tx.ctx;
  const { row, document } = bracketForUser(ctx, user, bracketId);
  requireChair(user, document);
  requireNotFrozen(document);
  requireOwnStructure(ctx, row.document_id, { code: "bracket.resolve", params: { bracket: bracketLabel(row) } });
  const label = bracketLabel(row);
  if (row.state !== "open") throw conflict(`bracket ${label} is already ${row.state}`);
  const options = openOptionsOf(ctx, row);
  if (input.action === "keep" && options.length > 1)
    throw conflict(
      `bracket ${label} is one of ${options.length} options (${options.map(bracketLabel).join(", ")}); choose it (the others are deleted) or delete it`,
    );
  // Choosing the option "No text" keeps no text: its own paragraphs go with the others'.
  const keepsText = input.action !== "delete" && row.no_text !== 1;
  const kept = keepsText ? [row] : [];
  const deleted = input.action === "delete" ? [row] : input.action === "choose" ? [...options.filter((o) => o.id !== row.id), ...(keepsText ? [] : [row])] : [];

  const text = documentText(ctx, row.document_id);
  const spanned = bracketParagraphsOf(ctx, row.document_id);
  const settled = new Set([...kept, ...deleted].map((r) => r.id));
  const spanIn = (paragraphId: string, id: string) => text.byId.get(paragraphId)?.brackets.find((b) => b.id === id);
  // Brackets inside text this decision deletes: within a deleted span, or anywhere in a deleted paragraph.
  const nested = new Map<string, BracketRow>();
  for (const d of deleted) {
    for (const paragraphId of paragraphIdsOf(d, spanned)) {
      const ds = spanIn(paragraphId, d.id);
      for (const other of openBracketsIn(ctx, row.document_id, paragraphId)) {
        if (settled.has(other.id)) continue;
        const s = spanIn(paragraphId, other.id);
        if (d.scope === "paragraphs" || (s && ds && s.from >= ds.from && s.to <= ds.to)) nested.set(other.id, other);
      }
    }
  }
  const holders = holdersOf(ctx, row.document_id);
  const held = [...kept, ...deleted, ...nested.values()].filter((r) => (holders.get(r.id) ?? []).length > 0);
  const reason = input.reason?.trim() || null;
  if (held.length > 0 && !reason) {
    const reasons = held.map((r) => `bracket ${bracketLabel(r)} is held by ${holders.get(r.id)!.join(", ")}`);
    // Each hold is said once, in `reasons`; the message says what would let the chair resolve it.
    const what = reasons.length === 1 ? reasons[0]! : `${reasons.length} of these brackets are still held`;
    throw conflict(`${what}; the chair resolves a bracket only when no holder is left, or with an explicit override reason`, reasons);
  }

  const textOf = (r: BracketRow) => {
    if (r.scope === "paragraphs") {
      const standing = paragraphIdsOf(r, spanned).flatMap((id) => text.byId.get(id) ?? []);
      return standing.length ? standing.map((p) => p.text).join("\n") : r.text;
    }
    const s = spanIn(r.paragraph_id, r.id);
    const p = text.byId.get(r.paragraph_id);
    return s && p ? p.text.slice(s.from, s.to) : r.text;
  };
  const overrode = held.map(bracketLabel);
  const closing = (r: BracketRow, how: Closing["how"]): Closing => ({ how, reason, text: textOf(r), paragraphRef: placeOf(r), overrode });
  const placeOf = (r: BracketRow) => {
    const p = text.byId.get(r.paragraph_id);
    return p ? citation(p) : null;
  };
  const how = input.action === "choose" ? "chosen" : "kept";
  for (const r of kept) closeBracket(tx, user, document.meeting_id, r, closing(r, how));
  for (const r of deleted) closeBracket(tx, user, document.meeting_id, r, closing(r, input.action === "choose" ? "not_chosen" : "deleted"));

  // The text deleted inside paragraphs: deleted spans, and the separators that stood
  // between options of the group (a group keeps no dangling " / ").
  const cuts = new Map<string, Array<[number, number]>>();
  const cut = (paragraphId: string, from: number, to: number) => cuts.set(paragraphId, [...(cuts.get(paragraphId) ?? []), [from, to]]);
  const removedParagraphs = new Set<string>();
  for (const d of deleted) {
    if (d.scope === "paragraphs") for (const id of paragraphIdsOf(d, spanned)) removedParagraphs.add(id);
    else {
      const s = spanIn(d.paragraph_id, d.id);
      const p = text.byId.get(d.paragraph_id);
      // An option among several leaves its spacing to the separators handled below.
      const amongOptions = options.length > 1 && options.some((o) => o.id === d.id);
      if (s && p) cut(d.paragraph_id, ...(amongOptions ? ([s.from, s.to] as [number, number]) : withSpacing(p.text, s.from, s.to)));
    }
  }
  const group = options.filter((o) => o.scope === "text" && o.paragraph_id === row.paragraph_id);
  if (row.scope === "text" && group.length > 1 && deleted.length > 0) {
    const p = text.byId.get(row.paragraph_id);
    const spans = group.map((o) => ({ row: o, span: spanIn(o.paragraph_id, o.id) })).filter((x) => x.span !== undefined);
    spans.sort((a, b) => a.span!.from - b.span!.from);
    const goes = new Set(deleted.map((d) => d.id));
    // Between the options that stay, one separator each; every other separator goes.
    for (let i = 1; i < spans.length && p; i++) {
      const before = spans[i - 1]!;
      const after = spans[i]!;
      if (!isSeparator(p.text.slice(before.span!.to, after.span!.from), after.row.separator)) continue;
      const stays = !goes.has(after.row.id) && spans.slice(0, i).some((x) => !goes.has(x.row.id));
      if (!stays) cut(row.paragraph_id, before.span!.to, after.span!.from);
    }
  }

  tx.changeText(row.document_id, user, (fragment) => {
    for (const r of kept)
      for (const paragraphId of paragraphIdsOf(r, spanned)) {
        const element = blockElement(fragment, paragraphId);
        if (element) unmark(markPieces(element, r.id));
      }
    for (const [paragraphId, ranges] of cuts) {
      if (removedParagraphs.has(paragraphId)) continue;
      const element = blockElement(fragment, paragraphId);
      if (!element) continue;
      const raw = blockText(blockOfYElement(element)!);
      // From the end, so that earlier offsets stay valid; overlapping ranges merged.
      const merged = mergeRanges(ranges);
      for (const [from, to] of merged.reverse()) deleteRange(element, rawOffset(raw, from), rawOffset(raw, to));
    }
    removeBlocks(fragment, removedParagraphs);
  });
  let answer: Bracket | null = null;
  for (const r of [...kept, ...deleted]) {
    const bracket = announceBracket(tx, user, "bracket.resolved", r.document_id, r.id);
    if (r.id === row.id) answer = bracket;
  }
  return answer!;
}

/**
 * The range a deleted bracketed passage takes with it, so that the words around it read
 * as typed text: a space left before punctuation or the paragraph's end goes ("ratify ;"
 * reads "ratify;"), and of two spaces that would meet, one goes ("to  the" reads "to the").
 */
function withSpacing(text: string, from: number, to: number): [number, number] {
  const spaceBefore = from > 0 && text[from - 1] === " ";
  const next = text[to];
  if (spaceBefore && (next === undefined || /[.,;:!?)\]]/.test(next))) {
    let start = from;
    while (start > 0 && text[start - 1] === " ") start--;
    return [start, to];
  }
  if (next === " " && (spaceBefore || from === 0)) return [from, to + 1];
  return [from, to];
}

/** Whether the text between two options is their separator (as recorded, or a bare " / " or space). */
function isSeparator(gap: string, recorded: string | null): boolean {
  const t = gap.trim();
  return t === "" || t === "/" || (recorded !== null && t === recorded.trim());
}

function mergeRanges(ranges: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { conflict } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { closeBracket, type Closing } from "./close.js";
import { documentParagraph } from "../documents/paragraphs.js";
import { requireChair, requireNotFrozen } from "./permissions.js";
import { bracketForUser, bracketLabel, holdersOf, openBracketsIn, openOptionsOf, type Bracket, type BracketRow } from "./records.js";
import { blockElement, deletePieces, markPieces, unmark } from "./spans.js";

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
  const label = bracketLabel(row);
  if (row.state !== "open") throw conflict(`bracket ${label} is already ${row.state}`);
  const options = openOptionsOf(ctx, row);
  if (input.action === "keep" && options.length > 1)
    throw conflict(
      `bracket ${label} is one of ${options.length} options (${options.map(bracketLabel).join(", ")}); choose it (the others are deleted) or delete it`,
    );
  const kept = input.action === "delete" ? [] : [row];
  const deleted = input.action === "delete" ? [row] : input.action === "choose" ? options.filter((o) => o.id !== row.id) : [];

  const paragraph = documentParagraph(ctx, row.document_id, row.paragraph_id);
  const spans = new Map((paragraph?.brackets ?? []).map((b) => [b.id, b]));
  const settled = new Set([...kept, ...deleted].map((r) => r.id));
  const nested = openBracketsIn(ctx, row.document_id, row.paragraph_id).filter((other) => {
    const s = spans.get(other.id);
    if (!s || settled.has(other.id)) return false;
    return deleted.some((d) => {
      const ds = spans.get(d.id);
      return ds !== undefined && s.from >= ds.from && s.to <= ds.to;
    });
  });
  const holders = holdersOf(ctx, row.document_id);
  const held = [...kept, ...deleted, ...nested].filter((r) => (holders.get(r.id) ?? []).length > 0);
  const reason = input.reason?.trim() || null;
  if (held.length > 0 && !reason) {
    const reasons = held.map((r) => `bracket ${bracketLabel(r)} is held by ${holders.get(r.id)!.join(", ")}`);
    throw conflict(
      `${reasons[0]}; the chair resolves a bracket only when no holder is left, or with an explicit override reason`,
      reasons,
    );
  }

  const textOf = (r: BracketRow) => {
    const s = spans.get(r.id);
    return s && paragraph ? paragraph.text.slice(s.from, s.to) : r.text;
  };
  const overrode = held.map(bracketLabel);
  const closing = (r: BracketRow, how: Closing["how"]): Closing => ({ how, reason, text: textOf(r), paragraphRef: paragraph?.ref ?? null, overrode });
  for (const r of kept) closeBracket(tx, user, document.meeting_id, r, closing(r, input.action === "choose" ? "chosen" : "kept"));
  for (const r of deleted) closeBracket(tx, user, document.meeting_id, r, closing(r, input.action === "delete" ? "deleted" : "not_chosen"));

  if (paragraph) {
    tx.changeText(row.document_id, user, (fragment) => {
      const element = blockElement(fragment, row.paragraph_id);
      if (!element) return;
      for (const r of kept) unmark(markPieces(element, r.id));
      deletePieces(deleted.flatMap((r) => markPieces(element, r.id)));
    });
  }
  const now = documentParagraph(ctx, row.document_id, row.paragraph_id);
  let answer: Bracket | null = null;
  for (const r of [...kept, ...deleted]) {
    const bracket = announceBracket(tx, user, "bracket.resolved", r.document_id, r.id, r.paragraph_id, now);
    if (r.id === row.id) answer = bracket;
  }
  return answer!;
}

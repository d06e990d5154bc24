import { blockOfYElement, blockText, newId, type CanonicalBracket } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { documentParagraph, documentText, citation, type Paragraph } from "../documents/paragraphs.js";
import { delegationOf, requireNegotiable } from "./permissions.js";
import { requireUnlocked, requireOwnStructure } from "../commands/guards.js";
import {
  bracketLabel,
  bracketParagraphsOf,
  insertBracket,
  insertBracketParagraphs,
  insertHolder,
  openBracketsIn,
  paragraphIdsOf,
  statement,
  type Bracket,
} from "./records.js";
import { blockElement, markRange, rawOffset } from "./spans.js";

/** Where to open a bracket: NFC UTF-16 offsets into the paragraph's text, `from` < `to`. */
export interface OpenBracketInput {
  paragraphId: string;
  from: number;
  to: number;
}

const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Why [from, to) cannot be bracketed in `paragraph`, as an HTTP error, or null. */
function rangeProblem(paragraph: Paragraph, from: number, to: number, labels: Map<string, string>): Error | null {
  const text = paragraph.text;
  if (!(from >= 0 && to <= text.length && from < to))
    return badRequest(`the range must lie within ${citation(paragraph)} (0…${text.length}) and not be empty`, [`from/to: 0 <= from < to <= ${text.length}`]);
  if ((from > 0 && isLow(text.charCodeAt(from))) || (to < text.length && isLow(text.charCodeAt(to))))
    return badRequest("the range splits a character", ["from/to: must not fall inside a surrogate pair"]);
  for (const span of paragraph.brackets) {
    const label = labels.get(span.id) ?? span.id;
    if (span.from === from && span.to === to) return conflict(`bracket ${label} already encloses this text; join its hold instead`);
    if (crosses(span, from, to))
      return conflict(`the range crosses bracket ${label}; brackets may nest inside one another but not overlap`);
  }
  return null;
}

function crosses(span: CanonicalBracket, from: number, to: number): boolean {
  const inside = from >= span.from && to <= span.to;
  const around = from <= span.from && to >= span.to;
  const apart = to <= span.from || from >= span.to;
  return !inside && !around && !apart;
}

/** The kinds of block a bracket may stand in: every block but the title. */
export const BRACKETABLE_KINDS: ReadonlySet<string> = new Set(["chapeau", "heading", "pp", "op"]);

/** 409 unless brackets may stand in this block. */
export function requireBracketable(paragraph: Paragraph): void {
  if (!BRACKETABLE_KINDS.has(paragraph.kind))
    throw conflict(`brackets stand in lead-ins, headings, preambular and operative paragraphs, not in the ${paragraph.kind}`);
}

/**
 * A delegate puts a span of a paragraph in brackets: the mark goes into the text in one
 * Yjs transaction, the record (B1, B2… per document) holds the delegate's delegation as
 * its first holder. A paragraph that was agreed (any colour but white) is no longer.
 */
export function openBracket(tx: CommandTx, user: User, documentId: string, input: OpenBracketInput): Bracket {
  const ctx = tx.ctx;
  const document = documentForUser(ctx, user, documentId);
  const delegation = delegationOf(user);
  requireNegotiable(user, document);
  requireOwnStructure(ctx, documentId, { code: "bracket.open" });
  const paragraph = documentParagraph(ctx, documentId, input.paragraphId);
  if (!paragraph) throw notFound("paragraph");
  requireBracketable(paragraph);
  requireUnlocked(ctx, documentId, input.paragraphId, { code: "bracket.open" });
  const here = openBracketsIn(ctx, documentId, input.paragraphId);
  const problem = rangeProblem(paragraph, input.from, input.to, new Map(here.map((r) => [r.id, bracketLabel(r)])));
  if (problem) throw problem;

  const id = newId("b");
  const text = paragraph.text.slice(input.from, input.to);
  const now = new Date().toISOString();
  const place = citation(paragraph);
  const number = insertBracket(tx.db, {
    id,
    documentId,
    paragraphId: input.paragraphId,
    paragraphRef: place,
    group: null,
    text,
    openedBy: { id: user.id, username: user.username, delegation },
    at: now,
  });
  insertHolder(tx.db, id, delegation, user.id, now);
  const label = `B${number}`;
  // A paragraph with an open bracket is no longer agreed: whoever keeps agreement hears it.
  ctx.hooks.objected(tx, { meetingId: document.meeting_id, documentId, paragraphId: input.paragraphId, paragraph, user, because: `bracket ${label} opened by ${delegation}` });
  tx.changeText(documentId, user, (fragment) => {
    const element = blockElement(fragment, input.paragraphId)!;
    const raw = blockText(blockOfYElement(element)!);
    markRange(element, rawOffset(raw, input.from), rawOffset(raw, input.to), { id, group: null });
  });
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId,
    action: "bracket.opened",
    targetType: "bracket",
    targetId: id,
    details: { label, paragraphId: input.paragraphId, paragraphRef: place, from: input.from, to: input.to, text, holders: [delegation] },
  });
  return announceBracket(tx, user, "bracket.opened", documentId, id);
}

/**
 * The consecutive whole paragraphs `ids` name, in document order: 400 when they are not
 * consecutive or repeat one, 404 when one is not in the text, 409 when one is empty (a
 * mark needs text to stand on) or may hold no bracket.
 */
export function consecutiveParagraphs(paragraphs: ReadonlyMap<string, Paragraph>, ids: readonly string[]): Paragraph[] {
  const found = ids.map((id) => paragraphs.get(id));
  if (found.some((p) => p === undefined)) throw notFound("paragraph");
  const list = (found as Paragraph[]).slice().sort((a, b) => a.index - b.index);
  if (new Set(ids).size !== ids.length || list.some((p, i) => i > 0 && p.index !== list[i - 1]!.index + 1))
    throw badRequest("the paragraphs must be consecutive, each named once", ["paragraphIds: consecutive paragraphs in document order"]);
  for (const p of list) {
    requireBracketable(p);
    if (p.text.length === 0) throw conflict(`${citation(p)} is empty; a bracket needs text to stand on`);
  }
  return list;
}

/** Why whole paragraphs `list` cannot be bracketed as one, or null: an open bracket there crosses or matches the range. */
function paragraphRangeProblem(ctx: CommandTx["ctx"], documentId: string, list: readonly Paragraph[]): Error | null {
  const ids = new Set(list.map((p) => p.id));
  const spanned = bracketParagraphsOf(ctx, documentId);
  const seen = new Set<string>();
  for (const p of list)
    for (const row of openBracketsIn(ctx, documentId, p.id)) {
      if (seen.has(row.id) || row.scope !== "paragraphs") continue;
      seen.add(row.id);
      const its = paragraphIdsOf(row, spanned);
      const inside = its.every((id) => ids.has(id));
      const around = list.every((q) => its.includes(q.id));
      if (inside && around) return conflict(`bracket ${bracketLabel(row)} already encloses these paragraphs; join its hold instead`);
      if (!inside && !around)
        return conflict(`the paragraphs cross bracket ${bracketLabel(row)}; brackets may nest inside one another but not overlap`);
    }
  return null;
}

/** The place a bracket around whole paragraphs is cited by: "OP3" or "OP3–OP5". */
export function paragraphsPlace(list: readonly Paragraph[]): string {
  const first = citation(list[0]!);
  return list.length === 1 ? first : `${first}–${citation(list[list.length - 1]!)}`;
}

/** What a bracket around whole paragraphs is given: its paragraphs, and what an option of a group adds. */
export interface WholeParagraphsBracket {
  paragraphIds: readonly string[];
  group?: string | null;
  separator?: string | null;
  optionLabel?: string | null;
  noText?: boolean;
}

/**
 * Records a bracket around whole consecutive paragraphs and, unless the caller's own
 * change already did (`marked`), puts its mark on the whole text of each, in one Yjs
 * transaction. The caller audits and announces it. Returns its id and number.
 */
export function insertWholeParagraphsBracket(
  tx: CommandTx,
  user: User,
  documentId: string,
  list: readonly Paragraph[],
  opened: { delegation: string | null; holders: readonly string[]; id?: string; marked?: boolean } & Omit<WholeParagraphsBracket, "paragraphIds">,
): { id: string; number: number } {
  const id = opened.id ?? newId("b");
  const now = new Date().toISOString();
  const group = opened.group ?? null;
  const number = insertBracket(tx.db, {
    id,
    documentId,
    paragraphId: list[0]!.id,
    paragraphRef: paragraphsPlace(list),
    group,
    text: list.map((p) => p.text).join("\n"),
    openedBy: { id: user.id, username: user.username, delegation: opened.delegation },
    at: now,
  });
  statement(tx.db, "UPDATE brackets SET scope = 'paragraphs', separator = ?, option_label = ?, no_text = ? WHERE id = ?").run(
    opened.separator ?? null,
    opened.optionLabel ?? null,
    opened.noText ? 1 : 0,
    id,
  );
  insertBracketParagraphs(tx.db, id, list.map((p) => p.id));
  for (const h of opened.holders) insertHolder(tx.db, id, h, user.id, now);
  if (opened.marked) return { id, number };
  tx.changeText(documentId, user, (fragment) => {
    for (const p of list) {
      const element = blockElement(fragment, p.id)!;
      markRange(element, 0, blockText(blockOfYElement(element)!).length, { id, group });
    }
  });
  return { id, number };
}

/**
 * A delegate puts several consecutive whole paragraphs (or one whole paragraph) in one
 * bracket: one record, one register line, resolved as one; its mark stands on the whole
 * text of each paragraph. Held by the delegate's delegation; every paragraph it encloses
 * is no longer agreed.
 */
export function openParagraphsBracket(tx: CommandTx, user: User, documentId: string, input: { paragraphIds: readonly string[] }): Bracket {
  const ctx = tx.ctx;
  const document = documentForUser(ctx, user, documentId);
  const delegation = delegationOf(user);
  requireNegotiable(user, document);
  requireOwnStructure(ctx, documentId, { code: "bracket.open" });
  const list = consecutiveParagraphs(documentText(ctx, documentId).byId, input.paragraphIds);
  for (const p of list) requireUnlocked(ctx, documentId, p.id, { code: "bracket.open" });
  const problem = paragraphRangeProblem(ctx, documentId, list);
  if (problem) throw problem;
  const { id, number } = insertWholeParagraphsBracket(tx, user, documentId, list, { delegation, holders: [delegation] });
  const label = `B${number}`;
  for (const p of list)
    ctx.hooks.objected(tx, { meetingId: document.meeting_id, documentId, paragraphId: p.id, paragraph: p, user, because: `bracket ${label} opened by ${delegation}` });
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId,
    action: "bracket.opened",
    targetType: "bracket",
    targetId: id,
    details: { label, paragraphId: list[0]!.id, paragraphIds: list.map((p) => p.id), paragraphRef: paragraphsPlace(list), text: list.map((p) => p.text).join("\n"), holders: [delegation] },
  });
  return announceBracket(tx, user, "bracket.opened", documentId, id);
}

import { requireOwnStructure } from "../commands/guards.js";
import { blockOfYElement, blockText, newId, typedBracketExcerpt, typedBracketsIn } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { citation, documentParagraph, type Paragraph } from "../documents/paragraphs.js";
import { requireChair, requireNegotiable } from "./permissions.js";
import { insertBracket, insertHolder, type Bracket } from "./records.js";
import { blockElement, deleteRange, markRange, rawOffset } from "./spans.js";

/**
 * A literal "[" or "]" typed in the text: it says the words are not agreed, but no bracket
 * mark tracks them, so nobody holds them and the register would count them as agreed.
 * Reported in the register and blocking agreement until the chair converts it into a real
 * bracket or someone removes it.
 */
export type { TypedBracket } from "../../schema/api/brackets.js";
import type { TypedBracket } from "../../schema/api/brackets.js";

/** Every typed bracket of a document, in text order; a matched pair counts once. */
export function typedBracketsOf(paragraphs: ReadonlyMap<string, Paragraph>): TypedBracket[] {
  const found: Array<TypedBracket & { index: number }> = [];
  for (const p of paragraphs.values()) for (const t of typedBracketsIn(p.text)) found.push({ ...entry(p, t.offset, t.close), index: p.index });
  return found.sort((a, b) => a.index - b.index || a.offset - b.offset).map(({ index: _index, ...t }) => t);
}

function entry(p: Paragraph, offset: number, close: number | null): TypedBracket {
  return { paragraphId: p.id, paragraphRef: p.ref, offset, close, excerpt: typedBracketExcerpt(p.text, offset, close) };
}

/** Why the typed brackets keep a document (or one paragraph) from agreement, one sentence each. */
export function typedBracketReasons(typed: readonly TypedBracket[], paragraphs: ReadonlyMap<string, Paragraph>): string[] {
  return typed.map((t) => {
    const where = citation(paragraphs.get(t.paragraphId) ?? null, t.paragraphRef);
    return t.close === null
      ? `typed bracket in ${where} (${JSON.stringify(t.excerpt)}) is no real bracket and has no partner; remove it or type its partner`
      : `typed brackets in ${where} (${JSON.stringify(t.excerpt)}) are no real bracket; the chair converts them into one, or someone removes them`;
  });
}

/** What a chair converts: the typed "[" at `offset` (and its partner) of a paragraph, with the holders to record. */
export interface ConvertTypedInput {
  paragraphId: string;
  offset: number;
  holders?: string[];
}

/**
 * The chair turns a typed "[…]" into a real bracket: the two characters leave the text and
 * the words between them get a bracket mark, in one Yjs transaction; its record is open,
 * opened by the chair, held by the delegations given (none: held by nobody, still open).
 */
export function convertTypedBracket(tx: CommandTx, user: User, documentId: string, input: ConvertTypedInput): Bracket {
  const ctx = tx.ctx;
  const document = documentForUser(ctx, user, documentId);
  requireChair(user, document);
  requireNegotiable(user, document);
  requireOwnStructure(ctx, documentId, { code: "bracket.convert_typed" });
  const paragraph = documentParagraph(ctx, documentId, input.paragraphId);
  if (!paragraph) throw notFound("paragraph");
  const typed = typedBracketsOf(new Map([[paragraph.id, paragraph]])).find((t) => t.offset === input.offset);
  if (!typed || paragraph.text[input.offset] !== "[")
    throw badRequest(`there is no typed "[" at offset ${input.offset} of ${citation(paragraph)}`, ["offset: the offset of a typed \"[\""]);
  if (typed.close === null) throw conflict(`the typed "[" in ${citation(paragraph)} has no "]" after it; type its partner first, or remove it`);
  if (typed.close === typed.offset + 1) throw conflict(`nothing stands between the typed brackets in ${citation(paragraph)}; remove them instead`);
  const holders = [...new Set((input.holders ?? []).map((h) => h.toUpperCase()))];
  const known = new Set(ctx.db.prepare("SELECT code FROM delegations WHERE meeting_id = ?").pluck().all(document.meeting_id) as string[]);
  const unknown = holders.filter((h) => !known.has(h));
  if (unknown.length) throw badRequest(`${unknown.join(", ")}: no delegation of this meeting`, unknown.map((h) => `holders: ${h} is unknown`));

  const id = newId("b");
  const text = paragraph.text.slice(typed.offset + 1, typed.close);
  const now = new Date().toISOString();
  const number = insertBracket(tx.db, {
    id,
    documentId,
    paragraphId: paragraph.id,
    paragraphRef: paragraph.ref,
    group: null,
    text,
    openedBy: { id: user.id, username: user.username, delegation: user.delegation ?? null },
    at: now,
  });
  for (const h of holders) insertHolder(tx.db, id, h, user.id, now);
  tx.changeText(documentId, user, (fragment) => {
    const element = blockElement(fragment, paragraph.id)!;
    const raw = blockText(blockOfYElement(element)!);
    const open = rawOffset(raw, typed.offset);
    const close = rawOffset(raw, typed.close!);
    deleteRange(element, close, close + 1);
    deleteRange(element, open, open + 1);
    markRange(element, open, close - 1, { id, group: null });
  });
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId,
    action: "bracket.opened",
    targetType: "bracket",
    targetId: id,
    details: { label: `B${number}`, paragraphId: paragraph.id, paragraphRef: paragraph.ref, text, holders, convertedFromTyped: true },
  });
  return announceBracket(tx, user, "bracket.opened", documentId, id);
}

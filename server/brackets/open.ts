import { blockOfYElement, blockText, newId, type CanonicalBracket } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentForUser } from "../documents/documents.js";
import { badRequest, conflict, notFound } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { documentParagraph, citation, type Paragraph } from "../documents/paragraphs.js";
import { delegationOf, requireNegotiable } from "./permissions.js";
import { requireUnlocked } from "../commands/guards.js";
import { bracketLabel, insertBracket, insertHolder, openBracketsIn, type Bracket } from "./records.js";
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
  const paragraph = documentParagraph(ctx, documentId, input.paragraphId);
  if (!paragraph) throw notFound("paragraph");
  if (paragraph.kind !== "pp" && paragraph.kind !== "op")
    throw conflict(`brackets stand in preambular and operative paragraphs, not in the ${paragraph.kind}`);
  requireUnlocked(ctx, documentId, input.paragraphId, "no bracket can be opened here");
  const here = openBracketsIn(ctx, documentId, input.paragraphId);
  const problem = rangeProblem(paragraph, input.from, input.to, new Map(here.map((r) => [r.id, bracketLabel(r)])));
  if (problem) throw problem;

  const id = newId("b");
  const text = paragraph.text.slice(input.from, input.to);
  const now = new Date().toISOString();
  const number = insertBracket(tx.db, {
    id,
    documentId,
    paragraphId: input.paragraphId,
    paragraphRef: paragraph.ref,
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
    details: { label, paragraphId: input.paragraphId, paragraphRef: paragraph.ref, from: input.from, to: input.to, text, holders: [delegation] },
  });
  return announceBracket(tx, user, "bracket.opened", documentId, id, input.paragraphId);
}

import { requireOwnStructure } from "../commands/guards.js";
import { blockOfYElement, blockText, insertBlocks, MAX_BLOCK_TEXT, newId, type Block, type BracketRef } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { badRequest, conflict } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { citation, documentParagraph, documentText } from "../documents/paragraphs.js";
import { insertWholeParagraphsBracket } from "./open.js";
import { delegationOf, requireNegotiable } from "./permissions.js";
import { bracketForUser, bracketLabel, bracketParagraphsOf, insertBracket, openOptionsOf, paragraphIdsOf, type Bracket, type BracketRow } from "./records.js";
import { statement } from "../store/statements.js";
import { blockElement, insertRunAt, markPieces, remark, rawOffset } from "./spans.js";

/** The separator typed between options when none is given: "[a] / [b]". */
export const DEFAULT_SEPARATOR = " / ";

/** What a new option says: a wording beside a span, or whole paragraphs (or "No text") beside a bracket of whole paragraphs. */
export interface NewOptionInput {
  /** The wording, for an option of a span. */
  text?: string;
  /** What stands between the previous option and this one (" / ", " ", " or "); default: the group's, else " / ". */
  separator?: string;
  /** The paragraphs' texts, for an option of whole paragraphs. */
  paragraphs?: readonly string[];
  /** For an option of whole paragraphs: "No text" (choosing it deletes every option). */
  noText?: boolean;
  /** For an option of whole paragraphs: its label; default "Option n". */
  label?: string;
}

/**
 * A delegate proposes an alternative wording beside a bracketed span: `[shall] / [agree to]`.
 * The new option is bracketed text inserted right after the group's last option, after a
 * visible separator (unbracketed text, recorded with the option), inside the same enclosing
 * brackets; a lone bracket becomes a group of two (its mark is rewritten with the group, in
 * the same Yjs transaction). Beside a bracket of whole paragraphs the option is whole
 * paragraphs too ("Option 2", or "No text"). Proposing an option is not an objection: the
 * new option starts with no holder, and the proposer's delegation may join its hold.
 */
export function addBracketOption(tx: CommandTx, user: User, bracketId: string, input: NewOptionInput): Bracket {
  const ctx = tx.ctx;
  const { row } = bracketForUser(ctx, user, bracketId);
  requireOwnStructure(ctx, row.document_id, { code: "bracket.add_option", params: { bracket: bracketLabel(row) } });
  if (row.scope === "paragraphs") return addParagraphsOption(tx, user, row, input);
  if (input.paragraphs !== undefined || input.noText)
    throw badRequest(`bracket ${bracketLabel(row)} stands inside a paragraph; its options are wordings (text), not paragraphs`, ["paragraphs: only beside a bracket of whole paragraphs"]);
  const { document } = bracketForUser(ctx, user, bracketId);
  const delegation = delegationOf(user);
  requireNegotiable(user, document);
  if (row.state !== "open") throw conflict(`bracket ${bracketLabel(row)} is ${row.state}; options are added only to an open bracket`);
  const text = (input.text ?? "").normalize("NFC");
  if (text.trim().length === 0) throw badRequest("the option needs some text", ["text: must not be empty"]);
  const paragraph = documentParagraph(ctx, row.document_id, row.paragraph_id);
  const span = paragraph?.brackets.find((b) => b.id === row.id);
  if (!paragraph || !span) throw conflict(`bracket ${bracketLabel(row)} no longer stands in the text`);
  const options = openOptionsOf(ctx, row);
  const separator = (input.separator ?? options.find((o) => o.separator !== null)?.separator ?? DEFAULT_SEPARATOR).normalize("NFC");
  if (paragraph.text.length + separator.length + text.length > MAX_BLOCK_TEXT)
    throw conflict(`${citation(paragraph)} would exceed ${MAX_BLOCK_TEXT} characters`);

  const group = row.group_id ?? newId("g");
  const members = new Set(options.map((o) => o.id));
  const last = paragraph.brackets.filter((b) => members.has(b.id)).reduce((a, b) => (b.to > a.to ? b : a), span);
  const id = newId("b");
  const now = new Date().toISOString();
  if (!row.group_id) statement(tx.db, "UPDATE brackets SET group_id = ? WHERE id = ?").run(group, row.id);
  const number = insertBracket(tx.db, {
    id,
    documentId: row.document_id,
    paragraphId: row.paragraph_id,
    paragraphRef: citation(paragraph),
    group,
    text,
    openedBy: { id: user.id, username: user.username, delegation },
    at: now,
  });
  statement(tx.db, "UPDATE brackets SET separator = ? WHERE id = ?").run(separator, id);

  tx.changeText(row.document_id, user, (fragment) => {
    const element = blockElement(fragment, row.paragraph_id)!;
    if (!row.group_id) remark(markPieces(element, row.id), { id: row.id, group });
    const block = blockOfYElement(element)!;
    const raw = blockText(block);
    const at = rawOffset(raw, last.to);
    // The new option sits inside whatever encloses the last option (nesting), but in no option;
    // its separator stands between them, bracketed by what encloses both.
    let offset = 0;
    let enclosing: BracketRef[] = [];
    for (const run of block.runs) {
      if (offset < at && at <= offset + run.text.length) enclosing = (run.brackets ?? []).filter((b) => !members.has(b.id));
      offset += run.text.length;
    }
    insertRunAt(element, at, { text, brackets: [...enclosing, { id, group }] });
    if (separator) insertRunAt(element, at, { text: separator, ...(enclosing.length ? { brackets: enclosing } : {}) });
  });
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: row.document_id,
    action: "bracket.option_added",
    targetType: "bracket",
    targetId: id,
    details: { label: `B${number}`, optionOf: bracketLabel(row), optionOfId: row.id, group, paragraphId: row.paragraph_id, paragraphRef: paragraph.ref, text, separator },
  });
  return announceBracket(tx, user, "bracket.option_added", row.document_id, id);
}

/** The words a "No text" option's paragraph shows, as real negotiating texts print it. */
export const NO_TEXT = "No text";

/**
 * An alternative of whole paragraphs beside a bracket of whole paragraphs: new paragraphs
 * (of the kind and level of the bracket's first) inserted after the group's last option,
 * each bracketed whole, labelled "Option n" (the first option becomes "Option 1"); the
 * option "No text" is one paragraph reading "No text" that leaves nothing when chosen.
 */
function addParagraphsOption(tx: CommandTx, user: User, row: BracketRow, input: NewOptionInput): Bracket {
  const ctx = tx.ctx;
  const { document } = bracketForUser(ctx, user, row.id);
  const delegation = delegationOf(user);
  requireNegotiable(user, document);
  if (row.state !== "open") throw conflict(`bracket ${bracketLabel(row)} is ${row.state}; options are added only to an open bracket`);
  const texts = input.noText ? [NO_TEXT] : (input.paragraphs ?? (input.text !== undefined ? [input.text] : [])).map((t) => t.normalize("NFC"));
  if (texts.length === 0 || texts.some((t) => t.trim() === ""))
    throw badRequest("the option needs its paragraphs' text, or noText", ["paragraphs: one or more non-empty texts, or noText: true"]);
  if (texts.some((t) => t.length > MAX_BLOCK_TEXT)) throw badRequest(`a paragraph holds at most ${MAX_BLOCK_TEXT} characters`, ["paragraphs: too long"]);
  const current = documentText(ctx, row.document_id);
  const spanned = bracketParagraphsOf(ctx, row.document_id);
  const options = openOptionsOf(ctx, row);
  const lastParagraphs = options.flatMap((o) => paragraphIdsOf(o, spanned)).flatMap((id) => current.byId.get(id) ?? []);
  if (lastParagraphs.length === 0) throw conflict(`bracket ${bracketLabel(row)} no longer stands in the text`);
  const last = lastParagraphs.reduce((a, b) => (b.index > a.index ? b : a));
  const first = current.byId.get(paragraphIdsOf(row, spanned)[0]!) ?? last;

  const group = row.group_id ?? newId("g");
  if (!row.group_id) statement(tx.db, "UPDATE brackets SET group_id = ?, option_label = COALESCE(option_label, 'Option 1') WHERE id = ?").run(group, row.id);
  const label = (input.label?.trim() || `Option ${options.length + 1}`).normalize("NFC");
  const optionId = newId("b");
  // The new paragraphs arrive with their mark, and a lone first option joins the group, in one Yjs transaction.
  const blocks: Block[] = texts.map((t) => ({
    id: newId("p"),
    type: first.block.type,
    kind: first.block.kind,
    level: first.block.level,
    runs: [{ text: t, brackets: [{ id: optionId, group }] }],
  }));
  tx.changeText(row.document_id, user, (fragment) => {
    if (!row.group_id)
      for (const id of paragraphIdsOf(row, spanned)) {
        const element = blockElement(fragment, id);
        if (element) remark(markPieces(element, row.id), { id: row.id, group });
      }
    insertBlocks(fragment, last.index + 1, blocks);
  });
  const inserted = blocks.flatMap((b) => documentText(ctx, row.document_id).byId.get(b.id) ?? []);
  const { id, number } = insertWholeParagraphsBracket(tx, user, row.document_id, inserted, {
    id: optionId,
    marked: true,
    delegation,
    holders: [],
    group,
    optionLabel: label,
    noText: input.noText === true,
  });
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: row.document_id,
    action: "bracket.option_added",
    targetType: "bracket",
    targetId: id,
    details: { label: `B${number}`, optionOf: bracketLabel(row), optionOfId: row.id, group, paragraphIds: blocks.map((b) => b.id), optionLabel: label, noText: input.noText === true, text: texts.join("\n") },
  });
  return announceBracket(tx, user, "bracket.option_added", row.document_id, id);
}

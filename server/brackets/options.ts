import { blockOfYElement, blockText, MAX_BLOCK_TEXT, newId, type BracketRef } from "../../schema/index.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { badRequest, conflict } from "../http/errors.js";
import { announceBracket } from "./announce.js";
import { citation, documentParagraph } from "../documents/paragraphs.js";
import { delegationOf, requireNegotiable } from "./permissions.js";
import { bracketForUser, bracketLabel, insertBracket, openOptionsOf, type Bracket } from "./records.js";
import { statement } from "../store/statements.js";
import { blockElement, insertRunAt, markPieces, remark, rawOffset } from "./spans.js";

/**
 * A delegate proposes an alternative wording beside a bracketed span: `[shall][agree to]`.
 * The new option is bracketed text inserted right after the group's last option, inside
 * the same enclosing brackets; a lone bracket becomes a group of two (its mark is rewritten
 * with the group, in the same Yjs transaction). Proposing an option is not an objection:
 * the new option starts with no holder, and the proposer's delegation may join its hold.
 */
export function addBracketOption(tx: CommandTx, user: User, bracketId: string, input: { text: string }): Bracket {
  const ctx = tx.ctx;
  const { row, document } = bracketForUser(ctx, user, bracketId);
  const delegation = delegationOf(user);
  requireNegotiable(user, document);
  if (row.state !== "open") throw conflict(`bracket ${bracketLabel(row)} is ${row.state}; options are added only to an open bracket`);
  const text = input.text.normalize("NFC");
  if (text.trim().length === 0) throw badRequest("the option needs some text", ["text: must not be empty"]);
  const paragraph = documentParagraph(ctx, row.document_id, row.paragraph_id);
  const span = paragraph?.brackets.find((b) => b.id === row.id);
  if (!paragraph || !span) throw conflict(`bracket ${bracketLabel(row)} no longer stands in the text`);
  if (paragraph.text.length + text.length > MAX_BLOCK_TEXT)
    throw conflict(`${citation(paragraph)} would exceed ${MAX_BLOCK_TEXT} characters`);

  const group = row.group_id ?? newId("g");
  const options = openOptionsOf(ctx, row);
  const members = new Set(options.map((o) => o.id));
  const last = paragraph.brackets.filter((b) => members.has(b.id)).reduce((a, b) => (b.to > a.to ? b : a), span);
  const id = newId("b");
  const now = new Date().toISOString();
  if (!row.group_id) statement(tx.db, "UPDATE brackets SET group_id = ? WHERE id = ?").run(group, row.id);
  const number = insertBracket(tx.db, {
    id,
    documentId: row.document_id,
    paragraphId: row.paragraph_id,
    paragraphRef: paragraph.ref,
    group,
    text,
    openedBy: { id: user.id, username: user.username, delegation },
    at: now,
  });

  tx.changeText(row.document_id, user, (fragment) => {
    const element = blockElement(fragment, row.paragraph_id)!;
    if (!row.group_id) remark(markPieces(element, row.id), { id: row.id, group });
    const block = blockOfYElement(element)!;
    const raw = blockText(block);
    const at = rawOffset(raw, last.to);
    // The new option sits inside whatever encloses the last option (nesting), but in no option.
    let offset = 0;
    let enclosing: BracketRef[] = [];
    for (const run of block.runs) {
      if (offset < at && at <= offset + run.text.length) enclosing = (run.brackets ?? []).filter((b) => !members.has(b.id));
      offset += run.text.length;
    }
    insertRunAt(element, at, { text, brackets: [...enclosing, { id, group }] });
  });
  tx.audit(auditActor(user), {
    meetingId: document.meeting_id,
    documentId: row.document_id,
    action: "bracket.option_added",
    targetType: "bracket",
    targetId: id,
    details: { label: `B${number}`, optionOf: bracketLabel(row), optionOfId: row.id, group, paragraphId: row.paragraph_id, paragraphRef: paragraph.ref, text },
  });
  return announceBracket(tx, user, "bracket.option_added", row.document_id, id, row.paragraph_id);
}

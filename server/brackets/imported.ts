import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { insertBracket, insertBracketParagraphs, insertHolder } from "./records.js";
import { statement } from "../store/statements.js";

/** A bracket whose mark is already in a new document's text, as an import found it. */
export interface ImportedBracketRecord {
  id: string;
  paragraphId: string;
  paragraphRef: string | null;
  /** For a bracket around whole paragraphs: every paragraph, in order (the first is `paragraphId`); else absent. */
  paragraphIds?: readonly string[];
  group: string | null;
  separator: string | null;
  /** "Option 1" for a labelled alternative of whole paragraphs. */
  optionLabel?: string | null;
  /** The option "No text". */
  noText?: boolean;
  text: string;
  /** Delegation codes of the meeting named as holding it; empty: held by nobody, still open. */
  holders: readonly string[];
}

/**
 * Records the brackets of an imported draft, whose marks the new document's text already
 * carries: each is open, opened by the secretariat member who imported it (no delegation),
 * held by the delegations the file named, and audited as opened, so that its history and
 * the register read as for any other bracket.
 */
export function recordImportedBrackets(tx: CommandTx, user: User, meetingId: string, documentId: string, brackets: readonly ImportedBracketRecord[]): void {
  const now = new Date().toISOString();
  const who = auditActor(user);
  const setShape = statement(tx.db, "UPDATE brackets SET separator = ?, scope = ?, option_label = ?, no_text = ? WHERE id = ?");
  for (const b of brackets) {
    const number = insertBracket(tx.db, {
      id: b.id,
      documentId,
      paragraphId: b.paragraphId,
      paragraphRef: b.paragraphRef,
      group: b.group,
      text: b.text,
      openedBy: { id: user.id, username: user.username, delegation: null },
      at: now,
    });
    const scope = b.paragraphIds ? "paragraphs" : "text";
    setShape.run(b.separator, scope, b.optionLabel ?? null, b.noText ? 1 : 0, b.id);
    if (b.paragraphIds) insertBracketParagraphs(tx.db, b.id, b.paragraphIds);
    for (const code of b.holders) insertHolder(tx.db, b.id, code, user.id, now);
    tx.audit(who, {
      meetingId,
      documentId,
      action: "bracket.opened",
      targetType: "bracket",
      targetId: b.id,
      details: {
        label: `B${number}`,
        paragraphId: b.paragraphId,
        ...(b.paragraphIds ? { paragraphIds: [...b.paragraphIds] } : {}),
        paragraphRef: b.paragraphRef,
        text: b.text,
        holders: [...b.holders],
        group: b.group,
        ...(b.optionLabel ? { optionLabel: b.optionLabel } : {}),
        imported: true,
      },
    });
  }
}

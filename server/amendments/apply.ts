import * as Y from "yjs";
import { indexOfBlock, insertBlocks, replaceBlockText } from "../../schema/index.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { conflict } from "../http/errors.js";
import type { Paragraph } from "../documents/paragraphs.js";
import { contentBlocks } from "./content.js";
import type { AmendmentContent, AmendmentOperation } from "../../schema/api/amendments.js";

/**
 * Applies an operation to a document's live text in one Yjs transaction, so that every
 * connected client receives it as one update. Returns the ids of the paragraphs it
 * produced, in order (none for a deletion).
 *
 * A replacement keeps the target's element and id and rewrites its text in place: what
 * other delegates type elsewhere at the same moment merges untouched, and the paragraph's
 * identity (status, citations) carries on; further proposed paragraphs follow it with
 * fresh ids. Insertions get fresh ids; a deletion removes the element.
 */
export function applyToText(
  tx: CommandTx,
  user: User,
  documentId: string,
  target: Paragraph,
  operation: AmendmentOperation,
  content: AmendmentContent | null,
): string[] {
  const produced: string[] = [];
  const paragraphId = target.block.id;
  tx.changeText(documentId, user, (fragment) => {
    const index = indexOfBlock(fragment, paragraphId);
    if (index < 0) throw conflict(`paragraph ${target.ref ?? paragraphId} no longer exists`, ["paragraph deleted"]);
    if (operation === "delete") {
      fragment.delete(index, 1);
      return;
    }
    const blocks = contentBlocks(content!, target.block);
    if (operation === "insert_before" || operation === "insert_after") {
      insertBlocks(fragment, operation === "insert_before" ? index : index + 1, blocks);
      produced.push(...blocks.map((b) => b.id));
      return;
    }
    const [first, ...rest] = blocks;
    replaceBlockText(fragment, index, first!.runs);
    const element = fragment.get(index) as Y.XmlElement;
    if (element.getAttribute("kind") !== first!.kind) element.setAttribute("kind", first!.kind);
    if ((element.getAttribute("level") as unknown) !== first!.level) element.setAttribute("level", first!.level as unknown as string);
    insertBlocks(fragment, index + 1, rest);
    produced.push(paragraphId, ...rest.map((b) => b.id));
  });
  return produced;
}

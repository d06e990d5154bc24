import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentEvent } from "../events/events.js";
import { documentParagraph, type Paragraph } from "../documents/paragraphs.js";
import { loadBracket, type Bracket } from "./records.js";

/** The live events of brackets (docs/API.md, "Brackets and paragraph status"). */
export type BracketEventType =
  | "bracket.opened"
  | "bracket.held"
  | "bracket.lifted"
  | "bracket.option_added"
  | "bracket.resolved"
  | "bracket.removed";

/**
 * Reads a bracket as it now stands and queues its live event (sent after the commit).
 * Returns the bracket for the command's answer. `paragraph` saves a re-read when the
 * caller has the paragraph at hand.
 */
export function announceBracket(
  tx: CommandTx,
  who: User | null,
  type: BracketEventType,
  documentId: string,
  bracketId: string,
  paragraphId: string,
  paragraph?: Paragraph | null,
): Bracket {
  const view = paragraph === undefined ? documentParagraph(tx.ctx, documentId, paragraphId) : paragraph;
  const bracket = loadBracket(tx.ctx, bracketId, view);
  tx.publish(documentEvent(documentId, type, bracket, who));
  return bracket;
}

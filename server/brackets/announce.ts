import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { documentEvent } from "../events/events.js";
import { documentText } from "../documents/paragraphs.js";
import { loadBracket, type Bracket } from "./records.js";

/** The live events of brackets (docs/API.md, "Brackets and paragraph status"). */
export type BracketEventType =
  | "bracket.opened"
  | "bracket.held"
  | "bracket.lifted"
  | "bracket.supported"
  | "bracket.support_withdrawn"
  | "bracket.option_added"
  | "bracket.resolved"
  | "bracket.removed";

/**
 * Reads a bracket as it now stands (the text as the command left it) and queues its live
 * event (sent after the commit). Returns the bracket for the command's answer.
 */
export function announceBracket(tx: CommandTx, who: User | null, type: BracketEventType, documentId: string, bracketId: string): Bracket {
  const bracket = loadBracket(tx.ctx, bracketId, documentText(tx.ctx, documentId).byId);
  tx.publish(documentEvent(documentId, type, bracket, who));
  return bracket;
}

import type { Actor } from "../../schema/roles.js";
import type { AppContext } from "../context.js";
import { statusOf } from "./status.js";

/**
 * A delegate may not delete a paragraph that has been agreed (yellow, green or ad ref):
 * agreement is the room's, and undoing it goes through an amendment and the chair.
 */
export function agreedParagraphRemovalRule(
  ctx: AppContext,
): (documentId: string, actor: Actor | null, paragraphId: string, present: ReadonlySet<string> | null) => string | null {
  return (documentId, actor, paragraphId, present) => {
    if (present !== null || actor?.role !== "delegate") return null;
    const status = statusOf(ctx, documentId, paragraphId);
    if (status === "white") return null;
    return `paragraph ${paragraphId} is agreed (${status === "ad_ref" ? "ad ref" : status}): a delegate cannot delete it; propose a deletion as an amendment`;
  };
}

import type { AppContext } from "../context.js";
import { capped } from "../commands/guards.js";
import { documentParagraph, documentText } from "../documents/paragraphs.js";
import { openBracketReasons } from "./register.js";
import { typedBracketReasons, typedBracketsOf } from "./typed.js";

/**
 * What keeps a document from being agreed on the bracket side: every open bracket (with
 * its paragraph ref) and every typed bracket.
 */
export function documentBracketBlockers(ctx: AppContext, documentId: string): string[] {
  const paragraphs = documentText(ctx, documentId).byId;
  return [
    ...capped(openBracketReasons(ctx, documentId, paragraphs), "open brackets"),
    ...capped(typedBracketReasons(typedBracketsOf(paragraphs), paragraphs), "typed brackets"),
  ];
}

/** What keeps one paragraph from being agreed: the brackets open in it, real or typed. */
export function paragraphBracketBlockers(ctx: AppContext, documentId: string, paragraphId: string): string[] {
  const paragraph = documentParagraph(ctx, documentId, paragraphId);
  const paragraphs = new Map(paragraph ? [[paragraphId, paragraph]] : []);
  return [...openBracketReasons(ctx, documentId, paragraphs, paragraphId), ...typedBracketReasons(typedBracketsOf(paragraphs), paragraphs)];
}

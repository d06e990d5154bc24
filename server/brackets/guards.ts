import type { AppContext } from "../context.js";
import { whiteParagraphReasons } from "../status/status.js";
import { documentParagraph, documentText } from "../documents/paragraphs.js";
import { openBracketReasons } from "./register.js";
import { typedBracketReasons, typedBracketsOf } from "./typed.js";

// A document under heavy negotiation has hundreds of brackets; a refusal lists the first
// ones and counts the rest rather than burying the reader.
const MAX_LISTED = 50;

function capped(reasons: string[], what: string): string[] {
  if (reasons.length <= MAX_LISTED) return reasons;
  return [...reasons.slice(0, MAX_LISTED), `… and ${reasons.length - MAX_LISTED} more ${what}`];
}

/**
 * What keeps a document from being agreed on the bracket and status side: every open
 * bracket (with its paragraph ref), every typed bracket, every preambular or operative
 * paragraph still white.
 */
export function documentBracketBlockers(ctx: AppContext, documentId: string): string[] {
  const paragraphs = documentText(ctx, documentId).byId;
  return [
    ...capped(openBracketReasons(ctx, documentId, paragraphs), "open brackets"),
    ...capped(typedBracketReasons(typedBracketsOf(paragraphs), paragraphs), "typed brackets"),
    ...capped(whiteParagraphReasons(ctx, documentId, paragraphs.values()), "white paragraphs"),
  ];
}

/** What keeps one paragraph from being agreed: the brackets open in it, real or typed. */
export function paragraphBracketBlockers(ctx: AppContext, documentId: string, paragraphId: string): string[] {
  const paragraph = documentParagraph(ctx, documentId, paragraphId);
  const paragraphs = new Map(paragraph ? [[paragraphId, paragraph]] : []);
  return [...openBracketReasons(ctx, documentId, paragraphs, paragraphId), ...typedBracketReasons(typedBracketsOf(paragraphs), paragraphs)];
}

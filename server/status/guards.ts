import type { AppContext } from "../context.js";
import { capped } from "../commands/guards.js";
import { documentText } from "../documents/paragraphs.js";
import { whiteParagraphReasons } from "./status.js";

/** What keeps a document from being agreed on the status side: every preambular or operative paragraph still white. */
export function documentStatusBlockers(ctx: AppContext, documentId: string): string[] {
  return capped(whiteParagraphReasons(ctx, documentId, documentText(ctx, documentId).paragraphs), "white paragraphs");
}

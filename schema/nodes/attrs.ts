import { isValidId } from "../ids.js";
import type { AttributeRule } from "./node.js";

/**
 * The `id` attribute every block carries. The default is null so that ProseMirror can
 * create a node before an id is known; the editor's id plugin fills it in the same
 * transaction, and the server refuses a block that arrives without one.
 */
export const blockIdAttr: AttributeRule = { default: null, valid: isValidId };

/** Reads a block's id back from the DOM when pasting from another Accord document. */
export function idFromDom(dom: HTMLElement | string): { id: string | null } {
  if (typeof dom === "string") return { id: null };
  return { id: dom.getAttribute("data-id") };
}

import type { NodeSpec } from "prosemirror-model";
import { blockIdAttr, idFromDom } from "./attrs.js";

/**
 * An unnumbered lead-in clause: "THE MINISTERS AND HIGH AUTHORITIES …, meeting in Buenos
 * Aires," before the preamble, or "DECLARE:" before the operative part.
 */
export const chapeau: NodeSpec = {
  content: "text*",
  marks: "em strong bracket",
  group: "block",
  attrs: { id: blockIdAttr },
  parseDOM: [{ tag: "p.chapeau", getAttrs: idFromDom }],
  toDOM: (node) => ["p", { class: "chapeau", "data-id": node.attrs.id }, 0],
};

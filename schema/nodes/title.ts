import type { NodeSpec } from "prosemirror-model";
import { blockIdAttr, idFromDom } from "./attrs.js";

/** The document's title ("DECLARATION OF BUENOS AIRES ON …"). Exactly one, first. */
export const title: NodeSpec = {
  content: "text*",
  marks: "em strong bracket",
  group: "heading_block",
  defining: true,
  attrs: { id: blockIdAttr },
  parseDOM: [{ tag: "h1", getAttrs: idFromDom }],
  toDOM: (node) => ["h1", { class: "doc-title", "data-id": node.attrs.id }, 0],
};

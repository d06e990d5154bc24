import { blockIdAttr, idFromDom } from "./attrs.js";
import { defineNode } from "./node.js";

/** The document's title ("DECLARATION OF BUENOS AIRES ON …"). Exactly one, first. */
export const title = defineNode({
  name: "title",
  kinds: ["title"],
  placement: "first",
  attributes: { id: blockIdAttr },
  spec: {
    content: "text*",
    group: "heading_block",
    defining: true,
    parseDOM: [{ tag: "h1", getAttrs: idFromDom }],
    toDOM: (node) => ["h1", { class: "doc-title", "data-id": node.attrs.id }, 0],
  },
  read: () => ({ kind: "title", level: 0 }),
  write: (block) => ({ id: block.id }),
});

import { blockIdAttr } from "./attrs.js";
import { defineNode, integerIn } from "./node.js";

/** Deepest section heading level (work programmes use "I.", "A.", "1."-style sections). */
export const MAX_HEADING_LEVEL = 3;

/** A section heading, e.g. "I. PREVENTION" in a work programme. Never numbered by Accord. */
export const heading = defineNode({
  name: "heading",
  kinds: ["heading"],
  placement: "body",
  attributes: { id: blockIdAttr, level: { default: 1, valid: integerIn(1, MAX_HEADING_LEVEL) } },
  spec: {
    content: "text*",
    group: "block",
    defining: true,
    parseDOM: [1, 2, 3].map((level) => ({
      tag: `h${level + 1}`,
      getAttrs: (dom: HTMLElement) => ({ id: dom.getAttribute("data-id"), level }),
    })),
    toDOM: (node) => [`h${Number(node.attrs.level) + 1}`, { class: "section-heading", "data-id": node.attrs.id }, 0],
  },
  read: (attrs) => ({ kind: "heading", level: typeof attrs.level === "number" ? attrs.level : 1 }),
  write: (block) => ({ id: block.id, level: Math.max(1, block.level) }),
});

import type { NodeSpec } from "prosemirror-model";
import { blockIdAttr } from "./attrs.js";

/** Deepest section heading level (work programmes use "I.", "A.", "1."-style sections). */
export const MAX_HEADING_LEVEL = 3;

/** A section heading, e.g. "I. PREVENTION" in a work programme. Never numbered by Accord. */
export const heading: NodeSpec = {
  content: "text*",
  marks: "em strong bracket",
  group: "block",
  defining: true,
  attrs: { id: blockIdAttr, level: { default: 1 } },
  parseDOM: [1, 2, 3].map((level) => ({
    tag: `h${level + 1}`,
    getAttrs: (dom: HTMLElement) => ({ id: dom.getAttribute("data-id"), level }),
  })),
  toDOM: (node) => [`h${Number(node.attrs.level) + 1}`, { class: "section-heading", "data-id": node.attrs.id }, 0],
};

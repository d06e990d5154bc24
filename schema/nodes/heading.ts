import { blockIdAttr } from "./attrs.js";
import { defineNode, integerIn, oneOf } from "./node.js";

/** Deepest section heading level (work programmes use "I.", "A.", "1."-style sections). */
export const MAX_HEADING_LEVEL = 3;

/**
 * What a heading does to the numbering after it (see schema/numbering.ts): `none` lets it
 * run on; `section`, `chapter` and `article` restart operative numbering at 1 and prefix
 * citations with the section's designation ("Section II OP3", "Chapter I OP2", "Article 2
 * OP3"); `annex` restarts preambular and operative numbering and the section counts
 * ("Annex OP3", or "Annex II OP3" when the document has several annexes).
 */
export const HEADING_NUMBERINGS = ["none", "section", "chapter", "article", "annex"] as const;

/** A heading's numbering rule. */
export type HeadingNumbering = (typeof HEADING_NUMBERINGS)[number];

const isHeadingNumbering = oneOf(HEADING_NUMBERINGS);

/** A section heading, e.g. "I. PREVENTION" in a work programme. Its numbering rule may restart the paragraphs' numbers. */
export const heading = defineNode({
  name: "heading",
  kinds: ["heading"],
  placement: "body",
  attributes: {
    id: blockIdAttr,
    level: { default: 1, valid: integerIn(1, MAX_HEADING_LEVEL) },
    numbering: { default: "none", valid: isHeadingNumbering, optional: true },
  },
  spec: {
    content: "text*",
    group: "block",
    defining: true,
    parseDOM: [1, 2, 3].map((level) => ({
      tag: `h${level + 1}`,
      getAttrs: (dom: HTMLElement) => {
        const numbering = dom.getAttribute("data-numbering");
        return { id: dom.getAttribute("data-id"), level, numbering: isHeadingNumbering(numbering) ? numbering : "none" };
      },
    })),
    toDOM: (node) => [
      `h${Number(node.attrs.level) + 1}`,
      { class: "section-heading", "data-id": node.attrs.id, "data-numbering": node.attrs.numbering },
      0,
    ],
  },
  read: (attrs) => ({
    kind: "heading",
    level: typeof attrs.level === "number" ? attrs.level : 1,
    ...(isHeadingNumbering(attrs.numbering) && attrs.numbering !== "none" ? { numbering: attrs.numbering } : {}),
  }),
  write: (block) => ({ id: block.id, level: Math.max(1, block.level), numbering: isHeadingNumbering(block.numbering) ? block.numbering : "none" }),
});

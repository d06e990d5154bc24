import { blockIdAttr } from "./attrs.js";
import { defineNode, integerIn, oneOf } from "./node.js";

/** Preambular ("RECOGNIZING that …", unnumbered) or operative ("1. To urge …", numbered). */
export type ParagraphKind = "pp" | "op";

/**
 * Deepest sub-paragraph level. Operative: 0 → "1.", 1 → "(a)", 2 → "(i)". Preambular: 0 is
 * a clause or a lead-in verb ("BEARING IN MIND:"), 1 a clause beneath such a lead-in.
 */
export const MAX_PARAGRAPH_LEVEL = 2;

/**
 * Whether a paragraph takes a number: `numbered` (the default) or `unnumbered`, printed
 * without one and skipped by the count (cited by the paragraph it follows: "after OP5").
 */
export const PARAGRAPH_NUMBERINGS = ["numbered", "unnumbered"] as const;

/** A paragraph's numbering rule. */
export type ParagraphNumbering = (typeof PARAGRAPH_NUMBERINGS)[number];

const isParagraphNumbering = oneOf(PARAGRAPH_NUMBERINGS);

/**
 * The negotiated unit: a preambular or operative paragraph. Amendments, brackets and
 * agreement status all hang off its `id`. Its number is computed (see numbering.ts),
 * never stored in the text: in a draft inserting a paragraph renumbers the rest without
 * touching them; under negotiation numbers are frozen by paragraph id.
 */
export const paragraph = defineNode({
  name: "paragraph",
  kinds: ["pp", "op"],
  placement: "body",
  attributes: {
    id: blockIdAttr,
    kind: { default: "op", valid: (v) => v === "pp" || v === "op" },
    level: { default: 0, valid: integerIn(0, MAX_PARAGRAPH_LEVEL) },
    numbering: { default: "numbered", valid: isParagraphNumbering, optional: true },
  },
  spec: {
    content: "text*",
    group: "block",
    parseDOM: [
      {
        tag: "p",
        getAttrs: (dom: HTMLElement) => ({
          id: dom.getAttribute("data-id"),
          kind: dom.getAttribute("data-kind") === "pp" ? "pp" : "op",
          level: Math.min(MAX_PARAGRAPH_LEVEL, Math.max(0, Number(dom.getAttribute("data-level") ?? 0) || 0)),
          numbering: dom.getAttribute("data-numbering") === "unnumbered" ? "unnumbered" : "numbered",
        }),
      },
    ],
    toDOM: (node) => [
      "p",
      {
        class: `para para-${node.attrs.kind} level-${node.attrs.level}`,
        "data-id": node.attrs.id,
        "data-kind": node.attrs.kind,
        "data-level": String(node.attrs.level),
        "data-numbering": node.attrs.numbering,
      },
      0,
    ],
  },
  read: (attrs) => ({
    kind: attrs.kind === "pp" ? "pp" : "op",
    level: typeof attrs.level === "number" ? attrs.level : 0,
    ...(attrs.numbering === "unnumbered" ? { numbering: "unnumbered" } : {}),
  }),
  write: (block) => ({
    id: block.id,
    kind: block.kind === "pp" ? "pp" : "op",
    level: block.level,
    numbering: block.numbering === "unnumbered" ? "unnumbered" : "numbered",
  }),
});

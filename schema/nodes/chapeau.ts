import { blockIdAttr, idFromDom } from "./attrs.js";
import { defineNode } from "./node.js";

/**
 * An unnumbered lead-in clause: "THE MINISTERS AND HIGH AUTHORITIES …, meeting in Buenos
 * Aires," before the preamble, or "DECLARE:" before the operative part.
 */
export const chapeau = defineNode({
  name: "chapeau",
  kinds: ["chapeau"],
  placement: "body",
  attributes: { id: blockIdAttr },
  spec: {
    content: "text*",
    group: "block",
    parseDOM: [{ tag: "p.chapeau", getAttrs: idFromDom }],
    toDOM: (node) => ["p", { class: "chapeau", "data-id": node.attrs.id }, 0],
  },
  read: () => ({ kind: "chapeau", level: 0 }),
  write: (block) => ({ id: block.id }),
});

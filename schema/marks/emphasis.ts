import type { MarkSpec } from "prosemirror-model";

/** Italic, for titles of instruments ("Protocol to Prevent, Suppress and Punish …"). */
export const em: MarkSpec = {
  parseDOM: [{ tag: "i" }, { tag: "em" }, { style: "font-style=italic" }],
  toDOM: () => ["em", 0],
};

/** Bold, rarely used in outcome documents but common in pasted text. */
export const strong: MarkSpec = {
  parseDOM: [{ tag: "strong" }, { tag: "b" }, { style: "font-weight=bold" }],
  toDOM: () => ["strong", 0],
};

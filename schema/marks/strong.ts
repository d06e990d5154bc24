import { defineMark, isPlainValue } from "./mark.js";

/** Bold, rarely used in outcome documents but common in pasted text. */
export const strong = defineMark({
  name: "strong",
  nature: "plain",
  spec: {
    parseDOM: [{ tag: "strong" }, { tag: "b" }, { style: "font-weight=bold" }],
    toDOM: () => ["strong", 0],
  },
  valid: isPlainValue,
  shortcut: "Mod-b",
});

import { defineMark, isPlainValue } from "./mark.js";

/** Italic, for titles of instruments ("Protocol to Prevent, Suppress and Punish …"). */
export const em = defineMark({
  name: "em",
  nature: "plain",
  spec: {
    parseDOM: [{ tag: "i" }, { tag: "em" }, { style: "font-style=italic" }],
    toDOM: () => ["em", 0],
  },
  valid: isPlainValue,
  shortcut: "Mod-i",
});

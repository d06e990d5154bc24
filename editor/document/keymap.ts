import { keymap } from "prosemirror-keymap";
import { baseKeymap, chainCommands } from "prosemirror-commands";
import type { Plugin } from "prosemirror-state";
import { undo, redo } from "y-prosemirror";
import {
  addParagraph,
  indentParagraph,
  outdentParagraph,
  splitParagraph,
  togglePlainMark,
  toggleParagraphKind,
} from "./commands.js";
import { em } from "../../schema/marks/em.js";
import { PLAIN_MARKS } from "../../schema/marks/index.js";

/**
 * The keyboard shortcuts of the text, as shown in the toolbar's tooltips. `Mod` is Ctrl
 * (Cmd on a Mac). Tab indents only inside a paragraph that can go deeper; otherwise it
 * moves the focus on, so the keyboard never gets trapped in the text.
 */
export const SHORTCUTS = {
  addPreambular: "Mod-Alt-p",
  addOperative: "Mod-Alt-o",
  switchKind: "Mod-Alt-k",
  indent: "Tab",
  outdent: "Shift-Tab",
  italic: em.shortcut!,
  undo: "Mod-z",
  redo: "Mod-Shift-z",
} as const;

/** A shortcut as a person reads it on this platform ("Ctrl+Alt+O"). */
export function shortcutLabel(shortcut: string): string {
  const mac = typeof navigator !== "undefined" && /Mac/.test(navigator.platform);
  return shortcut
    .split("-")
    .map((part) => (part === "Mod" ? (mac ? "⌘" : "Ctrl") : part.length === 1 ? part.toUpperCase() : part))
    .join("+");
}

/** Undo and redo are y-prosemirror's: per user, so one's undo never removes another's typing. */
const undoCommand = (state: Parameters<typeof undo>[0]) => undo(state);
const redoCommand = (state: Parameters<typeof redo>[0]) => redo(state);

/** The document's keymaps: Accord's own first, then ProseMirror's base keys with our Enter. */
export function documentKeymaps(): Plugin[] {
  return [
    keymap({
      [SHORTCUTS.addPreambular]: addParagraph("pp"),
      [SHORTCUTS.addOperative]: addParagraph("op"),
      [SHORTCUTS.switchKind]: toggleParagraphKind,
      [SHORTCUTS.indent]: indentParagraph,
      [SHORTCUTS.outdent]: outdentParagraph,
      "Mod-]": indentParagraph,
      "Mod-[": outdentParagraph,
      // Each plain mark with a shortcut in its descriptor (Mod-i italic, Mod-b bold).
      ...Object.fromEntries(PLAIN_MARKS.filter((m) => m.shortcut).map((m) => [m.shortcut!, togglePlainMark(m.name)])),
      [SHORTCUTS.undo]: undoCommand,
      [SHORTCUTS.redo]: redoCommand,
      "Mod-y": redoCommand,
    }),
    keymap({ ...baseKeymap, Enter: chainCommands(splitParagraph, baseKeymap.Enter!) }),
  ];
}

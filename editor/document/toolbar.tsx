import type { Command } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { undo, redo } from "y-prosemirror";
import { addParagraph, indentParagraph, outdentParagraph, toggleItalic, toggleParagraphKind } from "./commands.js";
import { SHORTCUTS, shortcutLabel } from "./keymap.js";
import { t } from "../i18n/index.js";

/** One button of the toolbar: a command, its words, its shortcut. */
interface Tool {
  id: string;
  label: string;
  /** A short visible face when the label is long; the label stays the accessible name. */
  face?: string;
  shortcut?: string;
  command: Command;
}

const undoCommand: Command = (state) => undo(state);
const redoCommand: Command = (state) => redo(state);

/** The toolbar's tools, in groups separated on screen. */
const GROUPS: Tool[][] = [
  [
    { id: "add-pp", label: t("toolbar.addPp"), face: `+ ${t("paragraph.pp")}`, shortcut: SHORTCUTS.addPreambular, command: addParagraph("pp") },
    { id: "add-op", label: t("toolbar.addOp"), face: `+ ${t("paragraph.op")}`, shortcut: SHORTCUTS.addOperative, command: addParagraph("op") },
    { id: "switch-kind", label: t("toolbar.switch"), face: t("toolbar.switchFace"), shortcut: SHORTCUTS.switchKind, command: toggleParagraphKind },
  ],
  [
    { id: "outdent", label: t("toolbar.outdent"), face: `⇤ ${t("shortcuts.outdent")}`, shortcut: SHORTCUTS.outdent, command: outdentParagraph },
    { id: "indent", label: t("toolbar.indent"), face: `${t("toolbar.indentFace")} ⇥`, shortcut: SHORTCUTS.indent, command: indentParagraph },
  ],
  [{ id: "italic", label: t("toolbar.italic"), face: t("toolbar.italicFace"), shortcut: SHORTCUTS.italic, command: toggleItalic }],
  [
    { id: "undo", label: t("toolbar.undo"), face: "↶", shortcut: SHORTCUTS.undo, command: undoCommand },
    { id: "redo", label: t("shortcuts.redo"), face: "↷", shortcut: SHORTCUTS.redo, command: redoCommand },
  ],
];

/** Arrow keys move between the tools, as the WAI-ARIA toolbar pattern has it (Tab leaves the toolbar). */
function moveAlongToolbar(event: KeyboardEvent): void {
  const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
  if (!delta) return;
  const toolbar = event.currentTarget as HTMLElement;
  const tools = [...toolbar.querySelectorAll<HTMLButtonElement>("button:not([disabled])")];
  const index = tools.indexOf(document.activeElement as HTMLButtonElement);
  if (index < 0) return;
  event.preventDefault();
  tools[(index + delta + tools.length) % tools.length]!.focus();
}

/**
 * The editing toolbar above the text. Buttons keep the caret where it is (mousedown does
 * not steal the focus) and are disabled when the user may not write.
 */
export function Toolbar(props: {
  view: EditorView | null;
  writable: boolean;
  /** Brackets the selected words (offered to delegates: a bracket is a delegation's objection). */
  onBracket?: () => void;
}) {
  const run = (tool: Tool) => {
    const view = props.view;
    if (!view || !props.writable) return;
    tool.command(view.state, view.dispatch, view);
    view.focus();
  };
  return (
    <div class="toolbar" role="toolbar" aria-label={t("toolbar.label")} onKeyDown={moveAlongToolbar}>
      {GROUPS.map((group, i) => (
        <div class="tool-group" key={i}>
          {group.map((tool) => (
            <button
              type="button"
              key={tool.id}
              data-tool={tool.id}
              class={`tool tool-${tool.id}`}
              aria-label={tool.label}
              title={tool.shortcut ? `${tool.label} (${shortcutLabel(tool.shortcut)})` : tool.label}
              disabled={!props.view || !props.writable}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => run(tool)}
            >
              {tool.face ?? tool.label}
            </button>
          ))}
        </div>
      ))}
      {props.onBracket && (
        <div class="tool-group">
          <button
            type="button"
            data-tool="bracket"
            class="tool tool-bracket"
            aria-label={t("toolbar.bracket")}
            title={t("toolbar.bracket")}
            disabled={!props.view || !props.writable}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => props.onBracket?.()}
          >
            [ ] {t("toolbar.bracketFace")}
          </button>
        </div>
      )}
    </div>
  );
}

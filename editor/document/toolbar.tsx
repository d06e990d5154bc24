import type { Command } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { undo, redo } from "y-prosemirror";
import {
  addParagraph,
  indentParagraph,
  outdentParagraph,
  setHeadingNumbering,
  toggleItalic,
  toggleParagraphKind,
  toggleParagraphNumbering,
} from "./commands.js";
import { HEADING_NUMBERINGS, type HeadingNumbering } from "../../schema/nodes/heading.js";
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
    { id: "toggle-numbered", label: t("toolbar.numbered"), face: t("toolbar.numberedFace"), command: toggleParagraphNumbering },
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

/** A heading numbering rule's name in the interface language. */
function headingNumberingName(numbering: HeadingNumbering): string {
  // Each key written out, so the catalogue check sees every one used.
  const names: Record<HeadingNumbering, () => string> = {
    none: () => t("toolbar.headingNumbering.none"),
    section: () => t("toolbar.headingNumbering.section"),
    chapter: () => t("toolbar.headingNumbering.chapter"),
    article: () => t("toolbar.headingNumbering.article"),
    annex: () => t("toolbar.headingNumbering.annex"),
  };
  return names[numbering]();
}

/** Arrow keys move between the tools, as the WAI-ARIA toolbar pattern has it (Tab leaves the toolbar). */
function moveAlongToolbar(event: KeyboardEvent): void {
  const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
  if (!delta) return;
  const toolbar = event.currentTarget as HTMLElement;
  const tools = [...toolbar.querySelectorAll<HTMLElement>("button:not([disabled]), select:not([disabled])")];
  const index = tools.indexOf(document.activeElement as HTMLElement);
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
  const run = (command: Command) => {
    const view = props.view;
    if (!view || !props.writable) return;
    command(view.state, view.dispatch, view);
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
              onClick={() => run(tool.command)}
            >
              {tool.face ?? tool.label}
            </button>
          ))}
        </div>
      ))}
      <div class="tool-group">
        {/* A choice, not a button: the rule is one of several. It applies to the headings the
            selection touches, then shows its prompt again, as the caret may move to another. */}
        <select
          data-tool="heading-numbering"
          class="tool tool-heading-numbering"
          aria-label={t("toolbar.headingNumbering")}
          title={t("toolbar.headingNumbering")}
          disabled={!props.view || !props.writable}
          value=""
          onChange={(e) => {
            const select = e.currentTarget;
            const numbering = HEADING_NUMBERINGS.find((n) => n === select.value);
            select.value = "";
            if (numbering) run(setHeadingNumbering(numbering));
          }}
        >
          <option value="" disabled>
            {t("toolbar.headingNumberingFace")}
          </option>
          {HEADING_NUMBERINGS.map((n) => (
            <option value={n} key={n}>
              {headingNumberingName(n)}
            </option>
          ))}
        </select>
      </div>
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

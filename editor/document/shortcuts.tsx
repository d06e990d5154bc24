import { useEffect, useRef } from "preact/hooks";
import { SHORTCUTS, shortcutLabel } from "./keymap.js";
import { t } from "../i18n/index.js";

/** The page's own shortcuts (outside the text's keymap). */
export const PAGE_SHORTCUTS = {
  find: "Mod-f",
  bracket: "Mod-Shift-b",
  comment: "Mod-Alt-m",
  help: "?",
} as const;

const WORDS: Array<[string, string]> = [
  [SHORTCUTS.addPreambular, t("shortcuts.addPreambular")],
  [SHORTCUTS.addOperative, t("shortcuts.addOperative")],
  [SHORTCUTS.switchKind, t("shortcuts.switchKind")],
  [SHORTCUTS.indent, t("shortcuts.indent")],
  [SHORTCUTS.outdent, t("shortcuts.outdent")],
  [SHORTCUTS.italic, t("shortcuts.italic")],
  [SHORTCUTS.undo, t("shortcuts.undo")],
  [SHORTCUTS.redo, t("shortcuts.redo")],
  [PAGE_SHORTCUTS.bracket, t("shortcuts.bracket")],
  [PAGE_SHORTCUTS.comment, t("comments.shortcut")],
  [PAGE_SHORTCUTS.find, t("shortcuts.find")],
  [PAGE_SHORTCUTS.help, t("shortcuts.help")],
  ["Escape", t("shortcuts.escape")],
];

/** Whether a key event matches a shortcut written as `Mod-Shift-b`. */
export function matches(event: KeyboardEvent, shortcut: string): boolean {
  const parts = shortcut.split("-");
  const key = parts.pop()!;
  const mod = parts.includes("Mod");
  const mac = /Mac/.test(navigator.platform);
  return (
    event.key.toLowerCase() === key.toLowerCase() &&
    (mac ? event.metaKey : event.ctrlKey) === mod &&
    event.shiftKey === parts.includes("Shift") &&
    event.altKey === parts.includes("Alt")
  );
}

/** The list of keyboard shortcuts, opened with "?" outside the text. */
export function ShortcutList(props: { close: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    dialog.current?.focus();
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && props.close();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [props.close]);
  return (
    <div class="shortcut-list" role="dialog" aria-modal="true" aria-label={t("document.shortcuts")} tabIndex={-1} ref={dialog} data-shortcut-list>
      <h2>{t("document.shortcuts")}</h2>
      <dl>
        {WORDS.map(([keys, words]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys === "?" || keys === "Escape" ? keys : shortcutLabel(keys)}</kbd>
            </dt>
            <dd>{words}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={props.close}>
        {t("panel.close")}
      </button>
    </div>
  );
}

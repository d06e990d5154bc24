import { useEffect, useRef, useState } from "preact/hooks";
import type { EditorView } from "prosemirror-view";
import { searchKey, setSearch, stepSearch } from "./plugins/search.js";
import { t, formatNumber } from "../i18n/index.js";

/**
 * "Find in the document": the words, how many hits ("3 of 12"), next and previous (Enter,
 * Shift+Enter), Escape to close. The hits are highlighted in the text, and counted again,
 * as it changes, whoever changes it.
 */
export function SearchBar(props: { view: EditorView; onTextChange: (fn: () => void) => () => void; close: () => void }) {
  const { view, onTextChange, close } = props;
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState("");
  const [, redraw] = useState(0);
  useEffect(() => {
    input.current?.focus();
    return () => {
      if (!view.isDestroyed) view.dispatch(setSearch(view.state, ""));
    };
  }, [view]);
  // Others' edits move, add and remove hits under the reader: the count follows every change.
  useEffect(() => onTextChange(() => redraw((n) => n + 1)), [onTextChange]);
  const search = searchKey.getState(view.state);
  const count = search?.hits.length ?? 0;
  const step = (direction: 1 | -1) => {
    const tr = stepSearch(view.state, direction);
    if (tr) view.dispatch(tr);
    redraw((n) => n + 1);
  };
  return (
    <form
      class="search-bar"
      role="search"
      aria-label={t("search.label")}
      data-search-bar
      onSubmit={(event) => {
        event.preventDefault();
        step(1);
      }}
    >
      <label for="search-text">{t("document.find")}</label>
      <input
        id="search-text"
        ref={input}
        value={query}
        autocomplete="off"
        spellcheck={false}
        onInput={(event) => {
          const text = (event.target as HTMLInputElement).value;
          setQuery(text);
          view.dispatch(setSearch(view.state, text));
        }}
        onKeyDown={(event) => {
          if (event.key === "Escape") close();
          else if (event.key === "Enter" && event.shiftKey) {
            event.preventDefault();
            step(-1);
          }
        }}
      />
      <span class="search-count" role="status" data-search-count>
        {query.trim() === "" ? "" : count === 0 ? t("search.none") : t("search.position", { n: formatNumber((search?.current ?? 0) + 1), count: formatNumber(count) })}
      </span>
      <button type="button" onClick={() => step(-1)} disabled={count === 0} aria-label={t("search.previous")}>
        ↑
      </button>
      <button type="submit" disabled={count === 0} aria-label={t("search.next")}>
        ↓
      </button>
      <button type="button" class="link-button" onClick={close} aria-label={t("search.close")}>
        ×
      </button>
    </form>
  );
}

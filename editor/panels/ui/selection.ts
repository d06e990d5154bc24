import { useEffect, useState } from "preact/hooks";
import type { PanelContext, TextSelection } from "../context.js";

/** The user's selection in the text, followed as it moves; kept when focus moves to a panel. */
export function useSelection(ctx: PanelContext): TextSelection | null {
  const [selection, setSelection] = useState<TextSelection | null>(() => ctx.view.selection());
  useEffect(() => {
    // ProseMirror reads the DOM selection in its own selectionchange handler, which may run
    // after this one: read its state a moment later. It keeps its selection when focus
    // moves to the panel, so leaving the text does not clear what the panel shows.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const update = () => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const s = ctx.view.selection();
        if (s || document.activeElement?.closest(".ProseMirror")) setSelection(s);
      }, 30);
    };
    document.addEventListener("selectionchange", update);
    const off = ctx.view.onTextChange(update);
    return () => {
      document.removeEventListener("selectionchange", update);
      if (timer !== null) clearTimeout(timer);
      off();
    };
  }, [ctx]);
  return selection;
}

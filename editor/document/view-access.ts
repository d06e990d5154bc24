import type { EditorView } from "prosemirror-view";
import { canonicalize, type CanonicalDocument } from "../../schema/canonical.js";
import { blocksOfDoc } from "../../schema/yfragment.js";
import { TextSelection as CaretSelection } from "prosemirror-state";
import type { TextSelection, ViewAccess } from "../panels/context.js";
import type { DocumentConnection } from "./connection.js";
import type { TextView } from "./text-view.js";
import { rangeAnchor } from "./comment-anchors.js";

/** How long a paragraph stays highlighted after a panel scrolled to it. */
const FLASH_MS = 1600;
/** Text-change notifications to panels are coalesced: typing fires many per second. */
const CHANGE_DELAY_MS = 120;

/** The DOM element of a block by its paragraph id. */
export function paragraphElement(view: EditorView, paragraphId: string): HTMLElement | null {
  return view.dom.querySelector<HTMLElement>(`[data-id="${CSS.escape(paragraphId)}"]`);
}

/**
 * What panels may do with the text view (editor/panels/context.ts): scroll to and flash a
 * paragraph, read the selection in a paragraph's own offsets, read the canonical form as
 * this client has it, and hear of changes.
 */
export function createViewAccess(text: TextView, connection: DocumentConnection): ViewAccess {
  const scrollToParagraph = (paragraphId: string) => {
    if (!text.flash(paragraphId, FLASH_MS)) return;
    paragraphElement(text.view, paragraphId)?.scrollIntoView({ block: "center", behavior: "smooth" });
  };
  return {
    scrollToParagraph,

    focusParagraph(paragraphId) {
      const { view } = text;
      let at = -1;
      view.state.doc.forEach((block, offset) => {
        if (at < 0 && block.attrs.id === paragraphId) at = offset + 1;
      });
      if (at < 0) return;
      view.dispatch(view.state.tr.setSelection(CaretSelection.near(view.state.doc.resolve(at))));
      view.focus();
      scrollToParagraph(paragraphId);
    },

    selection(): TextSelection | null {
      const { $from, $to } = text.view.state.selection;
      if ($from.depth !== 1 || !$from.sameParent($to)) return null;
      const block = $from.parent;
      const id = block.attrs.id as string | null;
      if (!id) return null;
      const from = $from.parentOffset;
      const to = $to.parentOffset;
      return { paragraphId: id, from, to, text: block.textBetween(from, to) };
    },

    selectedParagraphs(): string[] {
      const { from, to } = text.view.state.selection;
      const ids: string[] = [];
      text.view.state.doc.forEach((block, offset) => {
        const end = offset + block.nodeSize;
        // A selection ending at the very start of a block does not take it in (a triple click's does).
        const touched = from === to ? offset < from && from < end : offset + 1 < to && from < end - 1;
        if (touched && typeof block.attrs.id === "string") ids.push(block.attrs.id);
      });
      return ids;
    },

    selectionAnchor() {
      const selection = this.selection();
      if (!selection) return null;
      const range = selection.from < selection.to ? rangeAnchor(connection.doc, selection.paragraphId, selection.from, selection.to) : null;
      return { paragraphId: selection.paragraphId, range, quote: range ? selection.text : null };
    },

    canonical(): CanonicalDocument {
      // The Yjs doc is what the server hashes; ySyncPlugin writes every local change to it
      // synchronously, so it is exactly what this client shows.
      return canonicalize(blocksOfDoc(connection.doc), text.frozenLabels());
    },

    onServerText(fn) {
      return connection.onServerText(fn);
    },

    onTextChange(fn) {
      let timer: number | null = null;
      const off = text.onDocChange(() => {
        if (timer !== null) return;
        timer = window.setTimeout(() => {
          timer = null;
          fn();
        }, CHANGE_DELAY_MS);
      });
      return () => {
        off();
        if (timer !== null) window.clearTimeout(timer);
      };
    },
  };
}

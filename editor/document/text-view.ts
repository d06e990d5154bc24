import { EditorState, type Plugin, type Transaction } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { initProseMirrorDoc, ySyncPlugin, yCursorPlugin, yUndoPlugin } from "y-prosemirror";
import { documentSchema } from "../../schema/schema.js";
import { textFragment } from "../../schema/yfragment.js";
import type { Bracket } from "../api/types.js";
import type { DocumentConnection } from "./connection.js";
import { blockIdentityPlugin } from "./plugins/ids.js";
import { frozenLabelsOfState, numberingPlugin, setFrozenLabels } from "./plugins/numbering.js";
import type { FrozenLabels } from "../../schema/numbering.js";
import { bracketPlugin, setBracketRegister } from "./plugins/brackets.js";
import { paragraphStatusPlugin, setParagraphStatuses, type StatusHandlers, type StatusMark } from "./plugins/status.js";
import { clearFlash, flashParagraph, flashPlugin } from "./plugins/flash.js";
import { searchPlugin } from "./plugins/search.js";
import { commentsPlugin, setCommentMarks, type CommentMark } from "./plugins/comments.js";
import { documentKeymaps } from "./keymap.js";
import { cursorBuilder, selectionBuilder } from "./presence.js";
import { keepCaretWithOwnText, keepUnreadSelection } from "./caret-anchor.js";

/** The ProseMirror view of a document's live text, and what the page may change about it. */
export interface TextView {
  view: EditorView;
  /** Whether the user may type; switches at once, without reloading. */
  setWritable(writable: boolean): void;
  /** Replaces the bracket register drawn on the page (holders on hover). */
  setBrackets(brackets: readonly Bracket[]): void;
  /** Replaces the paragraph statuses drawn as colour bands. */
  setStatuses(statuses: ReadonlyMap<string, StatusMark>): void;
  /** Replaces the comment threads drawn in the text (highlighted words, paragraph markers). */
  setComments(marks: readonly CommentMark[]): void;
  /** Numbers the text with the document's frozen labels (stable numbers under negotiation). */
  setFrozenLabels(frozen: FrozenLabels): void;
  /** The frozen labels the text is numbered with now. */
  frozenLabels(): FrozenLabels;
  /** Highlights a paragraph for `ms` milliseconds; false if there is no such paragraph. */
  flash(paragraphId: string, ms: number): boolean;
  /** Calls `fn` after every change of the text, local or remote; returns unsubscribe. */
  onDocChange(fn: () => void): () => void;
  destroy(): void;
}

/**
 * Mounts the text of a connected document into `place`. Call only after
 * `connection.firstSync`: the view is built from the synced fragment, so no content is
 * ever created locally and then duplicated by the server's copy.
 */
export function mountTextView(
  place: HTMLElement,
  connection: DocumentConnection,
  options: { writable: boolean; label: string; status?: StatusHandlers; plugins?: readonly Plugin[]; lang?: string },
): TextView {
  const fragment = textFragment(connection.doc);
  // Building the first state straight from the fragment (with its mapping) spares
  // y-prosemirror a second full render on mount: half the opening time of a long text.
  const { doc, mapping } = initProseMirrorDoc(fragment, documentSchema);
  let writable = options.writable;
  const docListeners = new Set<() => void>();
  const state = EditorState.create({
    schema: documentSchema,
    doc,
    plugins: [
      ySyncPlugin(fragment, { mapping }),
      yCursorPlugin(connection.awareness, { cursorBuilder, selectionBuilder }),
      yUndoPlugin(),
      ...documentKeymaps(),
      blockIdentityPlugin(),
      numberingPlugin(),
      bracketPlugin(),
      paragraphStatusPlugin(options.status),
      flashPlugin(),
      searchPlugin(),
      commentsPlugin(connection.doc),
      ...(options.plugins ?? []),
    ],
  });
  const view: EditorView = new EditorView(place, {
    state,
    editable: () => writable,
    // A function, re-read on every update, so that aria-readonly follows `writable`.
    attributes: () => ({
      class: "document-text",
      role: "textbox",
      "aria-multiline": "true",
      "aria-label": options.label,
      spellcheck: "true",
      lang: options.lang ?? "en",
      "aria-readonly": String(!writable),
    }),
    dispatchTransaction(tr: Transaction) {
      view.updateState(view.state.apply(keepUnreadSelection(view, tr)));
      if (tr.docChanged) for (const fn of docListeners) fn();
    },
  });
  let flashTimer = 0;
  const releaseCaret = keepCaretWithOwnText(view, connection.doc);

  return {
    view,
    setWritable(next) {
      if (next === writable) return;
      writable = next;
      // setProps re-reads `editable` and `attributes` and updates the DOM on the spot.
      view.setProps({ editable: () => writable });
    },
    setBrackets(brackets) {
      view.dispatch(setBracketRegister(view.state, brackets));
    },
    setStatuses(statuses) {
      view.dispatch(setParagraphStatuses(view.state, statuses));
    },
    setComments(marks) {
      view.dispatch(setCommentMarks(view.state, marks));
    },
    setFrozenLabels(frozen) {
      view.dispatch(setFrozenLabels(view.state, frozen));
    },
    frozenLabels() {
      return frozenLabelsOfState(view.state);
    },
    flash(paragraphId, ms) {
      const tr = flashParagraph(view.state, paragraphId);
      if (!tr) return false;
      view.dispatch(tr);
      window.clearTimeout(flashTimer);
      flashTimer = window.setTimeout(() => !view.isDestroyed && view.dispatch(clearFlash(view.state)), ms);
      return true;
    },
    onDocChange(fn) {
      docListeners.add(fn);
      return () => void docListeners.delete(fn);
    },
    destroy() {
      window.clearTimeout(flashTimer);
      releaseCaret();
      docListeners.clear();
      view.destroy();
    },
  };
}

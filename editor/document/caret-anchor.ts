import * as Y from "yjs";
import { TextSelection, type Transaction } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { absolutePositionToRelativePosition, ySyncPluginKey, type ProsemirrorBinding } from "y-prosemirror";

/** The selection as y-prosemirror keeps it across a remote change (null between transactions). */
interface RelativeSelection {
  type: string;
  anchor: Y.RelativePosition | null;
  head: Y.RelativePosition | null;
}

/** Whether a DOM node lies inside a decoration (a caret label, a status band, a lock): no text position. */
function inDecoration(node: Node): boolean {
  const element = node instanceof Element ? node : node.parentElement;
  return element?.closest("[data-decoration]") != null;
}

/**
 * Where the person has put the caret when ProseMirror has not read it yet, or null.
 *
 * ProseMirror learns of a click only from the browser's asynchronous `selectionchange`
 * event; until then its state still holds the previous selection (on a page just opened,
 * the start of the title). Someone else's text arriving in between makes y-prosemirror
 * rebuild the view with that stale selection and write it back into the browser, so the
 * click is undone and the next letters land where the caret was before.
 */
export function unreadSelection(view: EditorView): { anchor: number; head: number } | null {
  if (!view.hasFocus() || view.composing || !(view.state.selection instanceof TextSelection)) return null;
  const dom = document.getSelection();
  if (!dom || !dom.anchorNode || !dom.focusNode) return null;
  if (!view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return null;
  if (inDecoration(dom.anchorNode) || inDecoration(dom.focusNode)) return null;
  let anchor: number;
  let head: number;
  try {
    anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
    head = view.posAtDOM(dom.focusNode, dom.focusOffset);
  } catch {
    return null;
  }
  const { selection } = view.state;
  if (anchor === selection.anchor && head === selection.head) return null;
  if (anchor < 0 || head < 0 || anchor > view.state.doc.content.size || head > view.state.doc.content.size) return null;
  return { anchor, head };
}

/**
 * Takes the person's unread click into a transaction that sets no selection of its own
 * (a presence update, new statuses): applied with the stale selection, it would write that
 * back into the browser and undo the click. Positions are mapped through the
 * transaction's own steps.
 */
export function keepUnreadSelection(view: EditorView, tr: Transaction): Transaction {
  if (tr.selectionSet) return tr;
  const unread = unreadSelection(view);
  if (unread === null) return tr;
  const anchor = tr.doc.resolve(tr.mapping.map(unread.anchor));
  const head = tr.doc.resolve(tr.mapping.map(unread.head));
  return tr.setSelection(TextSelection.between(anchor, head));
}

/**
 * Keeps the local caret where the local person put it, and with their own text, when
 * someone else's text arrives. y-prosemirror remembers the selection before every Yjs
 * transaction and puts it back after rebuilding the view; this corrects what it remembers:
 *
 * - It reads ProseMirror's state, which lags a click the browser has not reported yet
 *   (`unreadSelection`): the browser's selection is taken instead, so the click stands.
 * - It ties the caret to the character *after* it (assoc 0). When two people type at one
 *   spot, the other person's letter lands between our last letter and that character, so
 *   our caret would be put back after *their* letter; our next letter would then have
 *   theirs as its left origin, and Yjs would order the two runs' letters alternately
 *   ("XoXoXo"). Tied to the character *before* the caret (assoc −1), the caret stays right
 *   after our own last letter, each new letter continues our own run, and Yjs keeps both
 *   runs whole.
 *
 * Runs after the binding's own `beforeAllTransactions` listener (registered later) and
 * rewrites the remembered text selection; returns the unsubscribe.
 */
export function keepCaretWithOwnText(view: EditorView, doc: Y.Doc): () => void {
  const binding = ySyncPluginKey.getState(view.state)?.binding as ProsemirrorBinding | undefined;
  if (!binding) return () => {};
  const leftward = (position: Y.RelativePosition | null): Y.RelativePosition | null => {
    if (position === null || position.assoc < 0) return position;
    const absolute = Y.createAbsolutePositionFromRelativePosition(position, doc);
    if (absolute === null || !(absolute.type instanceof Y.XmlText)) return position;
    return Y.createRelativePositionFromTypeIndex(absolute.type, absolute.index, -1);
  };
  const rewrite = () => {
    let selection = binding.beforeTransactionSelection as RelativeSelection | null;
    if (selection === null) return;
    const unread = unreadSelection(view);
    if (unread !== null) {
      const relative = (pos: number) => absolutePositionToRelativePosition(pos, binding.type, binding.mapping) as Y.RelativePosition;
      selection = { type: "text", anchor: relative(unread.anchor), head: relative(unread.head) };
    }
    if (selection.type !== "text") return;
    binding.beforeTransactionSelection = { ...selection, anchor: leftward(selection.anchor), head: leftward(selection.head) };
  };
  doc.on("beforeAllTransactions", rewrite);
  return () => doc.off("beforeAllTransactions", rewrite);
}

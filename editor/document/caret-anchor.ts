import * as Y from "yjs";
import type { EditorView } from "prosemirror-view";
import { ySyncPluginKey, type ProsemirrorBinding } from "y-prosemirror";

/** The selection as y-prosemirror keeps it across a remote change (null between transactions). */
interface RelativeSelection {
  type: string;
  anchor: Y.RelativePosition | null;
  head: Y.RelativePosition | null;
}

/**
 * Keeps the local caret with the character before it when someone else's text arrives.
 *
 * y-prosemirror remembers the selection across a remote change as Yjs relative positions
 * tied to the character *after* the caret (assoc 0). When two people type at one spot,
 * the other person's letter lands between our last letter and that character, so our
 * caret is put back after *their* letter; our next letter then has theirs as its left
 * origin, and Yjs orders the two runs' letters alternately ("XoXoXo"). Tied to the
 * character *before* the caret (assoc −1), the caret stays right after our own last
 * letter, each new letter continues our own run, and Yjs keeps both runs whole.
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
    const selection = binding.beforeTransactionSelection as RelativeSelection | null;
    if (selection === null || selection.type !== "text") return;
    binding.beforeTransactionSelection = { ...selection, anchor: leftward(selection.anchor), head: leftward(selection.head) };
  };
  doc.on("beforeAllTransactions", rewrite);
  return () => doc.off("beforeAllTransactions", rewrite);
}

import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";

/** Key of the plugin that highlights a paragraph a panel pointed at. */
const flashKey = new PluginKey<DecorationSet>("accord-flash");

/**
 * A brief highlight of one paragraph (class `flash`), as a decoration: a class set on the
 * DOM by hand would be seen by ProseMirror as a foreign change and drawn away at once.
 * The highlight follows its paragraph through edits until it is cleared.
 */
export function flashPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: flashKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, previous) {
        const next = tr.getMeta(flashKey) as DecorationSet | undefined;
        return next ?? previous.map(tr.mapping, tr.doc);
      },
    },
    props: {
      decorations: (state) => flashKey.getState(state),
    },
  });
}

/** A transaction that highlights the block with `paragraphId` (replacing any other), or null if there is none. */
export function flashParagraph(state: EditorState, paragraphId: string): Transaction | null {
  let found: Decoration | null = null;
  state.doc.forEach((node, pos) => {
    if (!found && node.attrs.id === paragraphId) found = Decoration.node(pos, pos + node.nodeSize, { class: "flash" });
  });
  if (!found) return null;
  return state.tr.setMeta(flashKey, DecorationSet.create(state.doc, [found]));
}

/** A transaction that removes the highlight. */
export function clearFlash(state: EditorState): Transaction {
  return state.tr.setMeta(flashKey, DecorationSet.empty);
}

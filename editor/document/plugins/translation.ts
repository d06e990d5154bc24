import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import { ySyncPluginKey } from "y-prosemirror";
import type { TranslationStatus } from "../../../schema/api/languages.js";

/** What the side-by-side view draws on each paragraph of one column. */
export interface AlignmentState {
  /** Translation status by paragraph id (drawn as a band; none in a column without it). */
  statuses: ReadonlyMap<string, TranslationStatus>;
  /** The height each paragraph takes at least, px, so that both columns line up. */
  heights: ReadonlyMap<string, number>;
  /** Only outdated paragraphs are shown. */
  outdatedOnly: boolean;
}

const EMPTY: AlignmentState = { statuses: new Map(), heights: new Map(), outdatedOnly: false };

const alignmentKey = new PluginKey<{ alignment: AlignmentState; decorations: DecorationSet }>("accord-side-by-side");

function decorate(doc: PMNode, alignment: AlignmentState): DecorationSet {
  const decorations: Decoration[] = [];
  doc.forEach((node, offset) => {
    const id = String(node.attrs.id ?? "");
    const status = alignment.statuses.get(id);
    const height = alignment.heights.get(id);
    const hidden = alignment.outdatedOnly && alignment.statuses.size > 0 && status !== "outdated";
    const classes = [status ? `translation-band translation-${status}` : "", hidden ? "translation-hidden" : ""].filter(Boolean).join(" ");
    if (!classes && height === undefined) return;
    decorations.push(
      Decoration.node(offset, offset + node.nodeSize, {
        ...(classes ? { class: classes } : {}),
        ...(status ? { "data-translation": status } : {}),
        ...(height !== undefined ? { style: `min-height: ${height}px` } : {}),
      }),
    );
  });
  return DecorationSet.create(doc, decorations);
}

/** The plugin that draws translation bands, aligned heights and the "outdated only" filter on a column. */
export function alignmentPlugin(): Plugin {
  return new Plugin({
    key: alignmentKey,
    state: {
      init: (_config, state) => ({ alignment: EMPTY, decorations: decorate(state.doc, EMPTY) }),
      apply(tr, value, _old, state) {
        const next = tr.getMeta(alignmentKey) as Partial<AlignmentState> | undefined;
        if (next) {
          const alignment = { ...value.alignment, ...next };
          return { alignment, decorations: decorate(state.doc, alignment) };
        }
        return tr.docChanged ? { alignment: value.alignment, decorations: decorate(state.doc, value.alignment) } : value;
      },
    },
    props: {
      decorations: (state) => alignmentKey.getState(state)?.decorations ?? null,
    },
  });
}

/** A transaction that changes what the alignment plugin draws. */
export function setAlignment(state: EditorState, change: Partial<AlignmentState>): Transaction {
  return state.tr.setMeta(alignmentKey, change).setMeta("addToHistory", false);
}

/** The ids of the top-level blocks of a document, in order, with the attributes a version follows (kind, level, numbering rule). */
function blockIds(doc: PMNode): string {
  const ids: string[] = [];
  doc.forEach((node) =>
    ids.push(`${node.type.name}:${String(node.attrs.id)}:${String(node.attrs.kind ?? "")}:${String(node.attrs.level ?? "")}:${String(node.attrs.numbering ?? "")}`),
  );
  return ids.join("|");
}

/**
 * Keeps a language version's paragraphs as its original has them: a local edit that would
 * add, remove, move, split, merge, re-kind or renumber (its numbering rule) a paragraph is stopped here (the server would
 * refuse it), and `onStopped` says why. Changes from the server pass.
 */
export function structureLockPlugin(onStopped: () => void): Plugin {
  return new Plugin({
    filterTransaction(tr) {
      if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
      if (blockIds(tr.before) === blockIds(tr.doc)) return true;
      onStopped();
      return false;
    },
  });
}

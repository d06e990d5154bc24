import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import { ySyncPluginKey } from "y-prosemirror";
import type * as Y from "yjs";
import { resolveRange } from "../comment-anchors.js";

/** A thread as the text shows it: highlighted words, or a marker on its paragraph. */
export interface CommentMark {
  id: string;
  paragraphId: string;
  /** The range's relative positions; null for a thread on the whole paragraph. */
  start: string | null;
  end: string | null;
  /** Shown on hover: who said what. */
  title: string;
  note: boolean;
}

interface CommentsState {
  marks: readonly CommentMark[];
  decorations: DecorationSet;
}

/** Key of the comments plugin. */
const commentsKey = new PluginKey<CommentsState>("accord-comments");

function decorate(doc: PMNode, ydoc: Y.Doc, marks: readonly CommentMark[]): DecorationSet {
  const blocks = new Map<string, { pos: number; node: PMNode }>();
  doc.forEach((node, pos) => {
    const id = node.attrs.id as string | undefined;
    if (id) blocks.set(id, { pos, node });
  });
  const decorations: Decoration[] = [];
  const marked = new Set<string>();
  for (const m of marks) {
    const block = blocks.get(m.paragraphId);
    if (!block) continue;
    const range = m.start && m.end ? resolveRange(ydoc, m.paragraphId, m.start, m.end) : null;
    const kind = m.note ? "note" : "comment";
    // Offsets in the block's text are positions one by one (the text has no inline nodes but text).
    if (range && range.to <= block.node.content.size) {
      decorations.push(
        Decoration.inline(block.pos + 1 + range.from, block.pos + 1 + range.to, { class: `${kind}-range`, "data-comment-thread": m.id, title: m.title }),
      );
    } else if (!marked.has(m.paragraphId)) {
      // On the whole paragraph, or words since deleted: the paragraph carries the marker.
      marked.add(m.paragraphId);
      decorations.push(Decoration.node(block.pos, block.pos + block.node.nodeSize, { class: `has-${kind}`, "data-comment-thread": m.id, title: m.title }));
    }
  }
  return DecorationSet.create(doc, decorations);
}

/**
 * Comments in the text: the words a thread is about highlighted, a marker on paragraphs
 * with a thread on the whole of them (decorations only, never the shared text). Remote
 * changes re-read the anchors from the Yjs document; local typing maps them along.
 */
export function commentsPlugin(ydoc: Y.Doc): Plugin<CommentsState> {
  return new Plugin<CommentsState>({
    key: commentsKey,
    state: {
      init: () => ({ marks: [], decorations: DecorationSet.empty }),
      apply(tr, previous): CommentsState {
        const marks = tr.getMeta(commentsKey) as readonly CommentMark[] | undefined;
        if (marks) return { marks, decorations: decorate(tr.doc, ydoc, marks) };
        if (!tr.docChanged) return previous;
        // A remote change is already in the Yjs document; a local one is not yet, so map.
        if (tr.getMeta(ySyncPluginKey)?.isChangeOrigin) return { marks: previous.marks, decorations: decorate(tr.doc, ydoc, previous.marks) };
        return { marks: previous.marks, decorations: previous.decorations.map(tr.mapping, tr.doc) };
      },
    },
    props: { decorations: (state) => commentsKey.getState(state)?.decorations },
  });
}

/** A transaction replacing the threads the text shows. */
export function setCommentMarks(state: EditorState, marks: readonly CommentMark[]): Transaction {
  return state.tr.setMeta(commentsKey, marks);
}

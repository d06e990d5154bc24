import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import type { ParagraphStatus } from "../../api/types.js";

/** What the status plugin knows: the server's statuses by paragraph id, and their decorations. */
interface StatusState {
  statuses: ReadonlyMap<string, ParagraphStatus>;
  decorations: DecorationSet;
}

/** Key of the paragraph-status plugin. */
export const paragraphStatusKey = new PluginKey<StatusState>("accord-paragraph-status");

/** Words for a status, as the room says them. */
export const STATUS_LABELS: Record<ParagraphStatus, string> = {
  white: "not agreed",
  yellow: "agreed in the group",
  green: "agreed in plenary",
  ad_ref: "agreed ad referendum",
};

function statusDecorations(doc: PMNode, statuses: ReadonlyMap<string, ParagraphStatus>): DecorationSet {
  if (statuses.size === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  doc.forEach((node, pos) => {
    const status = statuses.get(String(node.attrs.id));
    if (!status || node.type.name !== "paragraph") return;
    decorations.push(
      Decoration.node(pos, pos + node.nodeSize, {
        class: `status status-${status}`,
        "data-status": status,
        "aria-description": `Status: ${STATUS_LABELS[status]}`,
      }),
    );
  });
  return DecorationSet.create(doc, decorations);
}

/**
 * Paragraph status (white, yellow, green, ad ref) as a colour band beside each paragraph.
 * The statuses are the server's (DESIGN.md §1: server-owned); the page loads them and
 * hands them in with `setParagraphStatuses`, never writing them into the shared text.
 */
export function paragraphStatusPlugin(): Plugin<StatusState> {
  return new Plugin<StatusState>({
    key: paragraphStatusKey,
    state: {
      init: () => ({ statuses: new Map(), decorations: DecorationSet.empty }),
      apply(tr, previous): StatusState {
        const next = tr.getMeta(paragraphStatusKey) as ReadonlyMap<string, ParagraphStatus> | undefined;
        if (next) return { statuses: next, decorations: statusDecorations(tr.doc, next) };
        if (!tr.docChanged) return previous;
        // New blocks have no status yet; recompute so that decorations follow split/joined blocks.
        return { statuses: previous.statuses, decorations: statusDecorations(tr.doc, previous.statuses) };
      },
    },
    props: {
      decorations: (state) => paragraphStatusKey.getState(state)?.decorations,
    },
  });
}

/** A transaction that replaces the known statuses. */
export function setParagraphStatuses(state: EditorState, statuses: ReadonlyMap<string, ParagraphStatus>): Transaction {
  return state.tr.setMeta(paragraphStatusKey, statuses);
}

import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Fragment, Slice, type Mark, type Node as PMNode } from "prosemirror-model";
import { ySyncPluginKey } from "y-prosemirror";
import { newId } from "../../../schema/ids.js";

/** Key of the plugin that keeps block ids unique and brackets within one paragraph. */
const blockIdentityKey = new PluginKey("accord-block-identity");

/** Whether a transaction is y-prosemirror applying someone else's (already validated) change. */
function isRemote(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
  return meta?.isChangeOrigin === true;
}

/**
 * The repairs a document needs before its text may leave this client: every block must
 * have an id no other block has (Enter copies the attributes of the paragraph it splits,
 * and the server refuses duplicate ids), and a bracket mark split off with a new block stays
 * in the block it came from (a span is registered against one paragraph). A bracket of whole
 * paragraphs stands, by design, in several blocks that keep their ids: those marks are left
 * alone. Returns null when nothing needs repair.
 */
export function repairIdentity(state: EditorState): Transaction | null {
  const seenBlocks = new Set<string>();
  const bracketHome = new Map<string, number>();
  let tr: Transaction | null = null;
  state.doc.forEach((block, offset, index) => {
    const id = block.attrs.id as string | null;
    const fresh = id === null || seenBlocks.has(id);
    if (fresh) {
      tr ??= state.tr;
      tr.setNodeMarkup(offset, undefined, { ...block.attrs, id: newId("p") });
    } else {
      seenBlocks.add(id);
    }
    // A bracket found in an earlier block keeps living there; its copy in a block just split
    // off (Enter inside it) is dropped. In a block with its own id, the same bracket is one
    // around whole paragraphs, which the server registered there.
    const strays: Mark[] = [];
    block.forEach((child) => {
      for (const mark of child.marks) {
        if (mark.type.name !== "bracket") continue;
        const bracketId = String(mark.attrs.id);
        const home = bracketHome.get(bracketId);
        if (home === undefined) bracketHome.set(bracketId, index);
        else if (home !== index && fresh && !strays.includes(mark)) strays.push(mark);
      }
    });
    if (strays.length > 0) {
      tr ??= state.tr;
      for (const mark of strays) tr.removeMark(offset + 1, offset + block.nodeSize - 1, mark);
    }
  });
  return tr;
}

/** Bracket marks dropped from a pasted fragment: only the server's bracket command opens a bracket. */
function withoutBrackets(fragment: Fragment): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) nodes.push(node.mark(node.marks.filter((m) => m.type.name !== "bracket")));
    else nodes.push(node.copy(withoutBrackets(node.content)));
  });
  return Fragment.fromArray(nodes);
}

/** Pasted blocks arrive without ids (the id plugin gives them fresh ones) and without brackets. */
function cleanPasted(slice: Slice): Slice {
  const strip = (fragment: Fragment): Fragment => {
    const nodes: PMNode[] = [];
    fragment.forEach((node) => {
      if (node.isTextblock && "id" in node.attrs) nodes.push(node.type.create({ ...node.attrs, id: null }, node.content, node.marks));
      else nodes.push(node);
    });
    return Fragment.fromArray(nodes);
  };
  return new Slice(strip(withoutBrackets(slice.content)), slice.openStart, slice.openEnd);
}

/**
 * Keeps the identity of the text sound as the user edits: new and duplicated blocks get a
 * fresh `newId("p")` in the same step, brackets never straddle paragraphs, and paste
 * neither copies paragraph ids nor brackets. Remote changes are left alone: the server has
 * already checked them, and two clients repairing the same thing would fight.
 */
export function blockIdentityPlugin(): Plugin {
  return new Plugin({
    key: blockIdentityKey,
    appendTransaction(transactions, _oldState, newState) {
      if (!transactions.some((tr) => tr.docChanged && !isRemote(tr))) return null;
      // No "addToHistory: false": y-prosemirror would then keep the user's own edit out of
      // their undo history too, since both reach Yjs in one transaction.
      return repairIdentity(newState);
    },
    props: {
      transformPasted: (slice) => cleanPasted(slice),
    },
  });
}

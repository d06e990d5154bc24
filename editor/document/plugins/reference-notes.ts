import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import { ySyncPluginKey } from "y-prosemirror";
import * as Y from "yjs";
import { textFragment } from "../../../schema/yfragment.js";

/** A reference footnote as the text shows it: a lettered superscript marker at its point, its text on hover. */
export interface ReferenceNoteMark {
  id: string;
  paragraphId: string;
  /** The server's relative position (base64), resolved in this copy of the text; null: at `offset`. */
  anchor: string | null;
  /** Where the server places it (NFC offset): used when the anchor does not resolve here. */
  offset: number;
  /** The server says its words were deleted: it stands at its paragraph's end. */
  fellBack: boolean;
  text: string;
  /** Shown after the text on hover when the note fell back to its paragraph's end. */
  fellBackNote: string;
}

interface NotesState {
  marks: readonly ReferenceNoteMark[];
  decorations: DecorationSet;
}

const notesKey = new PluginKey<NotesState>("accord-reference-notes");

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The offset of an anchor in its paragraph's text in this copy, or null when the character it follows is gone. */
function resolvePoint(ydoc: Y.Doc, paragraphId: string, anchor: string): number | null {
  let rel: Y.RelativePosition;
  try {
    rel = Y.decodeRelativePosition(fromBase64(anchor));
  } catch {
    return null;
  }
  if (rel.item) {
    if (Y.getState(ydoc.store, rel.item.client) <= rel.item.clock) return null;
    const item = Y.getItem(ydoc.store, rel.item);
    if (!(item instanceof Y.Item) || item.deleted) return null;
  }
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, ydoc);
  const element = abs?.type.parent;
  if (!abs || !(element instanceof Y.XmlElement) || element.getAttribute("id") !== paragraphId || element.parent !== textFragment(ydoc)) return null;
  let offset = 0;
  for (const child of element.toArray()) {
    if (child === abs.type) return offset + abs.index;
    if (child instanceof Y.XmlText) offset += child.length;
  }
  return null;
}

/** The letter of the n-th note (a … z, aa …), as the exports letter them. */
function letter(n: number): string {
  let out = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}

function decorate(doc: PMNode, ydoc: Y.Doc, marks: readonly ReferenceNoteMark[], onActivate: ((mark: ReferenceNoteMark) => void) | null): DecorationSet {
  const blocks = new Map<string, { pos: number; node: PMNode; index: number }>();
  let index = 0;
  doc.forEach((node, pos) => {
    const id = node.attrs.id as string | undefined;
    if (id) blocks.set(id, { pos, node, index: index++ });
  });
  const placed: Array<{ at: number; order: number; mark: ReferenceNoteMark; moved: boolean }> = [];
  for (const mark of marks) {
    const block = blocks.get(mark.paragraphId);
    if (!block) continue;
    const resolved = mark.anchor ? resolvePoint(ydoc, mark.paragraphId, mark.anchor) : null;
    // Its words gone here too (or never anchored): where the server put it, at most the paragraph's end.
    const offset = Math.min(resolved ?? (mark.anchor ? block.node.content.size : mark.offset), block.node.content.size);
    placed.push({ at: block.pos + 1 + offset, order: block.index, mark, moved: mark.fellBack || (mark.anchor !== null && resolved === null) });
  }
  placed.sort((a, b) => a.at - b.at);
  const decorations = placed.map(({ at, mark, moved }, i) =>
    Decoration.widget(
      at,
      () => {
        const sup = document.createElement("sup");
        sup.className = moved ? "reference-note fell-back" : "reference-note";
        sup.dataset.noteId = mark.id;
        sup.textContent = letter(i + 1);
        sup.title = moved ? `${mark.text}\n${mark.fellBackNote}` : mark.text;
        sup.contentEditable = "false";
        if (onActivate) {
          sup.tabIndex = 0;
          sup.setAttribute("role", "button");
          sup.addEventListener("mousedown", (e) => e.preventDefault());
          sup.addEventListener("click", () => onActivate(mark));
          sup.addEventListener("keydown", (e) => e.key === "Enter" && onActivate(mark));
        }
        return sup;
      },
      // Before the caret at its point: what is typed there goes after the marker, as the server anchors it.
      { side: -1, key: `${mark.id}:${i}:${moved}:${mark.text}`, ignoreSelection: true },
    ),
  );
  return DecorationSet.create(doc, decorations);
}

/**
 * The secretariat's reference footnotes in the text: a lettered superscript marker at each
 * note's point, its text on hover (decorations only, never the shared text). Remote changes
 * re-read the anchors from the Yjs document; local typing maps the markers along.
 * `onActivate` (for whoever may edit notes) is called when a marker is clicked.
 */
export function referenceNotesPlugin(ydoc: Y.Doc, onActivate: ((mark: ReferenceNoteMark) => void) | null = null): Plugin<NotesState> {
  return new Plugin<NotesState>({
    key: notesKey,
    state: {
      init: () => ({ marks: [], decorations: DecorationSet.empty }),
      apply(tr, previous): NotesState {
        const marks = tr.getMeta(notesKey) as readonly ReferenceNoteMark[] | undefined;
        if (marks) return { marks, decorations: decorate(tr.doc, ydoc, marks, onActivate) };
        if (!tr.docChanged) return previous;
        if (tr.getMeta(ySyncPluginKey)?.isChangeOrigin) return { marks: previous.marks, decorations: decorate(tr.doc, ydoc, previous.marks, onActivate) };
        return { marks: previous.marks, decorations: previous.decorations.map(tr.mapping, tr.doc) };
      },
    },
    props: { decorations: (state) => notesKey.getState(state)?.decorations },
  });
}

/** A transaction replacing the reference notes the text shows. */
export function setReferenceNotes(state: EditorState, marks: readonly ReferenceNoteMark[]): Transaction {
  return state.tr.setMeta(notesKey, marks);
}

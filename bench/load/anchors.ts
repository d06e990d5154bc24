import * as Y from "yjs";
import type { ItemId } from "./wire.js";

/** Where a writer types: after `origin`, before `right`. */
export interface Anchor {
  origin: ItemId;
  right: ItemId | null;
}

/** The anchor for typing at character `offset` (≥ 1) of `text`, as Yjs itself would pick it. */
function anchorAt(text: Y.XmlText, offset: number): Anchor | null {
  let pos = 0;
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (pos + item.length >= offset) {
      const within = offset - 1 - pos;
      const origin = { client: item.id.client, clock: item.id.clock + within };
      if (within < item.length - 1) return { origin, right: { client: item.id.client, clock: origin.clock + 1 } };
      return { origin, right: item.right ? { client: item.right.id.client, clock: item.right.id.clock } : null };
    }
    pos += item.length;
  }
  return null;
}

function hasMarks(text: Y.XmlText): boolean {
  for (let item = text._start; item !== null; item = item.right) if (item.content instanceof Y.ContentFormat) return true;
  return false;
}

/**
 * Places `count` writers in the document `state`: writer i types in paragraph i mod P, the
 * writers of one paragraph spread evenly along it, so that each appends after its own last
 * character and never needs anyone else's updates to stay valid.
 */
export function placeWriters(state: Uint8Array, count: number): { anchors: Anchor[]; taken: Set<number> } {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("prosemirror");
  Y.applyUpdate(doc, state);
  const texts: Y.XmlText[] = [];
  for (const block of fragment.toArray()) {
    if (!(block instanceof Y.XmlElement) || block.nodeName === "title") continue;
    const first = block.get(0);
    // Paragraphs with marks (brackets) are left alone: their rules belong to other benches.
    if (first instanceof Y.XmlText && first.length >= 2 && !hasMarks(first)) texts.push(first);
  }
  if (texts.length === 0) throw new Error("the document has no paragraph to type in");
  const anchors: Anchor[] = [];
  for (let i = 0; i < count; i++) {
    const text = texts[i % texts.length]!;
    const perText = Math.ceil((count - (i % texts.length)) / texts.length);
    const j = Math.floor(i / texts.length);
    const offset = 1 + Math.floor(((j + 0.5) * (text.length - 1)) / Math.max(1, perText));
    anchors.push(anchorAt(text, Math.min(offset, text.length))!);
  }
  const taken = new Set(Y.decodeStateVector(Y.encodeStateVector(doc)).keys());
  doc.destroy();
  return { anchors, taken };
}

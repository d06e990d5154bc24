import * as Y from "yjs";
import { bracketKey, isBracketValue, markNameOfKey, yFormatOf, type BracketRef, type Run } from "../../schema/index.js";

/**
 * Where brackets stand in the live Yjs text of one paragraph, and the writes the bracket
 * commands make there. Offsets here are *raw*: UTF-16 units of the text as stored, which
 * differ from the API's (NFC) offsets only when a client typed decomposed characters.
 */

/** One stretch of a bracket's mark inside one Y.XmlText, under its formatting key. */
export interface MarkPiece {
  text: Y.XmlText;
  index: number;
  length: number;
  key: string;
}

type DeltaOp = { insert: unknown; attributes?: Record<string, unknown> };

/** The block element with `id` among the fragment's children, or null. */
export function blockElement(fragment: Y.XmlFragment, id: string): Y.XmlElement | null {
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement && child.getAttribute("id") === id) return child;
  }
  return null;
}

function textChildren(element: Y.XmlElement): Y.XmlText[] {
  return element.toArray().filter((c): c is Y.XmlText => c instanceof Y.XmlText);
}

/** Every piece of the mark of bracket `bracketId` in a block, in text order. */
export function markPieces(element: Y.XmlElement, bracketId: string): MarkPiece[] {
  const pieces: MarkPiece[] = [];
  for (const text of textChildren(element)) {
    let index = 0;
    for (const op of text.toDelta() as DeltaOp[]) {
      const length = typeof op.insert === "string" ? op.insert.length : 1;
      for (const [key, value] of Object.entries(op.attributes ?? {})) {
        if (markNameOfKey(key) !== "bracket" || !isBracketValue(value) || value.id !== bracketId) continue;
        const last = pieces[pieces.length - 1];
        if (last && last.text === text && last.key === key && last.index + last.length === index) last.length += length;
        else pieces.push({ text, index, length, key });
      }
      index += length;
    }
  }
  return pieces;
}

/** The raw offset in `raw` that corresponds to `nfcOffset` in its NFC form. */
export function rawOffset(raw: string, nfcOffset: number): number {
  if (raw === raw.normalize("NFC")) return nfcOffset;
  for (let i = 0; i <= raw.length; i++) if (raw.slice(0, i).normalize("NFC").length >= nfcOffset) return i;
  return raw.length;
}

/** Applies `format` to the raw range [from, to) of a block, across its text children. */
function formatRange(element: Y.XmlElement, from: number, to: number, format: Record<string, unknown>): void {
  let start = 0;
  for (const text of textChildren(element)) {
    const end = start + text.length;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a < b) text.format(a - start, b - a, format);
    start = end;
  }
}

/** Deletes the raw range [from, to) of a block, across its text children. */
export function deleteRange(element: Y.XmlElement, from: number, to: number): void {
  const texts = textChildren(element);
  const starts: number[] = [];
  let start = 0;
  for (const text of texts) starts.push(start), (start += text.length);
  // From the last child back, so that the earlier children's offsets stay valid.
  for (let i = texts.length - 1; i >= 0; i--) {
    const a = Math.max(from, starts[i]!);
    const b = Math.min(to, starts[i]! + texts[i]!.length);
    if (a < b) texts[i]!.delete(a - starts[i]!, b - a);
  }
}

/** Puts the mark of `bracket` on the raw range [from, to), under y-prosemirror's key. */
export function markRange(element: Y.XmlElement, from: number, to: number, bracket: BracketRef): void {
  formatRange(element, from, to, { [bracketKey(bracket)]: { id: bracket.id, group: bracket.group } });
}

/** Drops a bracket's mark, keeping its text. */
export function unmark(pieces: readonly MarkPiece[]): void {
  for (const p of pieces) p.text.format(p.index, p.length, { [p.key]: null });
}

/** Rewrites a bracket's mark with new attributes (a lone bracket joining an option group). */
export function remark(pieces: readonly MarkPiece[], bracket: BracketRef): void {
  const key = bracketKey(bracket);
  for (const p of pieces) p.text.format(p.index, p.length, { [p.key]: null, [key]: { id: bracket.id, group: bracket.group } });
}

/** Deletes the text under the pieces (from the end, so earlier indexes stay valid). */
export function deletePieces(pieces: readonly MarkPiece[]): void {
  const byText = new Map<Y.XmlText, MarkPiece[]>();
  for (const p of pieces) byText.set(p.text, [...(byText.get(p.text) ?? []), p]);
  for (const [text, list] of byText) {
    for (const p of list.sort((a, b) => b.index - a.index)) text.delete(p.index, p.length);
  }
}

/**
 * Inserts `run` at the raw offset `at` of a block with exactly the run's marks (Yjs
 * negates whatever formatting is active at that point but not in the run).
 */
export function insertRunAt(element: Y.XmlElement, at: number, run: Run): void {
  const texts = textChildren(element);
  let start = 0;
  for (const [i, text] of texts.entries()) {
    if (at <= start + text.length || i === texts.length - 1) {
      text.insert(Math.min(at - start, text.length), run.text, yFormatOf(run));
      return;
    }
    start += text.length;
  }
  const text = new Y.XmlText();
  element.insert(0, [text]);
  text.insert(0, run.text, yFormatOf(run));
}

/** Removes the blocks with these ids from the text (whole paragraphs a resolution deletes). */
export function removeBlocks(fragment: Y.XmlFragment, ids: ReadonlySet<string>): void {
  if (ids.size === 0) return;
  const children = fragment.toArray();
  // From the last back, so that the earlier indexes stay valid.
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (child instanceof Y.XmlElement && ids.has(String(child.getAttribute("id")))) fragment.delete(i, 1);
  }
}

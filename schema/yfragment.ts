import * as Y from "yjs";
import { attributesOf, readAttributes, type Block, type Run } from "./blocks.js";
import { isBlockType } from "./schema.js";
import { isPlainMark, PLAIN_MARKS } from "./marks/index.js";
import { bracketKey, markNameOfKey } from "./ykeys.js";

/** The name of the Y.XmlFragment holding a document's text (y-prosemirror's default). */
export const FRAGMENT_NAME = "prosemirror";

/** The fragment of a Y.Doc that holds the document's text. */
export function textFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(FRAGMENT_NAME);
}

/** The runs of a Y.XmlText, marks decoded from y-prosemirror's formatting keys. */
function runsOfYText(text: Y.XmlText): Run[] {
  const runs: Run[] = [];
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== "string") continue;
    const run: Run = { text: op.insert };
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      const name = markNameOfKey(key);
      if (isPlainMark(name)) run[name] = true;
      else if (name === "bracket" && value && typeof value === "object") {
        const v = value as { id: string; group?: string | null };
        (run.brackets ??= []).push({ id: v.id, group: v.group ?? null });
      }
    }
    runs.push(run);
  }
  return runs;
}

/** Reads one block element. Unknown element names yield null (the validator refuses them). */
export function blockOfYElement(element: Y.XmlElement): Block | null {
  const type = element.nodeName;
  if (!isBlockType(type)) return null;
  const attrs = element.getAttributes() as Record<string, unknown>;
  const runs: Run[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) runs.push(...runsOfYText(child));
  }
  return { id: String(attrs.id ?? ""), type, ...readAttributes(type, attrs), runs };
}

/** Every block of a document's text, in order. */
function blocksOfFragment(fragment: Y.XmlFragment): Block[] {
  const blocks: Block[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) {
      const block = blockOfYElement(child);
      if (block) blocks.push(block);
    }
  }
  return blocks;
}

/** Every block of a Y.Doc's text, in order. */
export function blocksOfDoc(doc: Y.Doc): Block[] {
  return blocksOfFragment(textFragment(doc));
}

/** The attributes y-prosemirror would write for a block, in the spec's order (its descriptor's). */
function yAttributesOf(block: Block): Record<string, string | number> {
  return attributesOf(block);
}

/** The formatting attributes y-prosemirror would write for a run's marks. */
export function yFormatOf(run: Run): Record<string, unknown> {
  const format: Record<string, unknown> = {};
  for (const mark of PLAIN_MARKS) if (run[mark.name]) format[mark.name] = {};
  for (const b of run.brackets ?? []) format[bracketKey(b)] = { id: b.id, group: b.group };
  return format;
}

/**
 * Writes `runs` into an (integrated) Y.XmlText at `index`, each with exactly its marks.
 * Returns the length written.
 */
function insertRuns(text: Y.XmlText, index: number, runs: readonly Run[]): number {
  let at = index;
  for (const run of runs) {
    if (run.text.length === 0) continue;
    text.insert(at, run.text, yFormatOf(run));
    at += run.text.length;
  }
  return at - index;
}

/**
 * Inserts blocks into the fragment at `index`, as y-prosemirror would have written them.
 * Must run inside a transaction of an integrated document.
 */
export function insertBlocks(fragment: Y.XmlFragment, index: number, blocks: readonly Block[]): Y.XmlElement[] {
  const elements = blocks.map((block) => {
    const element = new Y.XmlElement(block.type);
    for (const [key, value] of Object.entries(yAttributesOf(block))) element.setAttribute(key, value as string);
    return element;
  });
  fragment.insert(index, elements);
  elements.forEach((element, i) => {
    const runs = blocks[i]!.runs.filter((r) => r.text.length > 0);
    if (runs.length === 0) return;
    const text = new Y.XmlText();
    element.insert(0, [text]);
    insertRuns(text, 0, runs);
  });
  return elements;
}

/** Index of the block with `id` among the fragment's children, or -1. */
export function indexOfBlock(fragment: Y.XmlFragment, id: string): number {
  let i = 0;
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement && child.getAttribute("id") === id) return i;
    i += 1;
  }
  return -1;
}

/**
 * Replaces the text of the block at `index` by `runs`, keeping the element (and so its
 * identity, and any concurrent attribute change). Must run inside a transaction.
 */
export function replaceBlockText(fragment: Y.XmlFragment, index: number, runs: readonly Run[]): void {
  const element = fragment.get(index);
  if (!(element instanceof Y.XmlElement)) throw new Error(`no block at index ${index}`);
  const children = element.toArray();
  let target = children.find((c): c is Y.XmlText => c instanceof Y.XmlText);
  // Keep the existing Y.XmlText where there is one, so that characters a client types into
  // it concurrently land next to the new wording instead of vanishing with a deleted type.
  for (let i = children.length - 1; i >= 0; i--) if (children[i] !== target) element.delete(i, 1);
  if (target) target.delete(0, target.length);
  else {
    target = new Y.XmlText();
    element.insert(0, [target]);
  }
  insertRuns(target, 0, runs);
}

import * as Y from "yjs";
import {
  attributeProblem,
  BLOCK_ATTRIBUTE_NAMES,
  isBlockType,
  isBracketValue,
  markDescriptor,
  MAX_BLOCK_TEXT,
  markNameOfKey,
  FRAGMENT_NAME,
  NODES,
} from "../../schema/index.js";
import type { Actor, BlockType, BracketRef } from "../../schema/index.js";
import { ParagraphReads } from "./paragraph-reads.js";

/** Extra checks a feature adds to text validation (e.g. brackets must have a record). */
export interface TextRules {
  /**
   * Why this bracket may not stand in block `blockId`, or null. `reads`, here and below:
   * what the rules read about the paragraphs being validated, read once for all of them.
   */
  bracketProblem?(documentId: string, blockId: string, bracket: BracketRef, reads?: ParagraphReads): string | null;
  /**
   * Why `actor` may not make the brackets of paragraph `blockId` that are not among
   * `present` disappear (deleting their text), or with `present` null remove the whole
   * paragraph (features protect agreed, bracketed and amended paragraphs), or null. `actor` is null when several people's typing is judged at once: a rule that
   * depends on who it is refuses, and each update is then judged on its own.
   */
  removalProblem?(documentId: string, actor: Actor | null, blockId: string, present: ReadonlySet<string> | null, reads?: ParagraphReads): string | null;
  /** Why the text or attributes of block `blockId` may not change at all now (e.g. it is agreed), or null. */
  editProblem?(documentId: string, blockId: string, reads?: ParagraphReads): string | null;
  /**
   * Why a client may not add, remove, reorder or re-kind blocks of this document (e.g. a
   * language version, whose structure follows its original), or null.
   */
  structureProblem?(documentId: string): string | null;
}

/** The block types that open a document (the title): exactly one, first. */
const FIRST_TYPES: ReadonlySet<string> = new Set(NODES.filter((n) => n.placement === "first").map((n) => n.name));

/**
 * The checks that need only the update itself: no root type but the text fragment, only
 * block elements and text, known marks, no foreign content. Cheap, and run before the
 * update touches any document, so most garbage is refused without any cleanup.
 */
export function staticProblem(update: Uint8Array): string | null {
  let decoded: DecodedUpdate;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return "the update cannot be decoded";
  }
  return staticProblemOf(decoded);
}

/** An update as `Y.decodeUpdate` returns it. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** `staticProblem` of an update the caller already decoded. */
export function staticProblemOf(decoded: DecodedUpdate): string | null {
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (typeof struct.parent === "string" && struct.parent !== FRAGMENT_NAME)
      return `unknown shared type "${struct.parent}"; text lives in "${FRAGMENT_NAME}"`;
    const content = struct.content;
    if (content instanceof Y.ContentString || content instanceof Y.ContentDeleted) {
      if (content instanceof Y.ContentString && struct.parentSub !== null) return "text stored as an attribute";
      continue;
    }
    if (content instanceof Y.ContentFormat) {
      const name = markNameOfKey(content.key);
      const mark = markDescriptor(name);
      if (!mark) return `unknown mark "${name}"`;
      if (content.value === null || mark.valid(content.value)) continue;
      return mark.nature === "plain" ? `mark "${name}" takes no attributes` : `malformed ${name} mark`;
    }
    if (content instanceof Y.ContentType) {
      const type = content.type;
      if (type instanceof Y.XmlElement) {
        if (!isBlockType(type.nodeName)) return `unknown node type "${type.nodeName}"`;
        continue;
      }
      if (type instanceof Y.XmlText) continue;
      return "only block elements and text may be inserted";
    }
    if (content instanceof Y.ContentAny) {
      // An overwritten attribute is encoded relative to its old value, without its key:
      // such values are checked in context (documentProblem) instead.
      if (struct.parentSub !== null && !BLOCK_ATTRIBUTE_NAMES.has(struct.parentSub)) return `attribute "${struct.parentSub}" is not allowed`;
      continue;
    }
    return "embedded objects are not allowed in the text";
  }
  return null;
}

/**
 * Whether applying `decoded` would change `doc`: some struct it carries is not in the
 * document yet, or some range it deletes is not deleted yet. Decided without applying it,
 * so that what a read-only client sends never touches the document.
 */
export function changesDocument(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      if (!structs || clock + len > Y.getState(doc.store, client)) return true;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
        if (!structs[i]!.deleted) return true;
      }
    }
  }
  return false;
}

/** What one accepted transaction changed, in the domain's terms. */
export interface TextChange {
  /** Ids of blocks whose text or attributes changed (new blocks included). */
  touched: Set<string>;
  /** Whether blocks were added, removed or reordered. */
  structural: boolean;
  /** Ids of blocks that existed before and whose attributes (kind, level, numbering) changed. */
  reattributed: Set<string>;
}

// Yjs' own typings are invariant in the event type; any type will do for these lookups.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

function parentElement(type: AnyType): Y.XmlElement | null {
  const parent = type.parent;
  return parent instanceof Y.XmlElement ? parent : null;
}

function isNew(type: AnyType, tr: Y.Transaction): boolean {
  const item = type._item;
  return item !== null && item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
}

/**
 * Why a block element is invalid, or null. Checks attributes, children and marks; the
 * rules read through `reads` (those of the whole change being validated, when it has more blocks).
 */
export function blockProblem(
  documentId: string,
  element: Y.XmlElement,
  rules: TextRules,
  actor: Actor | null = null,
  reads: ParagraphReads = new ParagraphReads(),
): string | null {
  const type = element.nodeName;
  if (!isBlockType(type)) return `unknown node type "${type}"`;
  const attrs = element.getAttributes() as Record<string, unknown>;
  const attrIssue = attributeProblem(type as BlockType, attrs);
  if (attrIssue) return attrIssue;
  const blockId = String(attrs.id);
  const locked = rules.editProblem?.(documentId, blockId, reads);
  if (locked) return locked;
  let length = 0;
  const present = new Set<string>();
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlText)) return `${type} may contain only text`;
    for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
      if (typeof op.insert !== "string") return "embedded objects are not allowed in the text";
      length += op.insert.length;
      for (const [key, value] of Object.entries(op.attributes ?? {})) {
        const name = markNameOfKey(key);
        const mark = markDescriptor(name);
        if (!mark) return `unknown mark "${name}"`;
        if (!mark.valid(value)) return mark.nature === "plain" ? `mark "${name}" takes no attributes` : `malformed ${name} mark`;
        if (name === "bracket" && isBracketValue(value)) {
          present.add(value.id);
          const problem = rules.bracketProblem?.(documentId, blockId, { id: value.id, group: value.group ?? null }, reads);
          if (problem) return problem;
        }
      }
    }
  }
  if (length > MAX_BLOCK_TEXT) return `a block may hold at most ${MAX_BLOCK_TEXT} characters`;
  return rules.removalProblem?.(documentId, actor, blockId, present, reads) ?? null;
}

/**
 * The checks that need the document: run on the document right after the update was
 * applied to it, looking only at what the transaction touched. The block sequence is
 * scanned (titles, duplicate ids) only when blocks were added, removed or renamed.
 */
export function documentProblem(
  documentId: string,
  fragment: Y.XmlFragment,
  tr: Y.Transaction,
  rules: TextRules,
  actor: Actor | null = null,
): { problem: string } | { change: TextChange } {
  const touched = new Set<string>();
  const reattributed = new Set<string>();
  const toCheck = new Set<Y.XmlElement>();
  let scanSequence = false;
  for (const [type, keys] of tr.changed) {
    if ((type as AnyType) === (fragment as AnyType)) {
      scanSequence = true;
      continue;
    }
    if (type instanceof Y.XmlText) {
      const el = parentElement(type);
      if (!el || el.parent !== fragment) return { problem: "text outside a block" };
      toCheck.add(el);
      continue;
    }
    if (type instanceof Y.XmlElement) {
      if (type.parent !== fragment) return { problem: "blocks may not be nested" };
      // A changed attribute (kind, level) of an existing block is a change of structure.
      if (!isNew(type, tr) && [...keys].some((k) => k !== null)) {
        const problem = rules.structureProblem?.(documentId);
        if (problem) return { problem };
        if (!type._item?.deleted) reattributed.add(String(type.getAttribute("id")));
      }
      if (keys.has("id")) {
        // Statuses, brackets, amendments and provenance hang on a paragraph's id: an id
        // changed under them would carry them onto other words.
        if (!isNew(type, tr)) return { problem: `a paragraph's id never changes; this update renames one to "${String(type.getAttribute("id"))}"` };
        scanSequence = true;
      }
      toCheck.add(type);
      continue;
    }
    return { problem: "changes outside the document text" };
  }
  if (scanSequence) {
    const problem = rules.structureProblem?.(documentId);
    if (problem) return { problem };
    const ids = new Set<string>();
    let index = 0;
    for (const child of fragment.toArray()) {
      if (!(child instanceof Y.XmlElement)) return { problem: "only blocks may stand at the top level" };
      if (FIRST_TYPES.has(child.nodeName) !== (index === 0))
        return { problem: index === 0 ? "a document starts with its title" : "a document has one title" };
      const id = child.getAttribute("id") as unknown;
      if (typeof id === "string") {
        if (ids.has(id)) return { problem: `duplicate paragraph id "${id}"` };
        ids.add(id);
      }
      if (isNew(child, tr)) toCheck.add(child);
      index += 1;
    }
    if (index === 0) return { problem: "a document must keep its title" };
  }
  const live = [...toCheck].filter((element) => !element._item?.deleted);
  // One read per kind for every block checked, not one per block: see ParagraphReads.
  const reads = ParagraphReads.of(
    documentId,
    live.map((element) => String(element.getAttribute("id"))),
  );
  for (const element of live) {
    const problem = blockProblem(documentId, element, rules, actor, reads);
    if (problem) return { problem };
    touched.add(String(element.getAttribute("id")));
  }
  return { change: { touched, structural: scanSequence, reattributed } };
}

import type { MarkSpec } from "prosemirror-model";

/**
 * Everything Accord knows about one mark type, in one place. The schema, the run type,
 * validation, the Yjs encoding and the canonical form are derived from the descriptors in
 * `schema/marks/index.ts` (see docs/model.md).
 *
 * A mark is of one of two natures:
 * - `plain`: formatting without attributes (italic, bold). A run carries it as a flag
 *   (`run.em`), y-prosemirror stores it under its own name with the value `{}`, and it
 *   does not enter the canonical form, so formatting never changes a hash.
 * - `structural`: it carries identity the negotiation depends on (a bracket). Its value is
 *   checked by `valid`, it is stored under a key of its own per occurrence, and it enters
 *   the canonical form (as bracket spans). Each structural mark has code of its own in
 *   `blocks.ts`, `canonical.ts` and `ykeys.ts`.
 */
export interface MarkDescriptor<Name extends string = string, Nature extends "plain" | "structural" = "plain" | "structural"> {
  /** Mark name: ProseMirror's mark name and the stem of y-prosemirror's formatting key. */
  name: Name;
  /** Plain formatting or structural identity (see above). */
  nature: Nature;
  /** The ProseMirror spec. */
  spec: MarkSpec;
  /** Whether a stored value (ProseMirror attrs, or a Yjs formatting value) is well formed. */
  valid(value: unknown): boolean;
  /** Editor: the keyboard shortcut that toggles it (plain marks), in prosemirror-keymap's notation. */
  shortcut?: string;
}

/** Declares a mark descriptor, keeping its name and nature as literal types. */
export function defineMark<const Name extends string, const Nature extends "plain" | "structural">(
  descriptor: MarkDescriptor<Name, Nature>,
): MarkDescriptor<Name, Nature> {
  return descriptor;
}

/** The value of a plain mark: an empty object. */
export function isPlainValue(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.keys(value).length === 0;
}

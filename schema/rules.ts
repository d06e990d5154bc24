import { isValidId } from "./ids.js";
import { MAX_PARAGRAPH_LEVEL } from "./nodes/paragraph.js";
import { MAX_HEADING_LEVEL } from "./nodes/heading.js";
import type { BlockType } from "./schema.js";

/**
 * The attribute rules of each block type, in the order the ProseMirror spec declares
 * them. Shared by the server's update validator and by the amendment content check, so
 * that "valid in the schema" means the same thing everywhere.
 */
export const BLOCK_ATTRIBUTES: Record<BlockType, Record<string, (value: unknown) => boolean>> = {
  title: { id: isValidId },
  chapeau: { id: isValidId },
  heading: { id: isValidId, level: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_HEADING_LEVEL },
  paragraph: {
    id: isValidId,
    kind: (v) => v === "pp" || v === "op",
    level: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_PARAGRAPH_LEVEL,
  },
};

/** Marks without attributes: their formatting value must be an empty object. */
export const PLAIN_MARKS = new Set(["em", "strong"]);

/** Longest text accepted in one block, a guard against pasted books. */
export const MAX_BLOCK_TEXT = 20_000;

/**
 * Why the attributes of a block of type `type` are invalid, or null when they are fine.
 * A missing attribute is invalid too: y-prosemirror writes every non-null attribute, and
 * every Accord block has all of them.
 */
export function attributeProblem(type: BlockType, attrs: Record<string, unknown>): string | null {
  const rules = BLOCK_ATTRIBUTES[type];
  for (const key of Object.keys(attrs)) {
    if (!(key in rules)) return `attribute "${key}" is not allowed on ${type}`;
  }
  for (const [key, ok] of Object.entries(rules)) {
    if (!(key in attrs)) return `${type} is missing attribute "${key}"`;
    if (!ok(attrs[key])) return `attribute "${key}" of ${type} has an invalid value`;
  }
  return null;
}

/** Whether a bracket mark's value (`{id, group}`) is well formed. */
export function isBracketValue(value: unknown): value is { id: string; group: string | null } {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (!keys.every((k) => k === "id" || k === "group")) return false;
  return isValidId(v.id) && (v.group === null || v.group === undefined || isValidId(v.group));
}

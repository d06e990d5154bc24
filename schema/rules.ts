import { nodeDescriptor, type BlockType } from "./nodes/index.js";

export { isBracketValue } from "./marks/bracket.js";

/** Longest text accepted in one block, a guard against pasted books. */
export const MAX_BLOCK_TEXT = 20_000;

/**
 * Why the attributes of a block of type `type` are invalid, or null when they are fine.
 * A missing attribute is invalid too: y-prosemirror writes every non-null attribute, and
 * every Accord block has all of them, except one marked `optional` (added after blocks
 * were stored without it; such a block reads as having its default). The rules are the descriptor's, shared by the
 * server's update validator and the amendment content check, so that "valid in the
 * schema" means the same thing everywhere.
 */
export function attributeProblem(type: BlockType, attrs: Record<string, unknown>): string | null {
  const rules = nodeDescriptor(type)!.attributes;
  for (const key of Object.keys(attrs)) {
    if (!(key in rules)) return `attribute "${key}" is not allowed on ${type}`;
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (!(key in attrs)) {
      if (rule.optional) continue;
      return `${type} is missing attribute "${key}"`;
    }
    if (!rule.valid(attrs[key])) return `attribute "${key}" of ${type} has an invalid value`;
  }
  return null;
}

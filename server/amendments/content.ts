import {
  blockText,
  blockToPMJSON,
  blocksFromPMJSON,
  MAX_BLOCK_TEXT,
  newId,
  type Block,
  type PMNodeJSON,
} from "../../schema/index.js";
import { badRequest } from "../http/errors.js";
import type { AmendmentContent, AmendmentOperation } from "../../schema/api/amendments.js";

// An amendment proposes wording for one paragraph's place, not a new chapter.
const MAX_PARAGRAPHS = 50;

// Placeholder id so that the schema's attribute rules (which require an id) can check the rest.
const PLACEHOLDER_ID = "new";

/**
 * Checks untrusted content against the schema for `operation` and returns it in stored
 * form; 400 with every problem otherwise. A deletion takes no content; every other
 * operation needs some. Brackets are refused: only the bracket commands open them.
 */
export function checkedContent(operation: AmendmentOperation, input: unknown): AmendmentContent | null {
  if (operation === "delete") {
    if (input !== undefined && input !== null) throw badRequest("a deletion proposes no content", ["content: must be absent for delete"]);
    return null;
  }
  if (input === undefined || input === null) throw badRequest("the amendment needs content", ["content: required for " + operation]);
  if (!Array.isArray(input)) {
    const text = typeof input === "object" ? (input as { text?: unknown }).text : undefined;
    const keys = typeof input === "object" ? Object.keys(input as object) : [];
    if (typeof text !== "string" || keys.some((k) => k !== "text"))
      throw badRequest("invalid content", ["content: must be {text} or an array of ProseMirror paragraphs"]);
    const normalized = text.normalize("NFC").trim();
    if (normalized.length === 0) throw badRequest("invalid content", ["content.text: must not be empty"]);
    if (normalized.length > MAX_BLOCK_TEXT) throw badRequest("invalid content", [`content.text: longer than ${MAX_BLOCK_TEXT} characters`]);
    return { text: normalized };
  }
  if (input.length > MAX_PARAGRAPHS)
    throw badRequest("invalid content", [`content: at most ${MAX_PARAGRAPHS} paragraphs in one amendment`]);
  const withIds = input.map((node: unknown) =>
    node && typeof node === "object" && !Array.isArray(node)
      ? { ...(node as PMNodeJSON), attrs: { ...((node as PMNodeJSON).attrs ?? {}), id: PLACEHOLDER_ID } }
      : node,
  );
  const result = blocksFromPMJSON(withIds, { allowBrackets: false });
  if (!result.ok) throw badRequest("the content is not valid in the schema", result.problems.map((p) => `content: ${p}`));
  const problems: string[] = [];
  result.blocks.forEach((b, i) => {
    if (b.type !== "paragraph") problems.push(`content: block ${i + 1} must be a paragraph, not ${b.type}`);
    if (blockText(b).trim().length === 0) problems.push(`content: block ${i + 1} has no text`);
  });
  if (problems.length) throw badRequest("the content is not valid in the schema", problems);
  return result.blocks.map((b) => {
    const json = blockToPMJSON(b);
    const { id: _id, ...attrs } = json.attrs ?? {};
    return { ...json, attrs };
  });
}

/**
 * The paragraphs `content` stands for, with fresh ids. Plain wording takes the kind and
 * level of `like` (the target), so that replacing OP2's wording keeps it an OP.
 */
export function contentBlocks(content: AmendmentContent, like: Pick<Block, "kind" | "level"> | null): Block[] {
  if (!Array.isArray(content)) {
    const kind = like?.kind === "pp" ? "pp" : "op";
    return [{ id: newId("p"), type: "paragraph", kind, level: like && (like.kind === "pp" || like.kind === "op") ? like.level : 0, runs: [{ text: content.text }] }];
  }
  const parsed = blocksFromPMJSON(content.map((node) => ({ ...node, attrs: { ...(node.attrs ?? {}), id: PLACEHOLDER_ID } })));
  if (!parsed.ok) throw new Error(`stored amendment content no longer valid: ${parsed.problems.join("; ")}`);
  return parsed.blocks.map((b) => ({ ...b, id: newId("p") }));
}

/** The proposed wording as plain text (paragraphs separated by a line break), for diffs. */
export function proposedText(content: AmendmentContent | null): string {
  if (content === null) return "";
  if (!Array.isArray(content)) return content.text;
  return content
    .map((node) => (node.content ?? []).map((t) => t.text ?? "").join(""))
    .join("\n")
    .normalize("NFC");
}

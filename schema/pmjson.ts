import { attributesOf, readAttributes, type Block, type Run } from "./blocks.js";
import { nodeDescriptor } from "./nodes/index.js";
import { isPlainMark, PLAIN_MARKS } from "./marks/index.js";
import { attributeProblem, isBracketValue, MAX_BLOCK_TEXT } from "./rules.js";

/** ProseMirror's JSON for a node, as far as this schema uses it. */
export interface PMNodeJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMNodeJSON[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

/** A block as ProseMirror JSON. */
export function blockToPMJSON(block: Block): PMNodeJSON {
  const attrs = attributesOf(block);
  const content = block.runs
    .filter((r) => r.text.length > 0)
    .map((run) => {
      const marks: NonNullable<PMNodeJSON["marks"]> = [];
      for (const mark of PLAIN_MARKS) if (run[mark.name]) marks.push({ type: mark.name });
      for (const b of run.brackets ?? []) marks.push({ type: "bracket", attrs: { id: b.id, group: b.group } });
      return { type: "text", text: run.text, ...(marks.length ? { marks } : {}) };
    });
  return { type: block.type, attrs, ...(content.length ? { content } : {}) };
}

/** A whole document as ProseMirror JSON. */
export function docToPMJSON(blocks: readonly Block[]): PMNodeJSON {
  return { type: "doc", content: blocks.map(blockToPMJSON) };
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Result of reading untrusted ProseMirror JSON blocks. */
export type BlocksResult = { ok: true; blocks: Block[] } | { ok: false; problems: string[] };

/**
 * Reads untrusted ProseMirror JSON blocks (e.g. an amendment's proposed paragraphs),
 * checking them against the schema: known block types and marks, valid attributes, text
 * only inside blocks. `allowBrackets` false refuses bracket marks, which only the server's
 * bracket commands may create.
 */
export function blocksFromPMJSON(nodes: unknown, options: { allowBrackets?: boolean } = {}): BlocksResult {
  const problems: string[] = [];
  if (!Array.isArray(nodes) || nodes.length === 0) return { ok: false, problems: ["content must be a non-empty array of blocks"] };
  const blocks: Block[] = [];
  nodes.forEach((node: unknown, i) => {
    const where = `block ${i + 1}`;
    if (!node || typeof node !== "object") return void problems.push(`${where} is not an object`);
    const n = node as PMNodeJSON;
    const descriptor = typeof n.type === "string" ? nodeDescriptor(n.type) : undefined;
    if (!descriptor || descriptor.placement !== "body")
      return void problems.push(`${where} has unknown or forbidden type ${JSON.stringify(n.type)}`);
    // Untrusted JSON: every level is checked for its shape before it is read.
    if (n.attrs !== undefined && !isPlainObject(n.attrs)) return void problems.push(`${where}: attrs must be an object`);
    if (n.content !== undefined && !Array.isArray(n.content)) return void problems.push(`${where}: content must be an array of text nodes`);
    const attrs = { ...(n.attrs ?? {}) };
    const attrProblem = attributeProblem(descriptor.name, attrs);
    if (attrProblem) return void problems.push(`${where}: ${attrProblem}`);
    const runs: Run[] = [];
    let length = 0;
    for (const child of (n.content ?? []) as unknown[]) {
      if (!isPlainObject(child) || child.type !== "text" || typeof child.text !== "string" || child.text.length === 0) {
        problems.push(`${where} may contain only non-empty text nodes`);
        break;
      }
      if (child.marks !== undefined && !Array.isArray(child.marks)) {
        problems.push(`${where}: a text node's marks must be an array`);
        break;
      }
      const run: Run = { text: child.text };
      for (const mark of (child.marks ?? []) as unknown[]) {
        if (!isPlainObject(mark) || typeof mark.type !== "string") {
          problems.push(`${where} has a mark that is not an object with a type`);
          continue;
        }
        if (isPlainMark(mark.type)) run[mark.type] = true;
        else if (mark.type === "bracket" && options.allowBrackets && isBracketValue(mark.attrs)) {
          (run.brackets ??= []).push({ id: mark.attrs.id, group: mark.attrs.group ?? null });
        } else problems.push(`${where} has a forbidden mark ${JSON.stringify(mark.type)}`);
      }
      length += child.text.length;
      runs.push(run);
    }
    if (length > MAX_BLOCK_TEXT) problems.push(`${where} is longer than ${MAX_BLOCK_TEXT} characters`);
    blocks.push({ id: String(attrs.id), type: descriptor.name, ...readAttributes(descriptor.name, attrs), runs });
  });
  return problems.length ? { ok: false, problems } : { ok: true, blocks };
}

import type { Config } from "../config.js";

/**
 * The limits on a document (ACCORD_MAX_DOCUMENT_BYTES, ACCORD_MAX_BLOCKS), as sentences:
 * one update or command that would take a document past them is refused, whatever its
 * author's rights, so that no document grows too large to open, read or sign in time.
 */

/** The sentence for an update of `bytes` that would take a document past `max` bytes. */
export function documentSizeProblem(max: number, bytes: number): string {
  return `a document may hold at most ${formatBytes(max)} (its text with its history); this change of ${formatBytes(bytes)} would go past it`;
}

/** The sentence for a document that would hold more than `max` blocks. */
export function blockLimitProblem(max: number): string {
  return `a document may hold at most ${max} paragraphs`;
}

/** Why a document of `bytes` bytes and `blocks` blocks is past the limits, or null. */
export function documentLimitProblem(config: Pick<Config, "maxDocumentBytes" | "maxBlocks">, bytes: number, blocks: number): string | null {
  if (blocks > config.maxBlocks) return blockLimitProblem(config.maxBlocks);
  if (bytes > config.maxDocumentBytes) return documentSizeProblem(config.maxDocumentBytes, bytes);
  return null;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

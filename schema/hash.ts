import * as sha256 from "lib0/hash/sha256";

/**
 * JSON with object keys sorted at every level and no white space, so that equal values
 * always serialise to equal bytes. `undefined` members are dropped, as JSON.stringify does.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : stableStringify(v))).join(",")}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(",")}}`;
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of `text`. Synchronous in Node and browsers. */
export function sha256Hex(text: string): string {
  const digest = sha256.digest(new TextEncoder().encode(text));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

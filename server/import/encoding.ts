import { HttpError } from "../http/errors.js";

// What TextDecoder calls the charsets a secretariat's plain text may come in; anything
// else named in Content-Type is refused by name rather than guessed.
const KNOWN: Record<string, string> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "us-ascii": "utf-8",
  ascii: "utf-8",
  "utf-16": "utf-16le",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  "iso-8859-1": "windows-1252",
  latin1: "windows-1252",
  "latin-1": "windows-1252",
  "windows-1252": "windows-1252",
  cp1252: "windows-1252",
};

/** 415: the text's encoding is not one Accord reads. */
const unknownEncoding = (message: string) => new HttpError(415, message);

/**
 * Decodes a plain-text file: a byte-order mark decides (UTF-8, UTF-16 LE/BE); otherwise
 * the charset named in Content-Type; otherwise UTF-8 if the bytes are valid UTF-8, else
 * Windows-1252 (which covers Latin-1), the usual encoding of an older Word "Save as text".
 * Returns the text and the encoding used; refuses a named charset it does not know, and
 * bytes that look like UTF-16 without a mark, with 415 naming the problem.
 */
export function decodeText(bytes: Uint8Array, charset: string | null): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: strict("utf-8", bytes.subarray(3)), encoding: "utf-8" };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: strict("utf-16le", bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: strict("utf-16be", bytes.subarray(2)), encoding: "utf-16be" };
  if (charset) {
    const name = KNOWN[charset.trim().toLowerCase()];
    if (!name)
      throw unknownEncoding(
        `the text is declared as "${charset}", an encoding Accord does not read; save it as UTF-8 (or UTF-16, Windows-1252, Latin-1)`,
      );
    return { text: strict(name, bytes), encoding: name };
  }
  if (looksLikeUtf16(bytes))
    throw unknownEncoding("the text looks like UTF-16 without a byte-order mark; save it as UTF-8, or as UTF-16 with a byte-order mark");
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252" };
  }
}

function strict(encoding: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw unknownEncoding(`the text is not valid ${encoding.toUpperCase()}, although it says it is`);
  }
}

// Text in a Latin script saved as UTF-16 has a zero byte in every other position.
function looksLikeUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  if (n < 4) return false;
  let zeros = 0;
  for (let i = 0; i < n; i++) if (bytes[i] === 0) zeros++;
  return zeros > n / 4;
}

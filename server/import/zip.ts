import { inflateRawSync } from "node:zlib";
import JSZip from "jszip";
import { HttpError } from "../http/errors.js";

/** Most a DOCX may expand to: a several-hundred-paragraph negotiating text is a few MB of XML. */
const MAX_UNCOMPRESSED = 64 * 1024 * 1024;
/** Most entries a DOCX may hold. */
const MAX_ENTRIES = 5000;

interface CompressedEntry {
  compressedSize: number;
  uncompressedSize: number;
  compression: { magic: string } | null;
  compressedContent: Uint8Array;
}

/**
 * Opens a DOCX as a ZIP archive and proves it safe to read before anything inflates it:
 * the sizes its directory declares, then each entry actually inflated with a ceiling (a
 * directory can lie). Refuses a file that is no ZIP (415) or that would expand beyond
 * MAX_UNCOMPRESSED (413, the zip bomb), naming the problem.
 */
export async function openDocxZip(bytes: Uint8Array): Promise<JSZip> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch {
    throw new HttpError(415, "the file is not a DOCX: it is not a ZIP archive (a .doc from Word 97–2003 must be saved as .docx first)");
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > MAX_ENTRIES) throw new HttpError(413, `the DOCX holds ${entries.length} parts; at most ${MAX_ENTRIES} are read`);
  let declared = 0;
  for (const entry of entries) declared += (entry as unknown as { _data: CompressedEntry })._data.uncompressedSize;
  if (declared > MAX_UNCOMPRESSED)
    throw new HttpError(413, `the DOCX would expand to ${Math.round(declared / 1048576)} MB; at most ${MAX_UNCOMPRESSED / 1048576} MB are read`);
  let actual = 0;
  for (const entry of entries) {
    const data = (entry as unknown as { _data: CompressedEntry })._data;
    if (!data.compression || data.compression.magic === "\x00\x00") actual += data.compressedSize;
    else {
      try {
        actual += inflateRawSync(data.compressedContent, { maxOutputLength: MAX_UNCOMPRESSED - actual + 1 }).length;
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
          throw new HttpError(413, `the DOCX expands to more than ${MAX_UNCOMPRESSED / 1048576} MB (its part ${entry.name} alone); it is refused`);
        throw new HttpError(415, `the DOCX is damaged: its part ${entry.name} cannot be read`);
      }
    }
    if (actual > MAX_UNCOMPRESSED)
      throw new HttpError(413, `the DOCX expands to more than ${MAX_UNCOMPRESSED / 1048576} MB; it is refused`);
  }
  if (!zip.file("word/document.xml")) throw new HttpError(415, "the file is a ZIP archive but not a DOCX: it has no word/document.xml");
  return zip;
}

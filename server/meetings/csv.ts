/**
 * A small RFC 4180 reader for member lists exported from spreadsheets: a UTF-8 byte order
 * mark is skipped, CRLF, LF and CR line ends are all accepted, fields may be quoted (with
 * "" for a quote and line breaks inside), blank lines are skipped. Each record carries the
 * line it starts on, so an error can name it.
 */

/** One record of a CSV file and the line (1-based) it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** The records of a CSV text, or the line where a quoted field never closes. */
export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; error: string };

/** Reads every record of `text`. */
export function parseCsv(text: string): CsvResult {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let start = 1;
  let quoted = false;
  let sawAny = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== "") records.push({ line: start, fields });
    fields = [];
    field = "";
    sawAny = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n" || (c === "\r" && src[i + 1] !== "\n")) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
      sawAny = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      sawAny = true;
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else {
      field += c;
      sawAny = true;
    }
  }
  if (quoted) return { ok: false, line: start, error: "a quoted field is never closed" };
  if (sawAny || field !== "" || fields.length > 0) endRecord();
  return { ok: true, records };
}

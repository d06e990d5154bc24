import type { MastheadField } from "../../schema/api/imports.js";

const MONTHS =
  "january|february|march|april|may|june|july|august|september|october|november|december|" +
  "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre";
const DATE = new RegExp(`^(?:\\d{1,2}\\s+(?:de\\s+)?(?:${MONTHS})(?:\\s+de)?,?\\s+\\d{4}|(?:${MONTHS})\\s+\\d{1,2},?\\s+\\d{4})$`, "i");
const SERIES = /^(?:OEA|OAS)\/Ser\.[A-Z](?:\/[\w.-]+)*$/i;
const SYMBOL = /^[A-Z][A-Za-z0-9.-]*\/[A-Za-z0-9.\-/ ()]*$/;
const ORIGINAL = /^(?:original|orig\.)\s*:?\s*(\S.*)$/i;
const DISTRIBUTION = /^distr(?:\.|ibution)?\s*:?\s*(\S.*)$/i;
const AGENDA = /^(?:agenda item|item of the agenda|tema(?: del programa)?)\s*:?\s*(\S.*)$/i;
const SPONSORS = /^\(?(?:sponsors?|submitted by|presented by|presentado por|patrocinadores?)\s*:?\s*(\S.*?)\)?$/i;

/**
 * Which masthead field a line is, and its value, or null when the line is no field: the
 * series and document symbols (`OEA/Ser.K/XXXIX.2`, `RTP-II/doc.5/09 rev. 9`), the date,
 * "Original: Spanish", "Distr.: General", "Agenda item 5", "Sponsors: …".
 */
export function mastheadField(line: string): [MastheadField, string] | null {
  const text = line.trim();
  if (text.length > 120) return null;
  let m: RegExpExecArray | null;
  if (SERIES.test(text)) return ["series", text];
  if (SYMBOL.test(text) && text.length <= 60 && !/\s{2}/.test(text)) return ["symbol", text];
  if (DATE.test(text)) return ["date", text];
  if ((m = ORIGINAL.exec(text))) return ["originalLanguage", m[1]!];
  if ((m = DISTRIBUTION.exec(text))) return ["distribution", m[1]!];
  if ((m = AGENDA.exec(text))) return ["agendaItem", m[1]!];
  if ((m = SPONSORS.exec(text))) return ["sponsors", m[1]!];
  return null;
}

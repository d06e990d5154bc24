// Characters XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab, line
// feed and carriage return, lone surrogates, U+FFFE and U+FFFF. The editor refuses them
// already; a text stored before that rule, or a version, must still give a well-formed file.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text with the characters XML cannot carry dropped: what every XML-based export (AKN, DOCX) is given. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, "");
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Text for XML element content and double-quoted attribute values: escaped, and only characters XML can carry. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/[&<>"]/g, (c) => ENTITIES[c]!);
}

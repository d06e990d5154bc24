import { bracketNote, facilitatorNotes, noteLetter, paragraphPieces, printedDate, printedNumber, printedTime, STATE_LABELS, statusNote } from "./pieces.js";
import type { ExportClosing, ExportFootnote, ExportModel, ExportParagraph } from "./types.js";

/**
 * What one page has handed out so far: every `id` attribute (each once: a reservation's
 * marker may stand after its paragraph and again beside its signature, and the second
 * gets an id of its own) and the reference notes met in the text, in order.
 */
class Page {
  private readonly ids = new Set<string>();
  readonly notes: string[] = [];

  /** `base`, or `base-2`, `base-3`… when the page already has it. */
  id(base: string): string {
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`;
    this.ids.add(id);
    return id;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Escapes text for HTML element content and quoted attribute values. Every string that
 * comes from the document or the store goes through it: delegates type the text, and the
 * export is served from Accord's own origin.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #e9e9e4; color: #111; font-family: "Times New Roman", Times, "Liberation Serif", serif; font-size: 12pt; line-height: 1.35; }
.sheet { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 12mm auto; padding: 20mm 22mm 22mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
.masthead { display: flex; justify-content: space-between; align-items: flex-start; gap: 2em; border-bottom: 1px solid #111; padding-bottom: .6em; margin-bottom: 1.6em; }
.masthead .meeting { font-variant: small-caps; max-width: 60%; }
.masthead .symbols { text-align: right; white-space: nowrap; }
.masthead .symbol { font-weight: bold; }
.state { text-align: right; font-style: italic; margin: -1em 0 1.2em; font-size: 10.5pt; }
h1.title { text-align: center; font-size: 13pt; font-weight: bold; text-transform: uppercase; margin: 0 0 1.4em; }
h2.heading, h3.heading, h4.heading { font-size: 12pt; font-weight: bold; margin: 1.4em 0 .7em; }
h3.heading { font-style: italic; } h4.heading { font-weight: normal; font-style: italic; }
p { margin: 0 0 .8em; text-align: justify; hyphens: auto; }
p.chapeau { text-indent: 2.5em; }
p.pp { text-indent: 2.5em; }
p.pp.level-1 { margin-left: 2.5em; text-indent: 0; }
p.pp.level-2 { margin-left: 5em; text-indent: 0; }
p.op { padding-left: 2.5em; text-indent: -2.5em; }
p.op.level-1 { padding-left: 5em; text-indent: -2.5em; }
p.op.level-2 { padding-left: 7.5em; text-indent: -2.5em; }
p.op .num { display: inline-block; width: 2.5em; text-indent: 0; }
.bracket .sq { font-weight: bold; }
sup.holders { font-size: 7pt; font-family: Arial, Helvetica, sans-serif; color: #333; letter-spacing: .02em; }
sup.fnref { font-size: 8pt; line-height: 0; }
sup.fnref a { color: inherit; text-decoration: none; }
sup.noteref { font-size: 8pt; line-height: 0; font-style: italic; }
sup.noteref a { color: inherit; text-decoration: none; }
.footnotes ol.notes { margin-bottom: .6em; }
.closing { margin-top: 2.2em; border-top: 1px solid #111; padding-top: .8em; page-break-inside: avoid; }
.closing h2 { font-size: 12pt; margin: 0 0 .6em; }
.closing table { border-collapse: collapse; width: 100%; font-size: 10pt; }
.closing th, .closing td { text-align: left; border-bottom: 1px solid #bbb; padding: .2em .4em; vertical-align: top; }
.closing .invalid { color: #a00; font-weight: bold; }
.hash { font-family: "Courier New", Courier, monospace; font-size: 8.5pt; word-break: break-all; }
.footnotes { margin-top: 2em; font-size: 10pt; }
.footnotes hr { width: 35%; margin: 0 0 .6em; border: 0; border-top: 1px solid #111; }
.footnotes ol { margin: 0; padding-left: 2em; }
.footnotes li { margin-bottom: .4em; text-align: justify; }
.colophon { margin-top: 2.5em; font-size: 8.5pt; color: #444; }
@page { size: A4; margin: 20mm 22mm 22mm; }
@media print {
  body { background: #fff; font-size: 12pt; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  a { color: inherit; text-decoration: none; }
  h1, h2, h3, h4 { page-break-after: avoid; }
  p { orphans: 3; widows: 3; }
}
`;

/** The inline HTML of a paragraph's text: formatting kept, open brackets drawn with their label and holders, reference notes' markers where they stand. */
function paragraphHtml(paragraph: ExportParagraph, page: Page): string {
  let html = "";
  for (const piece of paragraphPieces(paragraph)) {
    // A bracket around several paragraphs has its "[" in one and its "]" in another: no wrapper.
    const wrapped = (piece.type === "open" || piece.type === "close") && piece.bracket.opens && piece.bracket.closes;
    if (piece.type === "note") {
      page.notes.push(piece.note.text);
      const letter = noteLetter(page.notes.length);
      html += `<sup class="noteref"><a href="#note-${letter}" id="${page.id(`noteref-${letter}`)}">${letter}</a></sup>`;
    } else if (piece.type === "open") html += `${wrapped ? `<span class="bracket">` : ""}<span class="sq">[</span>`;
    else if (piece.type === "close") {
      const note = bracketNote(piece.bracket);
      html += `<span class="sq">]</span>${note ? `<sup class="holders">${escapeHtml(note)}</sup>` : ""}${wrapped ? "</span>" : ""}`;
    } else {
      let text = escapeHtml(piece.text);
      if (piece.strong) text = `<strong>${text}</strong>`;
      if (piece.em) text = `<em>${text}</em>`;
      html += text;
    }
  }
  return html;
}

function footnoteRefs(numbers: readonly number[], page: Page): string {
  return numbers.map((n) => `<sup class="fnref"><a href="#fn${n}" id="${page.id(`fnref${n}`)}">${n}</a></sup>`).join("");
}

function blockHtml(paragraph: ExportParagraph, extraFootnotes: readonly number[], page: Page): string {
  const block = blockElementHtml(paragraph, extraFootnotes, page);
  // Facilitator's notes follow the paragraph, in braces and italics, as negotiating texts print them.
  const notes = facilitatorNotes(paragraph).map((n) => `<p class="facilitator-note"><em>${escapeHtml(n)}</em></p>`);
  return [block, ...notes].join("\n");
}

function blockElementHtml(paragraph: ExportParagraph, extraFootnotes: readonly number[], page: Page): string {
  const status = statusNote(paragraph);
  const text =
    paragraphHtml(paragraph, page) + footnoteRefs([...extraFootnotes, ...paragraph.footnotes], page) + (status ? ` <em class="status">${escapeHtml(status)}</em>` : "");
  const level = Math.max(0, Math.min(3, paragraph.level));
  const id = page.id(`p-${escapeHtml(paragraph.id)}`);
  switch (paragraph.kind) {
    case "title":
      return `<h1 class="title" id="${id}">${text}</h1>`;
    case "heading": {
      const tag = `h${Math.min(4, Math.max(1, level) + 1)}`;
      return `<${tag} class="heading" id="${id}">${text}</${tag}>`;
    }
    case "chapeau":
      return `<p class="chapeau" id="${id}">${text}</p>`;
    case "pp":
      return `<p class="pp level-${level}" id="${id}">${text}</p>`;
    case "op": {
      const num = paragraph.number ? `<span class="num">${escapeHtml(printedNumber(paragraph.number))}</span>` : "";
      return `<p class="op level-${level}" id="${id}">${num}${text}</p>`;
    }
    default:
      // A kind this renderer has no case for yet prints as a plain paragraph.
      return `<p class="${escapeHtml(paragraph.kind)}" id="${id}">${text}</p>`;
  }
}

function noteHtml(note: string, letter: string, page: Page): string {
  return `<li id="${page.id(`note-${letter}`)}">${escapeHtml(note)} <a href="#noteref-${letter}" aria-label="back to the text">↩</a></li>`;
}

function footnoteHtml(footnote: ExportFootnote): string {
  const who = footnote.delegationName ? `${footnote.delegationName} (${footnote.delegation})` : footnote.delegation;
  const where =
    footnote.on === "paragraph" ? ` on ${footnote.ref ?? "a paragraph"}` : footnote.on === "document" ? " on the document as a whole" : " on a paragraph not in this text";
  const how = footnote.withSignature ? ", made on signature" : "";
  return (
    `<li id="fn${footnote.number}" value="${footnote.number}"><strong>${escapeHtml(who)}</strong>` +
    `<span class="fn-where">${escapeHtml(`, reservation${where}${how}: `)}</span>${escapeHtml(footnote.text)} ` +
    `<a href="#fnref${footnote.number}" aria-label="back to the text">↩</a></li>`
  );
}

function closingHtml(closing: ExportClosing, page: Page): string {
  const rows = closing.signatures
    .map((s) => {
      const who = s.delegationName ? `${s.delegationName} (${s.delegation})` : s.delegation;
      const validity = s.valid ? "valid" : `not valid${s.problem ? `: ${s.problem}` : ""}`;
      return (
        `<tr><td>${escapeHtml(who)}</td><td>${escapeHtml(s.minister ?? "—")}</td>` +
        `<td>${escapeHtml(s.signedAt ? printedTime(s.signedAt) : "—")}</td>` +
        `<td${s.valid ? "" : ' class="invalid"'}>${escapeHtml(validity)}${s.footnote ? footnoteRefs([s.footnote], page) : ""}</td></tr>`
      );
    })
    .join("\n");
  const table = closing.signatures.length
    ? `<table><thead><tr><th>Delegation</th><th>Signed by</th><th>Time</th><th>Signature</th></tr></thead><tbody>\n${rows}\n</tbody></table>`
    : `<p>No signature yet.</p>`;
  const missing = closing.missing.length ? `<p>Not yet signed: ${escapeHtml(closing.missing.join(", "))}.</p>` : "";
  return (
    `<section class="closing"><h2>Adoption and signatures</h2>` +
    `<p>Adopted as ${escapeHtml(closing.adoptedSymbol)} on ${escapeHtml(printedTime(closing.adoptedAt))}. ` +
    `Adopted text hash (SHA-256): <span class="hash">${escapeHtml(closing.adoptedHash)}</span></p>\n` +
    (closing.matchesText ? "" : `<p class="invalid">This text is not the adopted text: its hash differs from the adopted hash.</p>\n`) +
    `${table}\n${missing}</section>`
  );
}

/**
 * Renders a document as one self-contained, printable HTML page (A4, inline CSS, no
 * script, no external resource): masthead with the series and document symbols, the
 * text with operative numbers and open brackets, reservations as footnotes, and for an
 * adopted text the adoption and signatures. Everything from the model is escaped.
 */
export function renderHtml(model: ExportModel): string {
  const { meta } = model;
  const hasTitleBlock = model.paragraphs.some((p) => p.kind === "title");
  let titlePending = model.titleFootnotes;
  const page = new Page();
  // The notes' own ids first: every later id is made unique against them.
  for (const f of model.footnotes) page.id(`fn${f.number}`);
  const body: string[] = [];
  if (!hasTitleBlock) {
    body.push(`<h1 class="title">${escapeHtml(meta.title)}${footnoteRefs(titlePending, page)}</h1>`);
    titlePending = [];
  }
  for (const paragraph of model.paragraphs) {
    // Reservations on the whole document hang on the (first) title.
    const extra = paragraph.kind === "title" ? titlePending : [];
    if (paragraph.kind === "title") titlePending = [];
    body.push(blockHtml(paragraph, extra, page));
  }
  const closing = model.closing ? closingHtml(model.closing, page) : "";
  const state = meta.versionLabel ? `${STATE_LABELS[meta.state]} — version “${meta.versionLabel}”` : STATE_LABELS[meta.state];
  // The secretariat's reference notes (lettered, where they stand in the text), then the reservations (numbered).
  const notes = page.notes.length
    ? `<ol class="notes" type="a">\n${page.notes.map((note, i) => noteHtml(note, noteLetter(i + 1), page)).join("\n")}\n</ol>\n`
    : "";
  const footnotes =
    model.footnotes.length || page.notes.length
      ? `<section class="footnotes"><hr>${notes}${model.footnotes.length ? `<ol>\n${model.footnotes.map(footnoteHtml).join("\n")}\n</ol>` : ""}</section>`
      : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Accord">
<title>${escapeHtml(meta.symbol)} — ${escapeHtml(meta.title)}</title>
<style>${CSS}</style>
</head>
<body>
<article class="sheet">
<header class="masthead">
<div class="meeting">${escapeHtml(meta.meetingTitle)}</div>
<div class="symbols"><div class="series">${escapeHtml(meta.seriesSymbol)}</div><div class="symbol">${escapeHtml(meta.symbol)}</div><div class="date">${escapeHtml(printedDate(meta.textDate))}</div></div>
</header>
<div class="state">${escapeHtml(state)}</div>
${body.join("\n")}
${closing}
${footnotes}
<footer class="colophon">Exported from Accord on ${escapeHtml(printedTime(meta.generatedAt))}. Text hash (SHA-256): <span class="hash">${escapeHtml(meta.hash)}</span></footer>
</article>
</body>
</html>
`;
}

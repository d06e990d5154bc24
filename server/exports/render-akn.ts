import { bracketNote, facilitatorNotes, paragraphPieces, printedNumber, STATE_LABELS, statusNote, symbolSlug } from "./pieces.js";
import { xmlText } from "./xml.js";
import type { ExportClosing, ExportModel, ExportParagraph } from "./types.js";

/** The Akoma Ntoso 3.0 namespace. */
const AKN_NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";
// Accord's own metadata (signatures) in `<proprietary>`, which takes any other namespace.
const ACCORD_NAMESPACE = "urn:accord:export:1";

// ISO 639-2 codes, which the AKN naming convention uses in FRBRlanguage and expression URIs.
const ISO_639_2: Record<string, string> = { en: "eng", es: "spa", fr: "fra", pt: "por", ar: "ara", zh: "zho", ru: "rus", de: "deu", it: "ita", nl: "nld" };
const language3 = (code: string) => ISO_639_2[code.toLowerCase().split("-")[0]!] ?? (code.toLowerCase().replace(/[^a-z]/g, "").slice(0, 3) || "und");

const eIdPart = (text: string) => text.replace(/[^A-Za-z0-9]+/g, "").toLowerCase() || "x";
const dateOf = (iso: string) => (/^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? "1970-01-01");
const attr = (name: string, value: string) => ` ${name}="${xmlText(value)}"`;

/** One node of the operative tree: an operative paragraph and the sub-paragraphs under it. */
interface OpNode {
  paragraph: ExportParagraph;
  children: OpNode[];
}

/** What a block renders into inside `<p>`, shared by every block kind. */
function inlineXml(paragraph: ExportParagraph, delegations: Set<string>): string {
  let xml = "";
  let noteNumber = 0;
  for (const piece of paragraphPieces(paragraph)) {
    if (piece.type === "note") {
      // The secretariat's reference footnote, where it stands in the text.
      noteNumber += 1;
      const note = piece.note;
      xml += `<authorialNote${attr("eId", `authnote_${eIdPart(paragraph.id)}_${noteNumber}`)}${attr("marker", note.marker ?? String(noteNumber))}${attr("placement", "bottom")}><p>${xmlText(note.text)}</p></authorialNote>`;
    } else if (piece.type === "open") {
      const b = piece.bracket;
      for (const h of b.holders) delegations.add(h);
      if (b.proposedBy) delegations.add(b.proposedBy);
      const holders = b.holders.map((h) => `#${eIdPart(h)}`).join(" ");
      xml +=
        `<inline name="bracket"${attr("eId", `brk_${eIdPart(b.label ?? b.id)}_${eIdPart(paragraph.id)}`)}` +
        `${holders ? attr("refersTo", holders) : ""}${attr("title", bracketNote(b) || "bracket")}` +
        `${b.option ? attr("class", `option option-${b.option.index}-of-${b.option.of}`) : ""}>[`;
    } else if (piece.type === "close") xml += "]</inline>";
    else {
      let text = xmlText(piece.text);
      if (piece.strong) text = `<b>${text}</b>`;
      if (piece.em) text = `<i>${text}</i>`;
      xml += text;
    }
  }
  for (const n of paragraph.footnotes) xml += `<noteRef${attr("href", `#note_${n}`)}${attr("marker", String(n))}/>`;
  if (statusNote(paragraph)) xml += ` <inline name="status"${attr("refersTo", "#agreedAdRef")}>[Agreed ad ref]</inline>`;
  // Facilitator's notes are not text: an editorial `<remark>` after the text, in braces as
  // the other exports print them, named by class and concept so a consumer can leave them out.
  for (const note of facilitatorNotes(paragraph)) xml += ` <remark${attr("class", "facilitatorNote")}${attr("refersTo", "#facilitatorNote")}>${xmlText(note)}</remark>`;
  return xml;
}

/**
 * Renders a document as an Akoma Ntoso 3.0 `statement`: FRBR Work (the document, by its
 * base symbol), Expression (its language at the text's date) and Manifestation (this XML);
 * the title and symbol in the preface; preambular paragraphs as recitals; operative
 * paragraphs as nested `paragraph`/`subparagraph` with their numbers, eIds built from the
 * numbers (or the stable paragraph id where there is none or it repeats); open brackets as
 * `<inline name="bracket">` naming their holders; "[Agreed ad ref]" and facilitator's notes
 * after the paragraph's text; reservations as notes referenced where
 * they apply; the stored versions as the lifecycle; adoption and signatures in the
 * conclusions and, machine-readable, in `<proprietary>`.
 */
export function renderAkn(model: ExportModel): string {
  const { meta } = model;
  const delegations = new Set<string>();
  const lang = language3(meta.language);
  const work = `/akn/${eIdPart(meta.seriesSymbol.split("/")[0] ?? "int") || "int"}/statement/${eIdPart(meta.kind)}/${dateOf(model.lifecycle[0]?.at ?? meta.textDate)}/${symbolSlug(baseSymbolOf(meta.symbol))}`;
  const expression = `${work}/${lang}@${dateOf(meta.textDate)}`;
  const manifestation = `${expression}/!main.xml`;

  const used = new Set<string>();
  // An eId from the printed number, or the stable id when the number is absent or repeats (per-section restarts).
  const eIdFor = (prefix: string, p: ExportParagraph) => {
    let id = p.number ? `${prefix}_${eIdPart(p.number)}` : `${prefix}_${eIdPart(p.id)}`;
    if (used.has(id)) id = `${id}_${eIdPart(p.id)}`;
    used.add(id);
    return id;
  };

  const titles = model.paragraphs.filter((p) => p.kind === "title");
  const body = model.paragraphs.filter((p) => p.kind !== "title");
  const firstOp = body.findIndex((p) => p.kind === "op");
  const preambleBlocks = firstOp < 0 ? [] : body.slice(0, firstOp);
  const mainBlocks = firstOp < 0 ? body : body.slice(firstOp);

  // Preface: masthead fields that exist, and the title.
  const titleNotes = model.titleFootnotes.map((n) => `<noteRef${attr("href", `#note_${n}`)}${attr("marker", String(n))}/>`).join("");
  const preface: string[] = [
    `<p class="series">${xmlText(meta.seriesSymbol)}</p>`,
    `<p class="symbol"><docNumber>${xmlText(meta.symbol)}</docNumber></p>`,
    `<p class="date"><docDate${attr("date", dateOf(meta.textDate))}>${xmlText(dateOf(meta.textDate))}</docDate></p>`,
    `<p class="status"><docStatus>${xmlText(meta.versionLabel ? `${STATE_LABELS[meta.state]} (${meta.versionLabel})` : STATE_LABELS[meta.state])}</docStatus></p>`,
  ];
  if (meta.distribution) preface.push(`<p class="distribution">${xmlText(meta.distribution)}</p>`);
  if (meta.agendaItem) preface.push(`<p class="agendaItem">${xmlText(meta.agendaItem)}</p>`);
  if (meta.sponsors.length) preface.push(`<p class="sponsors">${meta.sponsors.map((s) => `<docProponent>${xmlText(s)}</docProponent>`).join(", ")}</p>`);
  if (titles.length === 0) preface.push(`<p class="title"><docTitle>${xmlText(meta.title)}</docTitle>${titleNotes}</p>`);
  titles.forEach((t, i) => preface.push(`<p class="title"><docTitle>${inlineXml(t, delegations)}</docTitle>${i === 0 ? titleNotes : ""}</p>`));

  // Preamble: runs of preambular paragraphs are one `recitals`; any other block is a paragraph of its own.
  const preamble: string[] = [];
  let recitals: string[] = [];
  const flushRecitals = () => {
    if (recitals.length) preamble.push(`<recitals${attr("eId", `recs_${preamble.length + 1}`)}>${recitals.join("")}</recitals>`);
    recitals = [];
  };
  for (const p of preambleBlocks) {
    if (p.kind === "pp") recitals.push(`<recital${attr("eId", eIdFor("rec", p))}><p>${inlineXml(p, delegations)}</p></recital>`);
    else {
      flushRecitals();
      preamble.push(`<p${attr("class", p.kind)}>${inlineXml(p, delegations)}</p>`);
    }
  }
  flushRecitals();

  // Main body: operative paragraphs nested by level under the one above; other blocks stand alone.
  const main: string[] = [];
  let roots: OpNode[] = [];
  const stack: OpNode[] = [];
  const flushOps = () => {
    for (const node of roots) main.push(opXml(node, "para", 0));
    roots = [];
    stack.length = 0;
  };
  const opXml = (node: OpNode, prefix: string, depth: number): string => {
    const tag = depth === 0 ? "paragraph" : "subparagraph";
    const eId = eIdFor(prefix, node.paragraph);
    const num = node.paragraph.number ? `<num>${xmlText(printedNumber(node.paragraph.number))}</num>` : "";
    const text = `<p>${inlineXml(node.paragraph, delegations)}</p>`;
    const inner = node.children.length
      ? `<intro>${text}</intro>${node.children.map((c) => opXml(c, `${eId}__subpara`, depth + 1)).join("")}`
      : `<content>${text}</content>`;
    return `<${tag}${attr("eId", eId)}${attr("GUID", `#${node.paragraph.id}`)}>${num}${inner}</${tag}>`;
  };
  for (const p of mainBlocks) {
    switch (p.kind) {
      case "op": {
        const node: OpNode = { paragraph: p, children: [] };
        while (stack.length && stack[stack.length - 1]!.paragraph.level >= p.level) stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(node);
        else roots.push(node);
        stack.push(node);
        break;
      }
      case "heading":
        flushOps();
        main.push(`<tblock${attr("eId", eIdFor("tblock", p))}${attr("class", "heading")}><heading>${inlineXml(p, delegations)}</heading></tblock>`);
        break;
      default:
        // Title, chapeau, a preambular paragraph among operative ones, or a kind this
        // renderer has no case for yet: a plain paragraph naming its kind.
        flushOps();
        main.push(`<p${attr("class", p.kind)}>${inlineXml(p, delegations)}</p>`);
        break;
    }
  }
  flushOps();
  if (main.length === 0) main.push("<p/>");

  const conclusions = model.closing ? closingXml(model.closing, delegations) : "";
  for (const f of model.footnotes) delegations.add(f.delegation);

  const notes = model.footnotes.map((f) => {
    const who = f.delegationName ? `${f.delegationName} (${f.delegation})` : f.delegation;
    const where = f.on === "paragraph" ? ` on ${f.ref ?? "a paragraph"}` : f.on === "document" ? " on the document as a whole" : " on a paragraph not in this text";
    return `<note${attr("eId", `note_${f.number}`)}${attr("marker", String(f.number))}${attr("class", "reservation")}><p>${xmlText(`${who}, reservation${where}${f.withSignature ? ", made on signature" : ""}: ${f.text}`)}</p></note>`;
  });

  const events = model.lifecycle.map(
    (e, i) =>
      `<eventRef${attr("eId", `evt_${i + 1}`)}${attr("date", dateOf(e.at))}${attr("source", "#original")}${attr("refersTo", `#${eIdPart(e.name)}`)}${attr("type", i === 0 ? "generation" : "amendment")}/>`,
  );
  const eventNames = [...new Set(model.lifecycle.map((e) => e.name))];

  const references = [
    `<original${attr("eId", "original")}${attr("href", expression)}${attr("showAs", meta.symbol)}/>`,
    ...eventNames.map((n) => `<TLCEvent${attr("eId", eIdPart(n))}${attr("href", `/akn/ontology/events/accord/${eIdPart(n)}`)}${attr("showAs", n)}/>`),
    `<TLCOrganization${attr("eId", "meeting")}${attr("href", `/akn/ontology/organizations/${symbolSlug(meta.seriesSymbol)}`)}${attr("showAs", meta.meetingTitle)}/>`,
    `<TLCOrganization${attr("eId", "accord")}${attr("href", "/akn/ontology/organizations/accord")}${attr("showAs", "Accord")}/>`,
    ...[...delegations].sort().map((d) => `<TLCOrganization${attr("eId", eIdPart(d))}${attr("href", `/akn/ontology/organizations/${eIdPart(d)}`)}${attr("showAs", d)}/>`),
    `<TLCConcept${attr("eId", "agreedAdRef")}${attr("href", "/akn/ontology/concepts/accord/agreedAdRef")}${attr("showAs", "Agreed ad referendum")}/>`,
    `<TLCConcept${attr("eId", "facilitatorNote")}${attr("href", "/akn/ontology/concepts/accord/facilitatorNote")}${attr("showAs", "Facilitator's note")}/>`,
  ];

  const frbr = (level: "Work" | "Expression" | "Manifestation", self: string, uri: string, extra: string) =>
    `<FRBR${level}><FRBRthis${attr("value", self)}/><FRBRuri${attr("value", uri)}/>` +
    `<FRBRdate${attr("date", dateOf(level === "Work" ? (model.lifecycle[0]?.at ?? meta.textDate) : level === "Expression" ? meta.textDate : meta.generatedAt))}${attr("name", level === "Manifestation" ? "generation" : level === "Expression" ? "text" : "creation")}/>` +
    `<FRBRauthor${attr("href", level === "Manifestation" ? "#accord" : "#meeting")}/>${extra}</FRBR${level}>`;

  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<akomaNtoso xmlns="${AKN_NAMESPACE}">\n<statement${attr("name", meta.kind)}>\n<meta>\n` +
    `<identification source="#accord">` +
    frbr("Work", `${work}/!main`, work, `<FRBRcountry${attr("value", eIdPart(meta.seriesSymbol.split("/")[0] ?? "int"))}/><FRBRnumber${attr("value", baseSymbolOf(meta.symbol))}/><FRBRname${attr("value", meta.title)}/>`) +
    frbr("Expression", `${expression}/!main`, expression, `<FRBRlanguage${attr("language", lang)}/>`) +
    frbr("Manifestation", manifestation, `${expression}.xml`, "") +
    `</identification>\n` +
    `<lifecycle source="#accord">${events.join("")}</lifecycle>\n` +
    `<references source="#accord">${references.join("")}</references>\n` +
    (notes.length ? `<notes source="#accord">${notes.join("")}</notes>\n` : "") +
    `<proprietary source="#accord"><accord:export xmlns:accord="${ACCORD_NAMESPACE}"${attr("view", model.view)}${attr("hash", meta.hash)}${attr("documentId", meta.documentId)}${meta.versionId ? attr("versionId", meta.versionId) : ""}${attr("generatedAt", meta.generatedAt)}>${model.closing ? signaturesXml(model.closing) : ""}</accord:export></proprietary>\n` +
    `</meta>\n<preface>${preface.join("")}</preface>\n` +
    (preamble.length ? `<preamble>${preamble.join("\n")}</preamble>\n` : "") +
    `<mainBody>${main.join("\n")}</mainBody>\n` +
    conclusions +
    `</statement>\n</akomaNtoso>\n`
  );
}

/** A symbol without its revision: the Work is the document, its revisions are Expressions. */
function baseSymbolOf(symbol: string): string {
  return symbol.replace(/\s+(rev|corr)\.\s*\d+$/i, "");
}

function closingXml(closing: ExportClosing, delegations: Set<string>): string {
  const lines = [
    `<p class="adoption">Adopted as ${xmlText(closing.adoptedSymbol)} on <date${attr("date", dateOf(closing.adoptedAt))}>${xmlText(dateOf(closing.adoptedAt))}</date>. Adopted text hash (SHA-256): ${xmlText(closing.adoptedHash)}</p>`,
  ];
  if (!closing.matchesText) lines.push(`<p class="warning">This text is not the adopted text: its hash differs from the adopted hash.</p>`);
  for (const s of closing.signatures) {
    delegations.add(s.delegation);
    const when = s.signedAt ? `<date${attr("date", dateOf(s.signedAt))}>${xmlText(dateOf(s.signedAt))}</date>` : "";
    lines.push(
      `<p class="signature"><signature><role${attr("refersTo", `#${eIdPart(s.delegation)}`)}>${xmlText(s.delegationName ?? s.delegation)}</role>` +
        ` <person${attr("refersTo", `#${eIdPart(s.delegation)}`)}>${xmlText(s.minister ?? "unknown")}</person> ${when}${s.valid ? "" : ` (not valid${s.problem ? `: ${xmlText(s.problem)}` : ""})`}` +
        `${s.footnote ? `<noteRef${attr("href", `#note_${s.footnote}`)}${attr("marker", String(s.footnote))}/>` : ""}</signature></p>`,
    );
  }
  if (closing.missing.length) lines.push(`<p class="missing">Not yet signed: ${xmlText(closing.missing.join(", "))}.</p>`);
  return `<conclusions>${lines.join("\n")}</conclusions>\n`;
}

function signaturesXml(closing: ExportClosing): string {
  const a = (name: string, value: string | null) => (value === null ? "" : ` ${name}="${xmlText(value)}"`);
  return (
    `<accord:adoption${a("symbol", closing.adoptedSymbol)}${a("at", closing.adoptedAt)}${a("hash", closing.adoptedHash)}${a("matchesText", String(closing.matchesText))}/>` +
    closing.signatures
      .map((s) => `<accord:signature${a("delegation", s.delegation)}${a("minister", s.minister)}${a("signedAt", s.signedAt)}${a("valid", String(s.valid))}${a("problem", s.problem)}/>`)
      .join("")
  );
}

import * as Y from "yjs";
import {
  blocksOfDoc,
  bracketSpans,
  canonicalHash,
  canonicalize,
  DOCUMENT_STATES,
  type Block,
  type CanonicalDocument,
  type CanonicalParagraph,
  type DocumentState,
} from "../../schema/index.js";
import { bracketLabel, bracketsOfDocument, holdersOf } from "../brackets/records.js";
import type { AppContext } from "../context.js";
import { documentBlocks, type DocumentRow } from "../documents/documents.js";
import { notFound } from "../http/errors.js";
import { adoptedVersion } from "../lifecycle/adopted.js";
import { reservationFootnotes } from "../lifecycle/reservations.js";
import { verifyDocument } from "../lifecycle/verification.js";
import { getVersion, versionState } from "../versions/versions.js";
import type { ExportBracket, ExportClosing, ExportFootnote, ExportModel, ExportParagraph, ExportRun } from "./types.js";

/** A paragraph's text and bracket spans before labels and holders are known. */
interface TextParagraph {
  canonical: CanonicalParagraph;
  runs: ExportRun[];
}

/** The runs of a block, each NFC on its own: the same offsets `bracketSpans` counts in. */
function runsOf(block: Block): ExportRun[] {
  return block.runs.map((run) => ({ text: run.text.normalize("NFC"), em: run.em === true, strong: run.strong === true }));
}

function fromBlocks(blocks: readonly Block[]): { canonical: CanonicalDocument; paragraphs: TextParagraph[] } {
  const canonical = canonicalize(blocks);
  return {
    canonical,
    paragraphs: blocks.map((block, i) => ({
      canonical: { ...canonical.paragraphs[i]!, brackets: bracketSpans(block) },
      runs: runsOf(block),
    })),
  };
}

/** A canonical paragraph as one unformatted run (the canonical form keeps no italics or bold). */
const fromCanonical = (canonical: CanonicalDocument): TextParagraph[] =>
  canonical.paragraphs.map((p) => ({ canonical: p, runs: [{ text: p.text, em: false, strong: false }] }));

/** The text of a stored version: its Yjs state for the formatting, as long as it still yields the hashed canonical form. */
function versionText(ctx: AppContext, documentId: string, versionId: string) {
  const version = getVersion(ctx, documentId, versionId);
  const doc = new Y.Doc();
  let paragraphs: TextParagraph[];
  try {
    Y.applyUpdate(doc, versionState(ctx, documentId, versionId));
    const text = fromBlocks(blocksOfDoc(doc));
    // The canonical form is what was hashed and signed; the Yjs state only adds italics and
    // bold. Should they ever disagree, print the canonical form rather than another text.
    paragraphs = canonicalHash(text.canonical) === version.hash ? text.paragraphs : fromCanonical(version.canonical);
  } finally {
    doc.destroy();
  }
  return { version, canonical: version.canonical, hash: version.hash, paragraphs };
}

/** What an export shows: the current text, or the stored version with this id (404 for a version of another document). */
export interface ExportRequest {
  versionId?: string | undefined;
}

/**
 * Assembles the export model of a document the caller may read: its current text (or a
 * stored version's), the label and current holders of each bracket standing in it, the
 * standing reservations as footnotes placed by paragraph id, and, when the exported text
 * is the adopted one, the adoption and the signatures as the verification checks them.
 */
export function exportModel(ctx: AppContext, doc: DocumentRow, request: ExportRequest = {}): ExportModel {
  const generatedAt = new Date().toISOString();
  const meeting = ctx.db.prepare("SELECT title, series_symbol FROM meetings WHERE id = ?").get(doc.meeting_id) as
    | { title: string; series_symbol: string }
    | undefined;
  if (!meeting) throw notFound("meeting");
  const names = new Map(
    (ctx.db.prepare("SELECT code, name FROM delegations WHERE meeting_id = ?").all(doc.meeting_id) as Array<{ code: string; name: string }>).map((d) => [
      d.code,
      d.name,
    ]),
  );

  let text: { canonical: CanonicalDocument; hash: string; paragraphs: TextParagraph[] };
  let symbol = doc.symbol;
  let state: DocumentState = doc.state;
  let versionLabel: string | null = null;
  let textDate = generatedAt;
  if (request.versionId !== undefined) {
    const v = versionText(ctx, doc.id, request.versionId);
    text = v;
    symbol = v.version.symbol;
    state = (DOCUMENT_STATES as readonly string[]).includes(v.version.state) ? (v.version.state as DocumentState) : doc.state;
    versionLabel = v.version.label;
    textDate = v.version.createdAt;
  } else {
    const current = fromBlocks(documentBlocks(ctx, doc.id));
    text = { ...current, hash: canonicalHash(current.canonical) };
  }

  // Holders as they stand now: the store keeps who holds a bracket, not who held it when a
  // version was saved, so a bracket closed since prints with its label only.
  const rows = new Map(bracketsOfDocument(ctx, doc.id).map((row) => [row.id, row]));
  const holders = holdersOf(ctx, doc.id);
  const bracketOf = (span: CanonicalParagraph["brackets"][number]): ExportBracket => {
    const row = rows.get(span.id);
    return {
      id: span.id,
      label: row ? bracketLabel(row) : null,
      from: span.from,
      to: span.to,
      holders: row?.state === "open" ? (holders.get(span.id) ?? []) : [],
    };
  };

  const present = new Set(text.canonical.paragraphs.map((p) => p.id));
  const reservations = reservationFootnotes(ctx, doc.id, text.canonical);
  const footnotes: ExportFootnote[] = reservations.map((r) => ({
    number: r.footnote,
    delegation: r.delegation,
    delegationName: names.get(r.delegation) ?? null,
    on: r.paragraphId === null ? "document" : present.has(r.paragraphId) ? "paragraph" : "elsewhere",
    ref: r.paragraphId !== null && present.has(r.paragraphId) ? r.ref : null,
    text: r.text,
    withSignature: r.signatureId !== null,
    createdAt: r.createdAt,
  }));
  const byParagraph = new Map<string, number[]>();
  const reservationIds = new Map<string, number>();
  const titleFootnotes: number[] = [];
  for (const [i, r] of reservations.entries()) {
    const footnote = footnotes[i]!;
    reservationIds.set(r.id, footnote.number);
    if (footnote.on === "paragraph" && r.paragraphId) byParagraph.set(r.paragraphId, [...(byParagraph.get(r.paragraphId) ?? []), footnote.number]);
    else titleFootnotes.push(footnote.number);
  }

  const paragraphs: ExportParagraph[] = text.paragraphs.map(({ canonical: p, runs }) => ({
    id: p.id,
    kind: p.kind,
    level: p.level,
    number: p.number,
    ref: p.ref,
    runs,
    brackets: p.brackets.map(bracketOf),
    footnotes: byParagraph.get(p.id) ?? [],
  }));

  return {
    meta: {
      meetingTitle: meeting.title,
      seriesSymbol: meeting.series_symbol,
      symbol,
      title: doc.title,
      kind: doc.kind,
      state,
      versionLabel,
      textDate,
      hash: text.hash,
      generatedAt,
    },
    paragraphs,
    titleFootnotes,
    footnotes,
    closing: closingOf(ctx, doc, text.hash, request.versionId !== undefined, names, reservationIds),
  };
}

/**
 * The adoption and signatures, for the current text of an adopted or signed document and
 * for its adopted version; null otherwise (an earlier draft was never signed).
 */
function closingOf(
  ctx: AppContext,
  doc: DocumentRow,
  hash: string,
  isVersion: boolean,
  names: ReadonlyMap<string, string>,
  reservationIds: ReadonlyMap<string, number>,
): ExportClosing | null {
  const adopted = adoptedVersion(ctx, doc.id);
  if (!adopted || (isVersion && hash !== adopted.hash)) return null;
  const verification = verifyDocument(ctx, doc.id);
  const minister = ctx.db.prepare("SELECT display_name FROM users WHERE username = ?").pluck();
  return {
    adoptedSymbol: adopted.symbol,
    adoptedAt: adopted.createdAt,
    adoptedHash: adopted.hash,
    matchesText: hash === adopted.hash,
    // Voided signatures were given to an earlier adoption of the text, not to this one.
    signatures: verification.signatures
      .filter((s) => !s.voided)
      .map((s) => ({
        delegation: s.delegation,
        delegationName: names.get(s.delegation) ?? null,
        minister: s.username ? ((minister.get(s.username) as string | undefined) ?? s.username) : null,
        signedAt: s.signedAt ?? null,
        valid: s.valid,
        problem: s.problem ?? null,
        footnote: s.reservation ? (reservationIds.get(s.reservation.id) ?? null) : null,
      })),
    missing: verification.missing,
  };
}

import * as Y from "yjs";
import {
  blocksOfDoc,
  blockText,
  DOCUMENT_STATES,
  type Block,
  type CanonicalDocument,
  type CanonicalParagraph,
  type DocumentState,
} from "../../schema/index.js";
import { bracketLabel, bracketParagraphsOf, holdersOf, supportersOf, type BracketRow } from "../brackets/records.js";
import type { AppContext } from "../context.js";
import { statement } from "../store/statements.js";
import { documentLanguage, type DocumentRow } from "../documents/documents.js";
import { documentText } from "../documents/paragraphs.js";
import { conflict, notFound } from "../http/errors.js";
import { paragraphStatuses } from "../status/status.js";
import { adoptedVersion } from "../lifecycle/adopted.js";
import { reservationFootnotes } from "../lifecycle/reservations.js";
import { verifyDocument } from "../lifecycle/verification.js";
import { getVersion, versionState } from "../versions/versions.js";
import { currentNotes, placeNotes, type NoteParagraphs } from "../footnotes/notes.js";
import type { ReferenceNote } from "../../schema/api/footnotes.js";
import { wordDiff } from "../../schema/diff.js";
import { compareDocuments } from "../../schema/compare.js";
import type {
  ExportBracket,
  ExportClosing,
  ExportComparison,
  ExportEvent,
  ExportFootnote,
  ExportModel,
  ExportAnnotation,
  ExportNote,
  ExportParagraph,
  ExportRun,
  ExportView,
} from "./types.js";

/** A paragraph's text and bracket spans before labels and holders are known. */
interface TextParagraph {
  canonical: CanonicalParagraph;
  runs: ExportRun[];
}

/** The runs of a block, each NFC on its own: the same offsets `bracketSpans` counts in. */
function runsOf(block: Block): ExportRun[] {
  return block.runs.map((run) => ({ text: run.text.normalize("NFC"), em: run.em === true, strong: run.strong === true }));
}

/** A canonical paragraph as one unformatted run (the canonical form keeps no italics or bold). */
const fromCanonical = (canonical: CanonicalDocument): TextParagraph[] =>
  canonical.paragraphs.map((p) => ({ canonical: p, runs: [{ text: p.text, em: false, strong: false }] }));

/**
 * The text of a stored version: its Yjs state for the formatting, as long as it still
 * yields the hashed canonical form; the reference notes placed in it (a note whose anchor
 * the version does not have stands at its paragraph's end).
 */
function versionText(ctx: AppContext, documentId: string, versionId: string) {
  const version = getVersion(ctx, documentId, versionId);
  const doc = new Y.Doc();
  let paragraphs: TextParagraph[];
  let notes: ReferenceNote[];
  try {
    Y.applyUpdate(doc, versionState(ctx, documentId, versionId));
    const blocks = blocksOfDoc(doc);
    const hashed = version.canonical.paragraphs;
    // The canonical form is what was hashed and signed (with the numbers frozen then); the
    // Yjs state only adds italics and bold. Should they ever disagree, print the canonical
    // form rather than another text.
    const same = blocks.length === hashed.length && blocks.every((b, i) => b.id === hashed[i]!.id && blockText(b).normalize("NFC") === hashed[i]!.text);
    paragraphs = same ? blocks.map((b, i) => ({ canonical: hashed[i]!, runs: runsOf(b) })) : fromCanonical(version.canonical);
    notes = placeNotes(ctx, documentId, same ? doc : null, noteParagraphs(paragraphs));
  } finally {
    doc.destroy();
  }
  return { version, canonical: version.canonical, hash: version.hash, paragraphs, notes };
}

/** What an export shows: the current text, or the stored version with this id (404 for a version of another document). */
export interface ExportRequest {
  versionId?: string | undefined;
  /** `current` unless given; `clean` is refused (409) while any bracket stands in the text. */
  view?: ExportView | undefined;
  /** A stored version of the same document to compare the text with, for tracked changes. */
  compareTo?: string | undefined;
  /** The origin the caller reached the server at, for the verification URL printed on an adopted text. */
  origin?: string | undefined;
}

export { documentLanguage };

/** The masthead fields an imported document brought (series, date, distribution…), read leniently: any field may be missing. */
function mastheadOf(doc: DocumentRow): Record<string, string> {
  const raw = (doc as DocumentRow & { masthead?: unknown }).masthead;
  if (typeof raw !== "string") return {};
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim().length > 0));
  } catch {
    return {};
  }
}

/** The secretariat's reference footnotes placed in a text, by paragraph id, in text order. */
function notesByParagraph(placed: readonly ReferenceNote[]): Map<string, ExportNote[]> {
  const notes = new Map<string, ExportNote[]>();
  for (const n of placed) notes.set(n.paragraphId, [...(notes.get(n.paragraphId) ?? []), { marker: n.marker, text: n.text, at: n.offset }]);
  return notes;
}

/** The paragraph annotations ("[Agreed ad ref]", facilitator's notes) by paragraph id, in the order they were made. */
function paragraphAnnotations(ctx: AppContext, documentId: string): Map<string, ExportAnnotation[]> {
  const rows = statement(ctx.db, "SELECT paragraph_id, annotation, text FROM document_notes WHERE document_id = ? AND kind = 'annotation' ORDER BY created_at, id").all(
    documentId,
  ) as Array<{ paragraph_id: string; annotation: ExportAnnotation["kind"] | null; text: string }>;
  const out = new Map<string, ExportAnnotation[]>();
  for (const r of rows) out.set(r.paragraph_id, [...(out.get(r.paragraph_id) ?? []), { kind: r.annotation ?? "agreed_ad_ref", text: r.text }]);
  return out;
}

/** The paragraphs of a text as reference notes are placed in it. */
const noteParagraphs = (paragraphs: readonly TextParagraph[]): NoteParagraphs =>
  new Map(paragraphs.map(({ canonical: p }) => [p.id, { text: p.text, ref: p.ref }]));

/** 409 listing every bracket standing in the text: the clean view exists only without them. */
function refuseOpenBrackets(paragraphs: readonly ExportParagraph[]): void {
  const reasons: string[] = [];
  for (const p of paragraphs)
    for (const b of p.brackets) {
      const text = p.runs.map((r) => r.text).join("").slice(b.from, b.to);
      const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
      reasons.push(`bracket ${b.label ?? b.id} ${JSON.stringify(shown)} stands in ${p.ref ?? "a paragraph"}`);
    }
  if (reasons.length > 0)
    throw conflict(`the clean text exists once no bracket stands; ${reasons.length} ${reasons.length === 1 ? "does" : "do"}`, reasons);
}

/** The document's creation and every stored version, oldest first: the lifecycle an archive records. */
function lifecycleOf(ctx: AppContext, doc: DocumentRow): ExportEvent[] {
  const versions = ctx.db
    .prepare("SELECT label, symbol, state, created_at FROM versions WHERE document_id = ? ORDER BY number")
    .all(doc.id) as Array<{ label: string; symbol: string; state: string; created_at: string }>;
  return [
    { name: "created", label: null, symbol: doc.symbol, at: doc.created_at },
    ...versions.map((v) => ({ name: v.state, label: v.label, symbol: v.symbol, at: v.created_at })),
  ];
}

/** Each paragraph's changes from an older version to the exported text, as Word's tracked changes show them. */
function comparisonOf(ctx: AppContext, documentId: string, fromVersionId: string, to: CanonicalDocument, at: string): ExportComparison {
  const from = getVersion(ctx, documentId, fromVersionId);
  const comparison = compareDocuments(from.canonical, to);
  const older = new Map(from.canonical.paragraphs.map((p) => [p.id, p]));
  const newer = new Map(to.paragraphs.map((p) => [p.id, p]));
  return {
    fromSymbol: from.symbol,
    fromLabel: from.label,
    at,
    paragraphs: comparison.paragraphs.map((c) => {
      const was = older.get(c.id);
      const is = newer.get(c.id);
      const shape = (is ?? was)!;
      const runs =
        c.change === "added"
          ? [{ op: "insert" as const, text: c.text }]
          : c.change === "deleted"
            ? [{ op: "delete" as const, text: c.text }]
            : (c.diff ?? (was && is && was.text !== is.text ? wordDiff(was.text, is.text) : [{ op: "equal" as const, text: c.text }]));
      return {
        id: c.id,
        change: c.change,
        kind: shape.kind,
        level: shape.level,
        number: c.toNumber ?? c.fromNumber,
        fromNumber: c.fromNumber !== c.toNumber && c.change !== "deleted" ? c.fromNumber : null,
        runs,
      };
    }),
  };
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

  let text: { canonical: CanonicalDocument; hash: string; paragraphs: TextParagraph[]; notes: ReferenceNote[] };
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
    // The read-model's own canonical form and hash, computed once per text version: an
    // export of a text no one is changing costs the event loop no hashing.
    const current = documentText(ctx, doc.id);
    text = {
      canonical: current.canonical,
      hash: current.hash,
      paragraphs: current.paragraphs.map((p) => ({ canonical: p, runs: runsOf(p.block) })),
      notes: currentNotes(ctx, doc.id),
    };
  }

  // Holders as they stand now: the store keeps who holds a bracket, not who held it when a
  // version was saved, so a bracket closed since prints with its label only.
  // Only the columns printed: a document with 1,500 brackets is read in a third of the time.
  const rows = new Map(
    (
      statement(ctx.db, "SELECT id, number, state, opened_delegation, option_label FROM brackets WHERE document_id = ?").all(doc.id) as Array<
        Pick<BracketRow, "id" | "number" | "state" | "opened_delegation" | "option_label">
      >
    ).map((row) => [row.id, row]),
  );
  const holders = holdersOf(ctx, doc.id);
  const supporters = supportersOf(ctx, doc.id);
  // A bracket around whole paragraphs opens before its first paragraph and closes after its last.
  const spanned = bracketParagraphsOf(ctx, doc.id);
  // An option's place in its group, in the order the options stand in the text.
  const groups = new Map<string, string[]>();
  for (const { canonical: p } of text.paragraphs)
    for (const span of p.brackets) if (span.group) groups.set(span.group, [...(groups.get(span.group) ?? []), span.id]);
  const bracketOf = (paragraphId: string, span: CanonicalParagraph["brackets"][number]): ExportBracket => {
    const row = rows.get(span.id);
    const whole = spanned.get(span.id);
    const group = span.group ? (groups.get(span.group) ?? []) : [];
    return {
      id: span.id,
      label: row ? bracketLabel(row) : null,
      from: span.from,
      to: span.to,
      holders: row?.state === "open" ? (holders.get(span.id) ?? []) : [],
      supporters: row?.state === "open" ? (supporters.get(span.id) ?? []) : [],
      opens: !whole || whole[0] === paragraphId,
      closes: !whole || whole[whole.length - 1] === paragraphId,
      optionLabel: row?.option_label ?? null,
      proposedBy: row?.opened_delegation ?? null,
      option: group.length > 1 ? { index: group.indexOf(span.id) + 1, of: group.length } : null,
    };
  };
  const statuses = paragraphStatuses(ctx, doc.id);
  const notes = notesByParagraph(text.notes);
  const annotations = paragraphAnnotations(ctx, doc.id);

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
    brackets: p.brackets.map((span) => bracketOf(p.id, span)),
    footnotes: byParagraph.get(p.id) ?? [],
    status: statusOf(statuses.get(p.id)),
    notes: notes.get(p.id) ?? [],
    annotations: annotations.get(p.id) ?? [],
  }));
  const head = mastheadOf(doc);
  const language = documentLanguage(ctx, doc);
  const view = request.view ?? "current";
  if (view === "clean") refuseOpenBrackets(paragraphs);

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
      language,
      originalLanguage: head.originalLanguage ?? language,
      distribution: head.distribution ?? null,
      agendaItem: head.agendaItem ?? null,
      sponsors: head.sponsors ? [head.sponsors] : [],
      documentId: doc.id,
      versionId: request.versionId ?? null,
      verificationUrl: `${request.origin ?? ""}/api/documents/${encodeURIComponent(doc.id)}/verification`,
    },
    view,
    paragraphs,
    titleFootnotes,
    footnotes,
    closing: closingOf(ctx, doc, text.hash, request.versionId !== undefined, names, reservationIds),
    lifecycle: lifecycleOf(ctx, doc),
    ...(request.compareTo !== undefined ? { comparison: comparisonOf(ctx, doc.id, request.compareTo, text.canonical, textDate) } : {}),
  };
}

/** A paragraph's agreement as printed: only the agreed states carry a note. */
function statusOf(status: string | undefined): ExportParagraph["status"] {
  return status === "yellow" || status === "green" || status === "ad_ref" ? status : null;
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

/** A model with no text, for loading the renderers before the first real export. */
export function emptyModel(): ExportModel {
  const now = new Date().toISOString();
  return {
    meta: {
      meetingTitle: "",
      seriesSymbol: "",
      symbol: "",
      title: "",
      kind: "declaration",
      state: "draft",
      versionLabel: null,
      textDate: now,
      hash: "",
      generatedAt: now,
      language: "en",
      originalLanguage: null,
      distribution: null,
      agendaItem: null,
      sponsors: [],
      documentId: "",
      versionId: null,
      verificationUrl: "",
    },
    view: "current",
    paragraphs: [],
    titleFootnotes: [],
    footnotes: [],
    closing: null,
    lifecycle: [],
  };
}

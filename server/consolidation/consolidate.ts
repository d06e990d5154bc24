import { blockText, type Block } from "../../schema/blocks.js";
import { textHash } from "../../schema/canonical.js";
import { newId } from "../../schema/ids.js";
import { auditActor } from "../audit/audit.js";
import type { User } from "../auth/users.js";
import type { CommandTx } from "../commands/command.js";
import { createDocument, documentRow, type DocumentRow } from "../documents/documents.js";
import { documentText } from "../documents/paragraphs.js";
import { documentEvent } from "../events/events.js";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.js";
import { createVersion } from "../versions/versions.js";
import { copyOf } from "./copy.js";
import type { Consolidation, ConsolidationCreated } from "../../schema/api/provenance.js";

/** One source of a consolidation: a whole document, or only some of its paragraphs. */
export interface ConsolidationSource {
  documentId: string;
  /** Ids of the source paragraphs to copy (in the source's order); all when absent. */
  paragraphIds?: string[];
}

/** What the rapporteur asks for. */
export interface ConsolidationInput {
  title: string;
  /** Official symbol of the new document; the meeting's next `doc.n` symbol when absent. */
  symbol?: string;
  sources: ConsolidationSource[];
}

/** Whether `user` may consolidate documents and decide on their source changes. */
export function mayConsolidate(user: Pick<User, "role">): boolean {
  return user.role === "rapporteur" || user.role === "secretariat";
}

const DOC_SYMBOL = /^(.*\/doc\.)(\d+)(\/.*)?$/;

/**
 * The next free `…/doc.n/…` symbol of the meeting (`RTP-II/doc.6/09` after `doc.5`), so the
 * new document takes its place in the series; a fallback when no symbol follows that form.
 */
function nextDocumentSymbol(tx: CommandTx, meetingId: string): string {
  const symbols = tx.db.prepare("SELECT symbol FROM documents WHERE meeting_id = ?").pluck().all(meetingId) as string[];
  let best: { prefix: string; suffix: string; n: number } | null = null;
  for (const symbol of symbols) {
    const m = DOC_SYMBOL.exec(symbol.replace(/\s+(rev|corr)\.\s*\d+$/, ""));
    if (m && (!best || Number(m[2]) > best.n)) best = { prefix: m[1]!, suffix: m[3] ?? "", n: Number(m[2]) };
  }
  if (best) return `${best.prefix}${best.n + 1}${best.suffix}`;
  return `WP/${symbols.length + 1}`;
}

interface Section {
  source: DocumentRow;
  selection: "all" | "selected";
  /** Canonical hash of the whole source as copied. */
  hash: string;
  copied: Array<{ from: Block; to: Block }>;
  omitted: Block[];
}

/**
 * Builds a `work_programme` owned by the plenary from the selected source documents (or
 * selected paragraphs of them), one section per source: the source's title as a heading,
 * then its paragraphs in the source's order, each copied with a fresh id and a provenance
 * record (source document, source paragraph, hash and text at copy time; the whole
 * source's canonical hash per section). Unselected
 * source paragraphs are recorded as deliberately left out, and the text as consolidated is
 * stored as the document's initial version. One command: the document, its text, the
 * provenance, the version and the audit events commit together. Rapporteur or secretariat.
 */
export function consolidate(tx: CommandTx, user: User, input: ConsolidationInput): Consolidation {
  if (!mayConsolidate(user)) throw forbidden("only the rapporteur or the secretariat may consolidate documents");
  if (input.sources.length === 0) throw badRequest("name at least one source document");
  const seen = new Set<string>();
  const sections: Section[] = [];
  const unknown: string[] = [];
  for (const { documentId, paragraphIds } of input.sources) {
    if (seen.has(documentId)) throw badRequest(`source document ${documentId} is listed twice`);
    seen.add(documentId);
    const source = documentRow(tx.ctx, documentId);
    if (!source || source.meeting_id !== user.meetingId) throw notFound(`source document ${documentId}`);
    if (source.state === "withdrawn") throw conflict(`source document ${source.symbol} is withdrawn`);
    const text = documentText(tx.ctx, documentId);
    const blocks = text.blocks;
    let wanted: Set<string> | null = null;
    if (paragraphIds) {
      wanted = new Set(paragraphIds);
      const present = new Set(blocks.map((b) => b.id));
      for (const id of paragraphIds) if (!present.has(id)) unknown.push(`paragraph ${id} is not in ${source.symbol}`);
    }
    const section: Section = { source, selection: wanted ? "selected" : "all", hash: text.hash, copied: [], omitted: [] };
    for (const block of blocks) {
      // The title always heads its section, so that every section says where it came from.
      if (block.type === "title" || !wanted || wanted.has(block.id)) section.copied.push({ from: block, to: copyOf(block) });
      else section.omitted.push(block);
    }
    sections.push(section);
  }
  if (unknown.length > 0) throw badRequest("some selected paragraphs do not exist in their source", unknown);

  const plenary = tx.db
    .prepare("SELECT id FROM bodies WHERE meeting_id = ? AND kind = 'plenary' ORDER BY position LIMIT 1")
    .pluck()
    .get(user.meetingId) as string | undefined;
  if (!plenary) throw conflict("the meeting has no plenary to own the consolidated document");

  const symbol = input.symbol ?? nextDocumentSymbol(tx, user.meetingId);
  const title: Block = { id: newId("p"), type: "title", kind: "title", level: 0, runs: [{ text: input.title }] };
  const blocks = [title, ...sections.flatMap((s) => s.copied.map((c) => c.to))];
  const who = auditActor(user);
  const documentId = createDocument(tx, who, {
    meetingId: user.meetingId,
    bodyId: plenary,
    kind: "work_programme",
    title: input.title,
    symbol,
    blocks,
  });

  const now = new Date().toISOString();
  const insertSource = tx.db.prepare(
    "INSERT INTO consolidation_sources (document_id, source_document_id, position, selection, source_hash) VALUES (?, ?, ?, ?, ?)",
  );
  const insertProvenance = tx.db.prepare(
    `INSERT INTO paragraph_provenance (document_id, paragraph_id, source_document_id, source_paragraph_id, position, base_hash, base_text, copied_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOmission = tx.db.prepare(
    `INSERT INTO consolidation_omissions (document_id, source_document_id, source_paragraph_id, position, text_hash, text)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  let position = 0;
  let copied = 0;
  let omitted = 0;
  sections.forEach((section, i) => {
    insertSource.run(documentId, section.source.id, i, section.selection, section.hash);
    for (const { from, to } of section.copied) {
      const text = blockText(from).normalize("NFC");
      insertProvenance.run(documentId, to.id, section.source.id, from.id, position++, textHash(text), text, now);
      copied += 1;
    }
    section.omitted.forEach((block, j) => {
      const text = blockText(block).normalize("NFC");
      insertOmission.run(documentId, section.source.id, block.id, j, textHash(text), text);
      omitted += 1;
    });
  });

  // The text as consolidated is the baseline of its first revision.
  createVersion(tx, who, documentId, { label: "as consolidated", reason: "initial" });

  const sources = sections.map((s) => ({
    documentId: s.source.id,
    symbol: s.source.symbol,
    selection: s.selection,
    hash: s.hash,
    copied: s.copied.length,
    omitted: s.omitted.length,
  }));
  tx.audit(who, {
    meetingId: user.meetingId,
    documentId,
    action: "consolidation.created",
    targetType: "document",
    targetId: documentId,
    details: { title: input.title, symbol, sources },
  });
  const data: ConsolidationCreated = { documentId, title: input.title, symbol, sources };
  tx.publish(documentEvent(documentId, "consolidation.created", data, user));
  // Whoever has a source open learns that it now feeds a consolidated document.
  for (const s of sections) tx.publish(documentEvent(s.source.id, "consolidation.created", data, user));
  return { documentId, symbol, copied, omitted };
}

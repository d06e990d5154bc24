import { blocksFromPMJSON, newId, type Block, type DocumentKind } from "../../schema/index.js";
import { MAX_BLOCK_TEXT } from "../../schema/index.js";
import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import { createDocument, documentInfo, documentRow, } from "../documents/documents.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import { badRequest } from "../http/errors.js";
import { meetingInfo, meetingRow } from "./meetings.js";

/** What the secretariat gives to create a document. */
export interface NewMeetingDocument {
  bodyId: string;
  kind: DocumentKind;
  title: string;
  /** Its own series; when absent, the next `doc.N` under the meeting's series symbol. */
  symbol?: string;
  /** The original language; one of the meeting's (default: its first). */
  language?: string;
  /** A ProseMirror `doc`, or `{text}` (one operative paragraph per line). Absent: blank. */
  content?: unknown;
}

/** The document's blocks: its title, then the content, or one empty operative paragraph. */
function initialBlocks(title: string, content: unknown): Block[] {
  const head: Block = { id: newId("p"), type: "title", kind: "title", level: 0, runs: [{ text: title }] };
  const empty: Block = { id: newId("p"), type: "paragraph", kind: "op", level: 0, runs: [] };
  if (content === undefined || content === null) return [head, empty];
  if (typeof content === "object" && !Array.isArray(content) && typeof (content as { text?: unknown }).text === "string") {
    const lines = ((content as { text: string }).text.normalize("NFC").split(/\r\n|\r|\n/) ?? []).map((l) => l.trim()).filter(Boolean);
    const long = lines.findIndex((l) => l.length > MAX_BLOCK_TEXT);
    if (long >= 0) throw badRequest(`content.text: line ${long + 1} is longer than ${MAX_BLOCK_TEXT} characters`);
    const body: Block[] = lines.map((text) => ({ id: newId("p"), type: "paragraph", kind: "op", level: 0, runs: [{ text }] }));
    return [head, ...(body.length ? body : [empty])];
  }
  const doc = content as { type?: unknown; content?: unknown };
  if (typeof doc !== "object" || doc.type !== "doc" || !Array.isArray(doc.content))
    throw badRequest("invalid content", ["content: must be a ProseMirror doc ({type: \"doc\", content: [...]}) or {text}"]);
  // The title comes from `title`; ids the client did not choose are given here.
  const nodes = (doc.content as Array<Record<string, unknown>>)
    .filter((n) => !(n && typeof n === "object" && n.type === "title"))
    .map((n) => (n && typeof n === "object" ? { ...n, attrs: { ...((n.attrs as object) ?? {}), id: (n.attrs as { id?: unknown })?.id ?? newId("p") } } : n));
  if (nodes.length === 0) return [head, empty];
  const result = blocksFromPMJSON(nodes);
  if (!result.ok) throw badRequest("invalid content", result.problems.map((p) => `content: ${p}`));
  const ids = new Set<string>();
  for (const block of result.blocks) {
    if (ids.has(block.id)) throw badRequest("invalid content", [`content: paragraph id ${block.id} is used twice`]);
    ids.add(block.id);
  }
  return [head, ...result.blocks];
}

/** Creates a document in a body of the meeting, blank or with content, audited. */
export function createMeetingDocument(tx: CommandTx, who: AuditActor, meetingId: string, input: NewMeetingDocument): DocumentSummary {
  return createMeetingDocumentOf(tx, who, meetingId, input, initialBlocks(input.title, input.content));
}

/**
 * Creates a document of the meeting from blocks already made (an import's), with the same
 * checks as every new document: a body of the meeting, one of its languages, a symbol no
 * other document of the meeting has (the next `doc.N` when none is given). Audited.
 */
export function createMeetingDocumentOf(
  tx: CommandTx,
  who: AuditActor,
  meetingId: string,
  input: Omit<NewMeetingDocument, "content">,
  blocks: readonly Block[],
): DocumentSummary {
  const meeting = meetingInfo(meetingRow(tx.db, meetingId));
  const body = tx.db.prepare("SELECT id FROM bodies WHERE id = ? AND meeting_id = ?").get(input.bodyId, meetingId);
  if (!body) throw badRequest(`body ${input.bodyId} is not a body of this meeting`);
  const language = input.language ?? meeting.languages[0] ?? "en";
  if (!meeting.languages.includes(language))
    throw badRequest(`${language} is not a language of this meeting (${meeting.languages.join(", ")})`);
  const symbol = input.symbol?.trim() || nextSymbol(tx, meetingId, meeting.seriesSymbol);
  const taken = tx.db.prepare("SELECT 1 FROM documents WHERE meeting_id = ? AND symbol = ?").get(meetingId, symbol);
  if (taken) throw badRequest(`a document of this meeting already has the symbol ${symbol}`);
  const id = createDocument(tx, who, { meetingId, bodyId: input.bodyId, kind: input.kind, title: input.title, symbol, blocks, language });
  return documentInfo(documentRow(tx.ctx, id)!);
}

function nextSymbol(tx: CommandTx, meetingId: string, series: string): string {
  const count = tx.db.prepare("SELECT COUNT(*) FROM documents WHERE meeting_id = ?").pluck().get(meetingId) as number;
  for (let n = count + 1; ; n++) {
    const symbol = `${series}/doc.${n}`;
    if (!tx.db.prepare("SELECT 1 FROM documents WHERE meeting_id = ? AND symbol = ?").get(meetingId, symbol)) return symbol;
  }
}

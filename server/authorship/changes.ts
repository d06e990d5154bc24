import * as Y from "yjs";
import { blockOfYElement, textFragment } from "../../schema/yfragment.js";
import type { CanonicalDocument } from "../../schema/canonical.js";
import type { AppContext } from "../context.js";
import { documentContent, documentState } from "../documents/documents.js";
import { getVersion, versionState } from "../versions/versions.js";
import { statement } from "../store/statements.js";
import { Authorship, type AuthorshipRange } from "./record.js";
import type { AttributeChange, ChangeAuthor, ChangeRun, ChangedParagraph, ChangesSince } from "../../schema/api/changes.js";

/** A Y.Doc from an encoded state, kept apart from every room. */
function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  Y.applyUpdate(doc, state);
  return doc;
}

/** The struct of `doc` holding id (client, clock), or null when the doc has none there. */
function structAt(doc: Y.Doc, client: number, clock: number): Y.Item | Y.GC | null {
  const structs = doc.store.clients.get(client);
  if (!structs || structs.length === 0) return null;
  const last = structs[structs.length - 1]!;
  if (clock >= last.id.clock + last.length) return null;
  return structs[Y.findIndexSS(structs, clock)] as Y.Item | Y.GC;
}

/**
 * Every insertion and deletion in a document's text since one of its versions, each
 * attributed to the delegation (or person) the server accepted it from, in the order of
 * the text: deleted words stand where they were. Paragraphs are the current text's, a
 * deleted paragraph where it stood. 404 when the version is not the document's.
 *
 * Works on Yjs ids: an item of the current text is new when the version's state vector
 * does not cover it; an item the version shows is deleted when the current text has it
 * deleted (its words are read from the version). Authors come from `text_authorship`.
 */
export function changesSince(ctx: AppContext, documentId: string, versionId: string): ChangesSince {
  const version = getVersion(ctx, documentId, versionId);
  const before = docOf(versionState(ctx, documentId, versionId));
  const now = docOf(documentState(ctx, documentId));
  try {
    const content = documentContent(ctx, documentId);
    const result = compute(before, now, Authorship.load(ctx, documentId), version.canonical, content.canonical);
    const authors = describeAuthors(ctx, documentId, result.authors);
    return {
      since: { versionId: version.id, label: version.label, symbol: version.symbol, hash: version.hash },
      to: { label: "current text", hash: content.hash },
      authors,
      paragraphs: result.paragraphs,
      summary: {
        inserted: authors.reduce((n, a) => n + a.inserted, 0) + result.unattributed.inserted,
        deleted: authors.reduce((n, a) => n + a.deleted, 0) + result.unattributed.deleted,
        attributes: authors.reduce((n, a) => n + a.attributes, 0) + result.unattributed.attributes,
        paragraphsChanged: result.paragraphs.filter((p) => p.change !== "same").length,
      },
    };
  } finally {
    before.destroy();
    now.destroy();
  }
}

/** An attribute's value as the view reports it (null when not set). */
function attributeValue(value: unknown): AttributeChange["from"] {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * The author key of a recorded change: the delegation for its delegates and ministers,
 * who speak for it; the person for everyone else (a chair applying an amendment acts as
 * chair, not for their own delegation; the secretariat has none).
 */
function authorKey(range: AuthorshipRange): string {
  return speaksForDelegation(range) ? range.delegation! : `@${range.username ?? range.userId ?? "server"}`;
}

function speaksForDelegation(range: Pick<AuthorshipRange, "delegation" | "role">): boolean {
  return range.delegation !== null && (range.role === "delegate" || range.role === "minister");
}

interface Tally {
  inserted: number;
  deleted: number;
  attributes: number;
  people: Set<string>;
  delegation: string | null;
  role: string | null;
}

function compute(
  before: Y.Doc,
  now: Y.Doc,
  authorship: Authorship,
  beforeCanonical: CanonicalDocument,
  nowCanonical: CanonicalDocument,
): { paragraphs: ChangedParagraph[]; authors: Map<string, Tally>; unattributed: { inserted: number; deleted: number; attributes: number } } {
  const seen = Y.decodeStateVector(Y.encodeStateVector(before));
  const deletedThen = Y.createDeleteSetFromStructStore(before.store);
  const inVersion = (id: Y.ID) => id.clock < (seen.get(id.client) ?? 0) && !Y.isDeleted(deletedThen, id);
  const refNow = new Map(nowCanonical.paragraphs.map((p) => [p.id, p.ref ?? null]));
  const refThen = new Map(beforeCanonical.paragraphs.map((p) => [p.id, p.ref ?? null]));
  const authors = new Map<string, Tally>();
  const unattributed = { inserted: 0, deleted: 0, attributes: 0 };

  /** Counts `n` of a kind of change to the author of `range` (or to the unattributed). */
  const tally = (range: AuthorshipRange | null, what: "inserted" | "deleted" | "attributes", n: number) => {
    if (range === null) {
      unattributed[what] += n;
      return;
    }
    const key = authorKey(range);
    let t = authors.get(key);
    if (!t) authors.set(key, (t = { inserted: 0, deleted: 0, attributes: 0, people: new Set(), delegation: speaksForDelegation(range) ? range.delegation : null, role: range.role }));
    t[what] += n;
    if (range.userId) t.people.add(range.userId);
  };

  const push = (runs: ChangeRun[], op: ChangeRun["op"], text: string, range: AuthorshipRange | null) => {
    if (text.length === 0) return;
    const author = op === "equal" || range === null ? null : authorKey(range);
    const at = op === "equal" || range === null ? null : range.at;
    if (op !== "equal") tally(range, op === "insert" ? "inserted" : "deleted", text.length);
    const last = runs[runs.length - 1];
    if (last && last.op === op && last.author === author) last.text += text;
    else runs.push({ op, text, author, at });
  };

  /** Pushes `text` (ids client, clock…) split wherever the recorded author changes. */
  const pushAttributed = (runs: ChangeRun[], op: "insert" | "delete", client: number, clock: number, text: string) => {
    const action = op;
    let offset = 0;
    while (offset < text.length) {
      const range = authorship.find(action, client, clock + offset);
      const step = Math.min(text.length - offset, authorship.sameUntil(action, client, clock + offset));
      push(runs, op, text.slice(offset, offset + step), range);
      offset += step;
    }
  };

  /** The words the version had for the ids [clock, end) of `client`, deleted since, in order. */
  const pushDeleted = (runs: ChangeRun[], client: number, clock: number, end: number) => {
    for (let at = clock; at < end; ) {
      const struct = structAt(before, client, at);
      if (struct === null) return; // written and deleted after the version: nothing to show
      const structEnd = struct.id.clock + struct.length;
      const until = Math.min(end, structEnd);
      if (struct instanceof Y.Item && !struct.deleted && struct.content instanceof Y.ContentString) {
        const text = struct.content.str.slice(at - struct.id.clock, until - struct.id.clock);
        pushAttributed(runs, "delete", client, at, text);
      }
      at = until;
    }
  };

  const textRuns = (element: Y.XmlElement): ChangeRun[] => {
    const runs: ChangeRun[] = [];
    for (let child = element._start; child !== null; child = child.right) {
      if (child.deleted || !(child.content instanceof Y.ContentType) || !(child.content.type instanceof Y.XmlText)) continue;
      for (let item = (child.content.type as Y.XmlText)._start; item !== null; item = item.right) {
        const { client, clock } = item.id;
        if (item.deleted) {
          // Its content is gone here (ContentDeleted): the version says what it was, if it had it.
          pushDeleted(runs, client, clock, clock + item.length);
          continue;
        }
        if (!(item.content instanceof Y.ContentString)) continue;
        const text = item.content.str;
        const known = seen.get(client) ?? 0;
        // An item may straddle the version's state: its first part old, the rest new.
        const old = Math.max(0, Math.min(text.length, known - clock));
        if (old > 0) push(runs, "equal", text.slice(0, old), null);
        if (old < text.length) pushAttributed(runs, "insert", client, clock + old, text.slice(old));
      }
    }
    return runs;
  };

  /**
   * The attributes of a block the version had that changed since: each key's current
   * item (a value set after the version, or the removal of the version's value), read
   * against the version's element, and attributed to the update that wrote it.
   */
  const attributeChanges = (element: Y.XmlElement, then: Y.XmlElement): AttributeChange[] => {
    const changes: AttributeChange[] = [];
    for (const [name, item] of element._map) {
      if (name === "id") continue;
      const from = attributeValue(then.getAttribute(name));
      let to: AttributeChange["to"];
      let range: AuthorshipRange | null;
      if (!item.deleted) {
        // Set since the version (the version's own value is an older item of this key).
        if (item.id.clock < (seen.get(item.id.client) ?? 0)) continue;
        to = attributeValue(item.content.getContent()[0]);
        range = authorship.find("insert", item.id.client, item.id.clock);
      } else {
        if (from === null) continue;
        to = null;
        range = authorship.find("delete", item.id.client, item.id.clock);
      }
      if (to === from) continue;
      tally(range, "attributes", 1);
      changes.push({ name, from, to, author: range === null ? null : authorKey(range), at: range?.at ?? null });
    }
    return changes.sort((a, b) => a.name.localeCompare(b.name));
  };

  const paragraphs: ChangedParagraph[] = [];
  for (let item = textFragment(now)._start; item !== null; item = item.right) {
    if (!item.deleted) {
      if (!(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) continue;
      const element = item.content.type as Y.XmlElement;
      const block = blockOfYElement(element);
      if (!block) continue;
      const runs = textRuns(element);
      const added = !inVersion(item.id);
      const then = added ? null : (Y.getItem(before.store, item.id).content as Y.ContentType).type as Y.XmlElement;
      const attributes = then ? attributeChanges(element, then) : [];
      const change = added ? "added" : runs.some((r) => r.op !== "equal") || attributes.length > 0 ? "changed" : "same";
      paragraphs.push({ id: block.id, kind: block.kind, ref: refNow.get(block.id) ?? null, change, runs, attributes });
      continue;
    }
    // A block the version had and the current text has deleted: its words, as they were.
    if (!inVersion(item.id)) continue;
    const then = Y.getItem(before.store, item.id);
    if (!(then.content instanceof Y.ContentType) || !(then.content.type instanceof Y.XmlElement)) continue;
    const block = blockOfYElement(then.content.type as Y.XmlElement);
    if (!block) continue;
    const words = block.runs.map((r) => r.text).join("");
    const runs: ChangeRun[] = [];
    const range = authorship.find("delete", item.id.client, item.id.clock);
    push(runs, "delete", words, range);
    paragraphs.push({ id: block.id, kind: block.kind, ref: refThen.get(block.id) ?? null, change: "deleted", runs, attributes: [] });
  }
  return { paragraphs, authors, unattributed };
}

/** Names the authors: a delegation by its name and code, a person by name and role. */
function describeAuthors(ctx: AppContext, documentId: string, tallies: Map<string, Tally>): ChangeAuthor[] {
  const meetingId = statement(ctx.db, "SELECT meeting_id FROM documents WHERE id = ?").get(documentId) as { meeting_id: string };
  const authors: ChangeAuthor[] = [];
  for (const [key, tally] of tallies) {
    const people = [...tally.people].map(
      (id) => (statement(ctx.db, "SELECT display_name FROM users WHERE id = ?").get(id) as { display_name: string } | undefined)?.display_name ?? id,
    );
    let label: string;
    if (tally.delegation) {
      const row = statement(ctx.db, "SELECT name FROM delegations WHERE meeting_id = ? AND code = ?").get(meetingId.meeting_id, tally.delegation) as
        | { name: string }
        | undefined;
      label = row ? `${row.name} (${tally.delegation})` : tally.delegation;
    } else {
      label = `${people.join(", ") || "Server"}${tally.role ? ` (${tally.role})` : ""}`;
    }
    authors.push({ key, label, delegation: tally.delegation, people, inserted: tally.inserted, deleted: tally.deleted, attributes: tally.attributes });
  }
  return authors.sort((a, b) => a.label.localeCompare(b.label));
}

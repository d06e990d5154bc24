/**
 * The "changes since a version" view (who wrote what), as the server answers it and the
 * editor shows it: `GET /api/documents/:id/changes?since=<versionId>` (docs/API.md).
 */

/** A run of text in the "changes since" view: kept, inserted or deleted since the version, and by whom. */
export interface ChangeRun {
  op: "equal" | "insert" | "delete";
  text: string;
  /** Key of the author in `authors` (null: unchanged text, or a change made before authorship was recorded). */
  author: string | null;
  /** When the change was accepted (null with `author`). */
  at: string | null;
}

/**
 * A block attribute set or removed since the version (`numbering`, `kind`, `level`…), and
 * by whom: the Yjs item that holds the attribute's value now (or its removal) was recorded
 * with the update that made it.
 */
export interface AttributeChange {
  name: string;
  /** The value in the version (null: not set). */
  from: string | number | boolean | null;
  /** The value now (null: removed). */
  to: string | number | boolean | null;
  /** Key of the author in `authors` (null: made before authorship was recorded). */
  author: string | null;
  at: string | null;
}

/** One block of the text with its changes since the version. */
export interface ChangedParagraph {
  id: string;
  kind: string;
  /** How the paragraph is cited now (or, deleted, in the version): `OP2`, `PP3`; null for the title and headings. */
  ref: string | null;
  change: "added" | "deleted" | "changed" | "same";
  runs: ChangeRun[];
  /** Attributes of a block the version had that changed since (none for added and deleted blocks). */
  attributes: AttributeChange[];
}

/** Who made changes: a delegation, or a person without one (the secretariat, a chair). */
export interface ChangeAuthor {
  key: string;
  label: string;
  delegation: string | null;
  /** The people of this author who made the changes, by name. */
  people: string[];
  /** Characters inserted and deleted. */
  inserted: number;
  deleted: number;
  /** Block attributes changed. */
  attributes: number;
}

/** The "changes since" view of a document: every insertion and deletion since a version, attributed. */
export interface ChangesSince {
  since: { versionId: string; label: string; symbol: string; hash: string };
  to: { label: string; hash: string };
  authors: ChangeAuthor[];
  paragraphs: ChangedParagraph[];
  summary: { inserted: number; deleted: number; attributes: number; paragraphsChanged: number };
}

/**
 * What the features read of the store about paragraphs (their status, open brackets,
 * tabled amendments) while one batch of text changes is validated or reacted to, read
 * once per kind for every paragraph the batch touches.
 *
 * On PostgreSQL every statement is a synchronous round trip: one read per touched
 * paragraph per feature made a flush of typing in many paragraphs dozens of them. Whoever
 * validates or reacts to a batch declares its paragraphs; the first read of a kind for one
 * of them reads that kind for all of them in one statement, the later ones are answered
 * from it. It lives for one batch only: a reaction that writes rows of a kind `forget`s it
 * for the document, so that later reads of the batch see what it wrote.
 */
export class ParagraphReads {
  /** Per kind and document: the paragraphs read so far, and their rows (a paragraph without rows is absent). */
  private readonly loaded = new Map<string, { ids: Set<string>; rows: Map<string, unknown> }>();

  /** `paragraphsOf(documentId)`: the paragraphs of that document the batch touches (none when nothing is declared). */
  constructor(private readonly paragraphsOf: (documentId: string) => Iterable<string> = () => []) {}

  /** Reads for the paragraphs `ids` of one document (a validation of one document's change). */
  static of(documentId: string, ids: Iterable<string>): ParagraphReads {
    return new ParagraphReads((id) => (id === documentId ? ids : []));
  }

  /**
   * The rows of kind `kind` for one paragraph: `load(paragraphIds)` reads them for every
   * given paragraph in one statement (a map by paragraph; a paragraph without rows left
   * out), called on the first use of the kind for this document, with every declared
   * paragraph not read yet, and again only for a paragraph that was not declared. `none`
   * is the answer for a paragraph without rows.
   */
  read<T>(kind: string, documentId: string, paragraphId: string, load: (paragraphIds: string[]) => Map<string, T>, none: T): T {
    const key = `${kind}\n${documentId}`;
    let entry = this.loaded.get(key);
    if (!entry) this.loaded.set(key, (entry = { ids: new Set(), rows: new Map() }));
    if (!entry.ids.has(paragraphId)) {
      const wanted = new Set<string>([paragraphId]);
      for (const id of this.paragraphsOf(documentId)) if (!entry.ids.has(id)) wanted.add(id);
      const ids = [...wanted];
      for (const [id, rows] of load(ids)) entry.rows.set(id, rows);
      for (const id of ids) entry.ids.add(id);
    }
    return entry.rows.has(paragraphId) ? (entry.rows.get(paragraphId) as T) : none;
  }

  /** Drops what was read of kind `kind` for the document: its rows were just written, later reads read again. */
  forget(kind: string, documentId: string): void {
    this.loaded.delete(`${kind}\n${documentId}`);
  }
}

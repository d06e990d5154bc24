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

  /**
   * `paragraphsOf(documentId)`: the paragraphs of that document the batch touches (none when
   * nothing is declared); `documents`: the documents whose paragraphs it declares, for the
   * reads of every document at once (`readAcross`).
   */
  constructor(
    private readonly paragraphsOf: (documentId: string) => Iterable<string> = () => [],
    private readonly documents: readonly string[] = [],
  ) {}

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

  /**
   * `read`, for a kind whose rows can be read for several documents in one statement:
   * `loadAll(wanted)` reads them for the given paragraphs of each given document (a map by
   * document, then by paragraph, as `load` answers for one). Its first use for a document
   * reads the kind for every declared document not read yet as well: a flush of typing in
   * many documents otherwise made one statement per document, each a round trip on
   * PostgreSQL, for each kind.
   */
  readAcross<T>(
    kind: string,
    documentId: string,
    paragraphId: string,
    loadAll: (wanted: Map<string, string[]>) => Map<string, Map<string, T>>,
    none: T,
  ): T {
    const entry = this.loaded.get(`${kind}\n${documentId}`);
    if (entry?.ids.has(paragraphId)) return entry.rows.has(paragraphId) ? (entry.rows.get(paragraphId) as T) : none;
    const wanted = new Map<string, string[]>();
    const missing = (id: string, ids: Iterable<string>, first?: string) => {
      const known = this.loaded.get(`${kind}\n${id}`)?.ids;
      const set = new Set<string>(first === undefined ? [] : [first]);
      for (const p of ids) if (!known?.has(p)) set.add(p);
      if (set.size > 0) wanted.set(id, [...set]);
    };
    missing(documentId, this.paragraphsOf(documentId), paragraphId);
    // The other documents only where nothing of the kind was read for them yet: a document
    // read already (or forgotten after a write) is read again when it is asked for.
    for (const id of this.documents) if (id !== documentId && !this.loaded.has(`${kind}\n${id}`)) missing(id, this.paragraphsOf(id));
    const read = loadAll(wanted);
    for (const [id, ids] of wanted) {
      const key = `${kind}\n${id}`;
      let target = this.loaded.get(key);
      if (!target) this.loaded.set(key, (target = { ids: new Set(), rows: new Map() }));
      for (const [p, rows] of read.get(id) ?? []) target.rows.set(p, rows);
      for (const p of ids) target.ids.add(p);
    }
    const rows = this.loaded.get(`${kind}\n${documentId}`)!.rows;
    return rows.has(paragraphId) ? (rows.get(paragraphId) as T) : none;
  }

  /** Drops what was read of kind `kind` for the document: its rows were just written, later reads read again. */
  forget(kind: string, documentId: string): void {
    this.loaded.delete(`${kind}\n${documentId}`);
  }
}

/**
 * Rows read for the paragraphs of several documents in one statement (which matches any
 * asked document with any asked paragraph), grouped as `ParagraphReads.readAcross` takes
 * them: by document, then by paragraph, in the rows' order, leaving out a row of a
 * paragraph not asked for in its document. Each row comes with the paragraph it stands in;
 * a row found twice for one paragraph (the same `id`) is kept once.
 */
export function groupAcross<R extends { id: string; document_id: string }>(
  wanted: ReadonlyMap<string, readonly string[]>,
  rows: Iterable<readonly [paragraphId: string, row: R]>,
): Map<string, Map<string, R[]>> {
  const asked = new Map([...wanted].map(([documentId, ids]) => [documentId, new Set(ids)]));
  const out = new Map<string, Map<string, R[]>>();
  for (const [paragraphId, row] of rows) {
    if (!asked.get(row.document_id)?.has(paragraphId)) continue;
    let byParagraph = out.get(row.document_id);
    if (!byParagraph) out.set(row.document_id, (byParagraph = new Map()));
    const list = byParagraph.get(paragraphId);
    if (!list) byParagraph.set(paragraphId, [row]);
    else if (!list.some((r) => r.id === row.id)) list.push(row);
  }
  return out;
}

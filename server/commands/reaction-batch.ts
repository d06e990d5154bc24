import { ParagraphReads } from "../collab/paragraph-reads.js";

/**
 * What the reactions to one batch of accepted text changes share, inside its transaction.
 *
 * A flush hands the features every update that arrived during one turn, already applied
 * to the rooms: the live text each reaction reads is the same for every update of the
 * batch, so a check of a paragraph against it (a tabled amendment's base, an open
 * bracket's words) needs doing once, and rows written for each update (who wrote what)
 * can go to the store in one statement. On PostgreSQL every statement is a round trip;
 * one per update per feature would bound the accepted updates of a document by the
 * round trips a second holds. A command's own text change is a batch of one.
 */
export class ReactionBatch {
  /**
   * What the reactions read about the batch's paragraphs (open brackets, tabled
   * amendments), read once per kind for all of them: a reaction that writes such rows
   * `forget`s them for the document.
   */
  readonly reads: ParagraphReads;
  private readonly claimed = new Set<string>();
  private readonly remembered = new Map<string, unknown>();
  private readonly endings: Array<() => void> = [];
  private ended = false;

  /**
   * `paragraphsOf(documentId)`: the paragraphs of that document the batch's changes touch
   * or remove (see `ParagraphReads`); `documents`: the documents whose changes it holds
   * (see `rememberOfDocument`).
   */
  constructor(
    paragraphsOf?: (documentId: string) => Iterable<string>,
    private readonly documents: readonly string[] = [],
  ) {
    this.reads = new ParagraphReads(paragraphsOf, documents);
  }

  /** True the first time `key` is claimed in this batch, false every later time. */
  first(key: string): boolean {
    if (this.claimed.has(key)) return false;
    this.claimed.add(key);
    return true;
  }

  /**
   * What `read` answers for `key`, read on its first use in this batch only. For facts no
   * reaction of the batch changes (a document's language versions, whether it feeds a
   * consolidation), or for a list the batch fills and writes at its end.
   */
  remember<T>(key: string, read: () => T): T {
    if (this.remembered.has(key)) return this.remembered.get(key) as T;
    const value = read();
    this.remembered.set(key, value);
    return value;
  }

  /**
   * A fact of the kind `kind` about one document, remembered as `remember` does, but read on
   * its first use for every document of the batch at once: `readAll(documentIds)` answers a
   * map by document (a document left out gets `none`). A flush holding many busy documents
   * otherwise read such a fact once per document, each a round trip on PostgreSQL.
   */
  rememberOfDocument<T>(kind: string, documentId: string, readAll: (documentIds: string[]) => Map<string, T>, none: T): T {
    const key = `${kind}\n${documentId}`;
    if (this.remembered.has(key)) return this.remembered.get(key) as T;
    const ids = [...new Set([documentId, ...this.documents])].filter((id) => !this.remembered.has(`${kind}\n${id}`));
    const read = readAll(ids);
    for (const id of ids) this.remembered.set(`${kind}\n${id}`, read.has(id) ? read.get(id) : none);
    return this.remembered.get(key) as T;
  }

  /** Runs `fn` when the batch ends, still inside its transaction (in the order asked). */
  atEnd(fn: () => void): void {
    if (this.ended) throw new Error("this batch of reactions has ended");
    this.endings.push(fn);
  }

  /** Ends the batch: runs what `atEnd` asked for. Called by whoever ran the reactions. */
  end(): void {
    this.ended = true;
    for (const fn of this.endings) fn();
  }
}

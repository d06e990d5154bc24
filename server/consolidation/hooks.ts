import type { CommandTx } from "../commands/command.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { AppContext } from "../context.js";
import { documentEvent, type DocumentEvent } from "../events/events.js";
import { dependentsOf, feedingConsolidation } from "./store.js";

/** What changed in one source, for one consolidated document. */
interface SourceChange {
  documentId: string;
  sourceDocumentId: string;
  sourceParagraphIds: Set<string>;
  paragraphIds: Set<string>;
  user: AcceptedTextChange["user"];
}

/**
 * At most one `provenance.source_changed` per consolidated document and source each
 * NOTICE_INTERVAL_MS: the first at once, what follows merged into one at the end of the
 * interval. Delegates typing in a report make several changes a second, and each notice
 * makes every open provenance view ask for a new report.
 */
const NOTICE_INTERVAL_MS = 1000;

interface Window {
  until: number;
  merged: SourceChange | null;
  timer: NodeJS.Timeout | null;
}

const windows = new WeakMap<AppContext, Map<string, Window>>();

function sourceChangedEvent(c: SourceChange): DocumentEvent {
  return documentEvent(
    c.documentId,
    "provenance.source_changed",
    { sourceDocumentId: c.sourceDocumentId, sourceParagraphIds: [...c.sourceParagraphIds], paragraphIds: [...c.paragraphIds] },
    c.user,
  );
}

function send(ctx: AppContext, c: SourceChange): void {
  ctx.rooms.publish(sourceChangedEvent(c));
}

function merge(into: SourceChange, c: SourceChange): void {
  for (const id of c.sourceParagraphIds) into.sourceParagraphIds.add(id);
  for (const id of c.paragraphIds) into.paragraphIds.add(id);
  into.user = c.user;
}

/** Sends a notice now, or merges it into the one due at the end of the current interval. */
function notify(ctx: AppContext, c: SourceChange): void {
  let open = windows.get(ctx);
  if (!open) windows.set(ctx, (open = new Map()));
  const key = `${c.documentId}\n${c.sourceDocumentId}`;
  const now = Date.now();
  const window = open.get(key);
  if (!window || now >= window.until) {
    send(ctx, c);
    open.set(key, { until: now + NOTICE_INTERVAL_MS, merged: null, timer: null });
    return;
  }
  if (window.merged) merge(window.merged, c);
  else window.merged = c;
  if (window.timer) return;
  window.timer = setTimeout(() => {
    open.delete(key);
    if (window.merged) notify(ctx, window.merged);
  }, window.until - now);
  // A pending notice must not keep a stopping server alive.
  window.timer.unref();
}

/**
 * Registers the reaction that tells open consolidated documents when one of their source
 * paragraphs changed or was deleted (`provenance.source_changed`, after the commit), so
 * their provenance view can refresh; the first change of each source in a transaction is
 * also told to the features' event reactions inside it. One indexed lookup per accepted text change; one probe
 * for documents that feed no consolidation.
 */
export function watchSources(ctx: AppContext): void {
  // Changes of one transaction are gathered and announced once it committed.
  const gathered = new WeakMap<CommandTx, Map<string, SourceChange>>();
  ctx.hooks.onTextChange((tx, accepted) => {
    const ids = [...accepted.change.touched, ...accepted.removedBlockIds];
    const source = accepted.room.id;
    // Whether the document feeds a consolidation cannot change within a batch of reactions.
    const dependents = dependentsOf(tx.ctx, source, ids, () =>
      accepted.batch.rememberOfDocument("feeds consolidation", source, (ids) => {
        const feeding = feedingConsolidation(tx.ctx, ids);
        return new Map(ids.map((id) => [id, feeding.has(id)]));
      }, false),
    );
    if (dependents.length === 0) return;
    let changes = gathered.get(tx);
    if (!changes) {
      const fresh = new Map<string, SourceChange>();
      changes = fresh;
      gathered.set(tx, fresh);
      tx.afterCommit(() => {
        for (const c of fresh.values()) notify(ctx, c);
      });
    }
    for (const d of dependents) {
      const key = `${d.document_id}\n${accepted.room.id}`;
      const c: SourceChange = {
        documentId: d.document_id,
        sourceDocumentId: accepted.room.id,
        sourceParagraphIds: new Set([d.source_paragraph_id]),
        paragraphIds: new Set([d.paragraph_id]),
        user: accepted.user,
      };
      const known = changes.get(key);
      if (known) merge(known, c);
      else {
        changes.set(key, c);
        // Features that keep a record of it (the rapporteur's inbox) hear it in this
        // transaction; clients get the paced notice after the commit.
        tx.tell(sourceChangedEvent(c));
      }
    }
  });
}

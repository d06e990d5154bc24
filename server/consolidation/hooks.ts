import type { CommandTx } from "../commands/command.js";
import type { AcceptedTextChange } from "../commands/hooks.js";
import type { AppContext } from "../context.js";
import { documentEvent } from "../events/events.js";
import { dependentsOf } from "./store.js";

/** What one transaction changed in sources, per consolidated document. */
type Changed = Map<
  string,
  { documentId: string; sourceDocumentId: string; sourceParagraphIds: Set<string>; paragraphIds: Set<string>; user: AcceptedTextChange["user"] }
>;

// Typing in a source makes many changes per event-loop turn; one event per consolidated
// document and transaction is enough for an open view to refresh its provenance.
const changedIn = new WeakMap<CommandTx, Changed>();

/**
 * Registers the reaction that tells open consolidated documents when one of their source
 * paragraphs changed or was deleted (`provenance.source_changed`), so their provenance view
 * can refresh. One indexed lookup per accepted text change; nothing for documents that feed
 * no consolidation.
 */
export function watchSources(ctx: AppContext): void {
  ctx.hooks.onTextChange((tx, accepted: AcceptedTextChange) => {
    const ids = [...accepted.change.touched, ...accepted.removedBlockIds];
    const dependents = dependentsOf(tx.ctx, accepted.room.id, ids);
    if (dependents.length === 0) return;
    let changed = changedIn.get(tx);
    if (!changed) {
      const fresh: Changed = new Map();
      changed = fresh;
      changedIn.set(tx, fresh);
      tx.afterCommit(() => {
        for (const c of fresh.values()) {
          ctx.rooms.publish(
            documentEvent(
              c.documentId,
              "provenance.source_changed",
              { sourceDocumentId: c.sourceDocumentId, sourceParagraphIds: [...c.sourceParagraphIds], paragraphIds: [...c.paragraphIds] },
              c.user,
            ),
          );
        }
      });
    }
    for (const d of dependents) {
      const key = `${d.document_id}\n${accepted.room.id}`;
      let entry = changed.get(key);
      if (!entry) {
        entry = { documentId: d.document_id, sourceDocumentId: accepted.room.id, sourceParagraphIds: new Set(), paragraphIds: new Set(), user: accepted.user };
        changed.set(key, entry);
      }
      entry.sourceParagraphIds.add(d.source_paragraph_id);
      entry.paragraphIds.add(d.paragraph_id);
    }
  });
}

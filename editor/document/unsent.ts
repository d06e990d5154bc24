import * as Y from "yjs";
import * as decoding from "lib0/decoding";

/** y-protocols' sync message kinds (y-protocols/sync). */
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/**
 * What the server is known to have of this document, per Yjs client: its state vector as
 * it greets us (sync step 1) and every update it sends (its replies and its broadcasts,
 * which include our own accepted updates). The server sends nothing before it is durable,
 * so whatever the local document has beyond that is not yet safe on the server.
 */
export class ServerReceipts {
  private readonly known = new Map<number, number>();
  /** Ranges this person deleted that the server has not yet echoed: deletions add no clock to compare. */
  private deletions: Array<{ client: number; clock: number; len: number }> = [];

  constructor(private readonly doc: Y.Doc) {}

  /** Notes a local update (this person's edit): its deletions wait for the server's echo. */
  noteLocal(update: Uint8Array): void {
    for (const [client, ranges] of Y.decodeUpdate(update).ds.clients) for (const { clock, len } of ranges) this.deletions.push({ client, clock, len });
  }

  /** Reads a sync message from the server (without consuming `decoder`) and notes what it shows the server has. */
  note(decoder: decoding.Decoder): void {
    try {
      const copy = decoding.clone(decoder);
      const kind = decoding.readVarUint(copy);
      const payload = decoding.readVarUint8Array(copy);
      if (kind === SYNC_STEP1) this.raise(Y.decodeStateVector(payload));
      else if (kind === SYNC_STEP2 || kind === SYNC_UPDATE) {
        this.raise(Y.parseUpdateMeta(payload).to);
        if (this.deletions.length > 0) this.echoed(Y.decodeUpdate(payload).ds.clients);
      }
    } catch {
      // A message we cannot read is the sync handler's to reject; it tells us nothing.
    }
  }

  /** How many changes (inserted characters and elements, deleted ranges) the server does not have yet. */
  unsent(): number {
    let missing = this.deletions.length;
    for (const [client, structs] of this.doc.store.clients) {
      const last = structs[structs.length - 1];
      if (!last) continue;
      const local = last.id.clock + last.length;
      missing += Math.max(0, local - (this.known.get(client) ?? 0));
    }
    return missing;
  }

  /** Drops the pending deletions the server's deletions cover. */
  private echoed(server: Map<number, Array<{ clock: number; len: number }>>): void {
    this.deletions = this.deletions.filter(
      (d) => !(server.get(d.client) ?? []).some((r) => r.clock <= d.clock && d.clock + d.len <= r.clock + r.len),
    );
  }

  private raise(clocks: Map<number, number>): void {
    for (const [client, clock] of clocks) if (clock > (this.known.get(client) ?? 0)) this.known.set(client, clock);
  }
}

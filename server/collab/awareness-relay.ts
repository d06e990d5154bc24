import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** One client's presence as the relay keeps it: its clock and its state as JSON ("null" once gone). */
interface Presence {
  clock: number;
  json: string;
}

/**
 * Awareness (presence: cursors, names) relayed the cheap way. The y-protocols Awareness
 * class parses, compares and re-serialises every state and emits events for each message;
 * the server needs none of that. This keeps each client's last state as the JSON it will
 * send, accepts a state only when its clock is newer (the y-protocols rule, so stock
 * clients see the same behaviour), and re-serialises only to stamp who is behind it.
 */
export class AwarenessRelay {
  private readonly presence = new Map<number, Presence>();
  private readonly changed = new Set<number>();

  /**
   * Applies an awareness update (y-protocols encoding). `stamp` rewrites a state's claimed
   * identity; `owned` receives the client ids the sender announced. Returns whether
   * anything changed.
   */
  apply(update: Uint8Array, stamp: (state: Record<string, unknown>) => void, owned: Set<number>): boolean {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    let any = false;
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      const known = this.presence.get(client);
      const isNull = json === "null";
      if (known !== undefined && !(known.clock < clock || (known.clock === clock && isNull && known.json !== "null"))) continue;
      let stamped = "null";
      if (!isNull) {
        const state = JSON.parse(json) as unknown;
        if (state !== null && typeof state === "object") {
          stamp(state as Record<string, unknown>);
          stamped = JSON.stringify(state);
        }
      }
      owned.add(client);
      this.presence.set(client, { clock, json: stamped });
      this.changed.add(client);
      any = true;
    }
    return any;
  }

  /** Marks `clients` as gone (their connection closed), as y-protocols' removal does. */
  remove(clients: Iterable<number>): boolean {
    let any = false;
    for (const client of clients) {
      const known = this.presence.get(client);
      if (!known || known.json === "null") continue;
      this.presence.set(client, { clock: known.clock + 1, json: "null" });
      this.changed.add(client);
      any = true;
    }
    return any;
  }

  /** Whether some state changed since `takeChanged` last ran. */
  get hasChanges(): boolean {
    return this.changed.size > 0;
  }

  /** The update carrying every change since the last call, or null. */
  takeChanged(): Uint8Array | null {
    if (this.changed.size === 0) return null;
    const update = this.encode(this.changed);
    this.changed.clear();
    return update;
  }

  /** The update carrying every present client's state (for a newcomer), or null if nobody is here. */
  encodeAll(): Uint8Array | null {
    const present = [...this.presence].filter(([, p]) => p.json !== "null").map(([client]) => client);
    return present.length > 0 ? this.encode(present) : null;
  }

  private encode(clients: Iterable<number>): Uint8Array {
    const list = [...clients];
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, list.length);
    for (const client of list) {
      const p = this.presence.get(client)!;
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, p.clock);
      encoding.writeVarString(e, p.json);
    }
    return encoding.toUint8Array(e);
  }
}

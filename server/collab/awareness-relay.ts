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
  /** When each client's presence was last relayed (performance.now()). */
  private readonly relayedAt = new Map<number, number>();
  /** Clients present now (state not null). */
  private presentCount = 0;

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
      this.presentCount += Number(stamped !== "null") - Number(known !== undefined && known.json !== "null");
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
      this.presentCount -= 1;
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

  /** Clients present now. */
  get present(): number {
    return this.presentCount;
  }

  /**
   * The update carrying the changes to relay now, or null, and when the next held one is
   * due (ms from `now`, or null if none is held). A client whose presence was relayed less
   * than `minIntervalMs` ago is held back and relayed later with its latest state; a client
   * leaving is never held.
   */
  takeChanged(now = performance.now(), minIntervalMs = 0): { update: Uint8Array | null; nextInMs: number | null } {
    if (this.changed.size === 0) return { update: null, nextInMs: null };
    const due: number[] = [];
    let nextInMs: number | null = null;
    for (const client of this.changed) {
      const wait = (this.relayedAt.get(client) ?? -Infinity) + minIntervalMs - now;
      if (wait > 0 && this.presence.get(client)!.json !== "null") {
        nextInMs = nextInMs === null ? wait : Math.min(nextInMs, wait);
        continue;
      }
      due.push(client);
    }
    for (const client of due) {
      this.changed.delete(client);
      if (this.presence.get(client)!.json === "null") this.relayedAt.delete(client);
      else this.relayedAt.set(client, now);
    }
    return { update: due.length > 0 ? this.encode(due) : null, nextInMs };
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

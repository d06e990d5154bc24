import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

/** How much presence one connection may set (see `AwarenessRelay.apply`). */
export interface PresenceLimits {
  /** Largest state, bytes of JSON. */
  maxStateBytes: number;
  /** Most client ids one connection may introduce, and so states it may set in one message. */
  maxStates: number;
}

/** Limits generous enough for any stock client (one client id, states of a few hundred bytes). */
const DEFAULT_PRESENCE_LIMITS: PresenceLimits = { maxStateBytes: 8192, maxStates: 4 };

// Most that the server's stamp (who is behind a state) adds to a state's JSON, bytes.
const STAMP_BYTES = 512;

/** What `apply` did: whether anything changed, why the message was refused (null if it was not), and how many states it set. */
export interface PresenceResult {
  changed: boolean;
  problem: string | null;
  set: number;
}

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
  /** The connection (its set of announced ids) that introduced each client id still connected. */
  private readonly owners = new Map<number, Set<number>>();

  constructor(private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS) {}

  /**
   * Applies an awareness update (y-protocols encoding) from the connection whose announced
   * ids are `owned`; `stamp` rewrites a state's claimed identity. A connection sets only
   * the client ids it introduced: a stock client echoes others' states back (same clock,
   * dropped here unseen), but a newer state or a removal of another connection's id is a
   * forgery, and the whole message is refused, as is one past the limits (state size,
   * states per message, ids per connection). Nothing of a refused message is relayed.
   * `mayTakeOver(owner)` lets a connection take an id over from another (the same person
   * reconnecting while the old socket is not yet known to be dead).
   */
  apply(
    update: Uint8Array,
    stamp: (state: Record<string, unknown>) => void,
    owned: Set<number>,
    mayTakeOver: (owner: Set<number>) => boolean = () => false,
  ): PresenceResult {
    const { maxStateBytes, maxStates } = this.limits;
    // Larger than the most it may carry (its own states, and an echo of everyone's as the
    // relay sent them, which a stock client sends back whenever presence arrives): refused
    // before a byte of it is decoded. Counting only its own refused every stock client's
    // echo once a few hundred people were present, and dropped it after 50 of them.
    if (update.length > (maxStates + this.presentCount) * (maxStateBytes + STAMP_BYTES + 20) + 10)
      return refused(`a presence message may carry at most ${maxStates} states of ${maxStateBytes} bytes`);
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const mine: Array<{ client: number; clock: number; json: string }> = [];
    let introduced = 0;
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const owner = this.owners.get(client);
      if (owner !== owned && clock <= (this.presence.get(client)?.clock ?? -1)) {
        decoding.readVarUint8Array(decoder); // an echo of what the relay sent, or outdated
        continue;
      }
      if (owner !== undefined && owner !== owned && !mayTakeOver(owner)) return refused(`presence of client ${client} belongs to another connection`);
      if (decoding.peekVarUint(decoder) > maxStateBytes) return refused(`a presence state may hold at most ${maxStateBytes} bytes`);
      if (mine.length >= maxStates) return refused(`a presence message may set at most ${maxStates} states`);
      if (owner === undefined) introduced += 1;
      mine.push({ client, clock, json: decoding.readVarString(decoder) });
    }
    if (owned.size + introduced > maxStates) return refused(`a connection may announce at most ${maxStates} presence ids`);
    let set = 0;
    for (const { client, clock, json } of mine) {
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
      const previous = this.owners.get(client);
      if (previous !== undefined && previous !== owned) previous.delete(client);
      owned.add(client);
      this.owners.set(client, owned);
      this.presentCount += Number(stamped !== "null") - Number(known !== undefined && known.json !== "null");
      this.presence.set(client, { clock, json: stamped });
      this.changed.add(client);
      set += 1;
    }
    return { changed: set > 0, problem: null, set };
  }

  /** Marks `clients` as gone (their connection closed), as y-protocols' removal does. */
  remove(clients: Iterable<number>): boolean {
    let any = false;
    for (const client of clients) {
      this.owners.delete(client);
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

function refused(problem: string): PresenceResult {
  return { changed: false, problem, set: 0 };
}

import type { Config } from "../config.js";
import type { Connection } from "./connection.js";
import { AwarenessRelay } from "./awareness-relay.js";
import { encodeAwareness, encodePermissionDenied } from "./protocol.js";
import type { User } from "../auth/users.js";

// Presence changes a second that each connection is sent at most (see `Presence.take`).
const PRESENCE_BUDGET = 1000;

/**
 * The presence (cursors, names) of one document's clients: each client's changes taken
 * at a bounded rate and stamped with who is behind them, then relayed within a budget.
 * Needs no document and no storage, so an owner and a relay can both hold one.
 */
export class Presence {
  /** The states relayed, with the server's stamp. */
  readonly relay: AwarenessRelay;

  constructor(private readonly config: Pick<Config, "maxPresenceBytes" | "maxPresenceStates" | "presencePerSecond">) {
    this.relay = new AwarenessRelay({ maxStateBytes: config.maxPresenceBytes, maxStates: config.maxPresenceStates });
  }

  /** Everyone's presence as one awareness message, or null when nobody is here. */
  everyone(): Uint8Array | null {
    const present = this.relay.encodeAll();
    return present ? encodeAwareness(present) : null;
  }

  /**
   * Takes a client's presence, stamping who is behind each state it sets from the session,
   * so nobody can pose as another delegation. Only states the client actually changed are
   * stamped: a stock client echoes others' presence, which must not take their names.
   * Returns whether anything changed, or why the message is refused (the caller refuses it).
   * A client past its rate is told at most once a second and its message dropped.
   */
  receive(conn: Connection, update: Uint8Array, conns: Iterable<Connection>): { changed: boolean; problem: string | null } {
    const user = conn.user;
    // A bucket of `presencePerSecond` changes, refilled continuously: a person moving a
    // cursor never empties it; a flood is refused, and told so at most once a second.
    const rate = this.config.presencePerSecond;
    const now = performance.now();
    conn.presenceTokens = Math.min(rate, conn.presenceTokens + ((now - conn.presenceRefilledAt) * rate) / 1000);
    conn.presenceRefilledAt = now;
    if (conn.presenceTokens < 1) {
      if (now - conn.presenceRefusedAt >= 1000) {
        conn.presenceRefusedAt = now;
        conn.send(encodePermissionDenied(`presence refused: at most ${rate} presence changes a second`));
      }
      return { changed: false, problem: null };
    }
    // Inline arrows, not named ones: a named function expression gets its name set on every
    // call here (the server runs under tsx), which showed in profiles of 600 editors.
    const result = this.relay.apply(
      update,
      (state) => stampPresence(state, user),
      conn.awarenessIds,
      // The same person's other connection may hand its ids over (a reconnect before the old socket is found dead).
      (owner) => {
        for (const c of conns) if (c.awarenessIds === owner && c.user.id === user.id) return true;
        return false;
      },
    );
    if (result.problem !== null) return { changed: false, problem: `presence refused: ${result.problem}` };
    conn.presenceTokens -= result.set;
    return { changed: result.changed, problem: null };
  }

  /**
   * The presence changes to relay now, as one awareness message (or null), and when the
   * next held one is due (ms, or null). Each person's presence goes out at most every
   * `present / PRESENCE_BUDGET` seconds: in a room of 800 moving their cursors five times
   * a second, 4,000 states a second would reach every screen; past the budget each cursor
   * is relayed less often, with its latest position.
   */
  take(): { message: Uint8Array | null; nextInMs: number | null } {
    const presence = this.relay.takeChanged(performance.now(), (this.relay.present / PRESENCE_BUDGET) * 1000);
    return { message: presence.update ? encodeAwareness(presence.update) : null, nextInMs: presence.nextInMs };
  }

  /** Whether some presence changed and was not relayed yet. */
  get hasChanges(): boolean {
    return this.relay.hasChanges;
  }

  /** Removes the presence of a connection that closed; true if anyone must be told. */
  remove(conn: Connection): boolean {
    return this.relay.remove(conn.awarenessIds);
  }
}

/**
 * Sets who is behind a presence state (the session's user) over whatever the client
 * claimed in `state.user`, keeping its other fields (a colour, say). The claimed object,
 * fresh from JSON.parse, is overwritten in place: copying it with an object spread cost
 * several microseconds a message in V8, a tenth of a presence message's whole cost. The
 * JSON that comes out is the same as the copy's (same keys, same order).
 */
function stampPresence(state: Record<string, unknown>, user: User): void {
  const claimed = state.user;
  const stamped: Record<string, unknown> =
    claimed !== null && typeof claimed === "object" && !Array.isArray(claimed) ? (claimed as Record<string, unknown>) : { ...(claimed ?? {}) };
  stamped.id = user.id;
  stamped.name = user.displayName;
  stamped.username = user.username;
  stamped.delegation = user.delegation;
  stamped.role = user.role;
  state.user = stamped;
}

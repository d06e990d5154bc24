import type { Connection } from "./connection.js";
import { binaryFrames } from "./protocol.js";

/** Sends messages to one connection in one write. */
function sendAll(conn: Connection, messages: readonly Uint8Array[]): void {
  if (messages.length === 1) conn.send(messages[0]!);
  else conn.sendFrames(binaryFrames(messages), messages);
}

/**
 * The connections of one document and what is sent to them: broadcasts, framed once and
 * written to every connection, and replies to one connection that reveal text, held until
 * the commit they need is on disk. Knows nothing of Yjs or storage: it is told which
 * commit is durable, so an owner (told by its storage) and a relay (told by its owner)
 * fan out the same way.
 */
export class FanOut {
  /** The connections that have the document open. */
  readonly conns = new Set<Connection>();
  /** Replies for one connection, held until the commit they need is on disk, in order. */
  private held: Array<{ conn: Connection; messages: readonly Uint8Array[]; needs: number }> = [];

  /** Whether replies are waiting for a commit. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  /**
   * Sends `messages` to `conn` once commit `needs` is durable: at once if `durable` already
   * reaches it and no earlier reply is waiting (replies keep their order), else with the
   * delivery that reaches it.
   */
  reply(conn: Connection, messages: readonly Uint8Array[], needs: number, durable: number): void {
    if (needs <= durable && this.held.length === 0) sendAll(conn, messages);
    else this.held.push({ conn, messages, needs });
  }

  /**
   * A delivery after commit `durableSeq` reached the disk: `messages` (the updates it made
   * durable, presence) to every connection, then the replies that waited for that commit.
   */
  deliver(messages: readonly Uint8Array[], durableSeq: number): void {
    if (messages.length > 0) this.broadcastAll(messages);
    if (this.held.length === 0) return;
    let ready = 0;
    while (ready < this.held.length && this.held[ready]!.needs <= durableSeq) ready += 1;
    const replies = this.held.splice(0, ready);
    for (const { conn, messages: m } of replies) sendAll(conn, m);
  }

  /** Told of every broadcast (a cluster's owner publishes it once for the other processes' clients). */
  onBroadcast: ((messages: readonly Uint8Array[]) => void) | null = null;

  /** Sends messages to every connection, framed once and written together (relayed ones get them from their process). */
  broadcastAll(messages: readonly Uint8Array[]): void {
    this.onBroadcast?.(messages);
    if (this.conns.size === 0) return;
    const frames = binaryFrames(messages);
    for (const conn of this.conns) if (!conn.relayed) conn.sendFrames(frames, messages);
  }

  /** Sends one message to every connection that `admits` (all when not given), encoded once. */
  send(message: Uint8Array, admits?: (conn: Connection) => boolean): void {
    for (const conn of this.conns) if (!admits || admits(conn)) conn.send(message);
  }
}

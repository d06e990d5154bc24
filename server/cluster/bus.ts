import { Redis } from "ioredis";
import { openFrame, signFrame } from "./signing.js";
import { decodeClusterMessage, encodeBatch, encodeClusterMessage, type ClusterMessage } from "./wire.js";

const PREFIX = "accord:";
const EVERYONE = `${PREFIX}all`;
// A frame holding several messages is closed at about this size, so that one frame never
// holds a subscriber's read (or Redis's buffer for it) for long.
const MAX_FRAME_BYTES = 256 * 1024;

/**
 * The processes' messages through Redis pub/sub: each process's inbox (named by its lease
 * holder id), one channel per document for its owner's deliveries, and one for everyone.
 * One connection publishes everything, so a relay receives an owner's replies to one
 * client and its deliveries to all in the order the owner sent them.
 *
 * What is sent in one turn of the event loop leaves together at its end: consecutive
 * messages for one channel go as one frame (a `batch`), signed and published once. A relay
 * with hundreds of typing clients sends its owner one frame per turn instead of one per
 * keystroke and per cursor move: the per-message costs (a PUBLISH in Redis, an HMAC on
 * each side, a read and dispatch in the subscriber) were most of what the processes spent
 * on the bus, and what starved them under load. The order of everything sent is kept,
 * across channels too. Every message is
 * signed with the cluster's key (signing.ts); one that is not, or whose signature is wrong
 * or stale, is dropped and logged: whoever can write to Redis cannot speak for a process.
 */
export class Bus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly docHandlers = new Map<string, (m: ClusterMessage) => void>();
  /** Messages to this process's inbox and to everyone. */
  onMessage: (m: ClusterMessage) => void = () => {};

  private dropped = 0;
  private lastDropLog = 0;
  /** What was sent this turn, in order, published at its end (`flush`). */
  private outbox: Array<{ channel: string; m: ClusterMessage }> = [];
  private flushing: NodeJS.Immediate | null = null;

  constructor(
    url: string,
    /** This process's inbox. */
    readonly inbox: string,
    /** The key messages are signed and checked with (`clusterKeys(secret).bus`). */
    private readonly key: Buffer,
  ) {
    // Commands wait while Redis reconnects (a restart): nothing is lost on the way out.
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: null, enableAutoPipelining: true });
    this.sub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: null });
    const report = (what: string) => (error: Error) => console.error(`redis (${what}): ${error.message}`);
    this.pub.on("error", report("publishing"));
    this.sub.on("error", report("subscribed"));
    this.sub.on("messageBuffer", (channel: Buffer, message: Buffer) => this.received(channel.toString(), message));
  }

  /** Subscribes to this process's inbox and to everyone's channel; resolves once Redis confirmed. */
  async start(): Promise<void> {
    await this.sub.subscribe(`${PREFIX}in:${this.inbox}`, EVERYONE);
  }

  private received(channel: string, message: Buffer): void {
    const payload = openFrame(this.key, channel, message);
    if (payload === null) return this.drop(channel);
    let decoded: ClusterMessage;
    try {
      decoded = decodeClusterMessage(payload);
    } catch {
      console.error(`redis: an unreadable message on ${channel}`);
      return;
    }
    for (const m of decoded.type === "batch" ? decoded.messages : [decoded]) {
      try {
        if (channel.startsWith(`${PREFIX}doc:`)) this.docHandlers.get(channel.slice(PREFIX.length + 4))?.(m);
        else this.onMessage(m);
      } catch (error) {
        console.error(`cluster: handling a ${m.type} message failed:`, error);
      }
    }
  }

  /**
   * Logs dropped messages, at most one line every 5 s (with how many since), so that a
   * flood of forged messages cannot flood the log too.
   */
  private drop(channel: string): void {
    this.dropped += 1;
    const now = Date.now();
    if (now - this.lastDropLog < 5000) return;
    console.error(`cluster: dropped ${this.dropped} unsigned, forged or stale message(s) from Redis (the last on ${channel})`);
    this.dropped = 0;
    this.lastDropLog = now;
  }

  private publish(channel: string, m: ClusterMessage): void {
    this.outbox.push({ channel, m });
    this.flushing ??= setImmediate(() => this.flush());
  }

  /** Publishes what was sent this turn, in order: each run of messages for one channel as one signed frame. */
  flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    const outbox = this.outbox;
    this.outbox = [];
    let i = 0;
    while (i < outbox.length) {
      const channel = outbox[i]!.channel;
      const run: Uint8Array[] = [];
      let bytes = 0;
      while (i < outbox.length && outbox[i]!.channel === channel && bytes < MAX_FRAME_BYTES) {
        const encoded = encodeClusterMessage(outbox[i]!.m);
        run.push(encoded);
        bytes += encoded.length;
        i += 1;
      }
      void this.pub.publish(channel, signFrame(this.key, channel, run.length === 1 ? run[0]! : encodeBatch(run)));
    }
  }

  /** Sends a message to one process's inbox. */
  send(inbox: string, m: ClusterMessage): void {
    this.publish(`${PREFIX}in:${inbox}`, m);
  }

  /** Sends a message to every process (this one too). */
  toEveryone(m: ClusterMessage): void {
    this.publish(EVERYONE, m);
  }

  /** Publishes on a document's channel (its owner's deliveries). */
  publishDocument(documentId: string, m: ClusterMessage): void {
    this.publish(`${PREFIX}doc:${documentId}`, m);
  }

  /** Listens to a document's channel; resolves once Redis confirmed the subscription. */
  async subscribeDocument(documentId: string, handler: (m: ClusterMessage) => void): Promise<void> {
    this.docHandlers.set(documentId, handler);
    await this.sub.subscribe(`${PREFIX}doc:${documentId}`);
  }

  /** Stops listening to a document's channel. */
  unsubscribeDocument(documentId: string): void {
    this.docHandlers.delete(documentId);
    void this.sub.unsubscribe(`${PREFIX}doc:${documentId}`).catch(() => {});
  }

  /** Closes both connections (what was sent this turn leaves first). */
  close(): void {
    this.flush();
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

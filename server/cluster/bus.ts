import { Redis } from "ioredis";
import { openFrame, signFrame } from "./signing.js";
import { decodeClusterMessage, encodeClusterMessage, type ClusterMessage } from "./wire.js";

const PREFIX = "accord:";
const EVERYONE = `${PREFIX}all`;

/**
 * The processes' messages through Redis pub/sub: each process's inbox (named by its lease
 * holder id), one channel per document for its owner's deliveries, and one for everyone.
 * One connection publishes everything, so a relay receives an owner's replies to one
 * client and its deliveries to all in the order the owner sent them. Every message is
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
    try {
      if (channel.startsWith(`${PREFIX}doc:`)) this.docHandlers.get(channel.slice(PREFIX.length + 4))?.(decoded);
      else this.onMessage(decoded);
    } catch (error) {
      console.error(`cluster: handling a ${decoded.type} message failed:`, error);
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
    void this.pub.publish(channel, signFrame(this.key, channel, encodeClusterMessage(m)));
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

  /** Closes both connections. */
  close(): void {
    this.pub.disconnect();
    this.sub.disconnect();
  }
}

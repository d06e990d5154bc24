import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";

// Sockets read in bursts, every DRAIN_MS: the kernel holds what arrives in between (a few
// tens of KB at most), and one read takes it all, where reading each broadcast as it comes
// would cost the generator as many wake-ups as the server has writes.
const DRAIN_MS = 100;
const reading = new Set<Socket>();
setInterval(() => {
  for (const socket of reading) socket.resume();
  setImmediate(() => {
    for (const socket of reading) socket.pause();
  });
}, DRAIN_MS).unref();

/**
 * A minimal websocket client for light writers and watchers: it performs the upgrade,
 * sends binary frames, and reads only the headers of what it receives, skipping every
 * payload but a ping's, which it answers as every client does (a server drops a client
 * that does not: runs longer than its heartbeat lost their writers). Decoding messages is
 * what makes a full client cost as much as the server it measures; here a burst of
 * broadcasts is one read whose frames are stepped over.
 */
export class RawSocket {
  private readonly socket: Socket;
  private upgraded = false;
  private upgradeHead = "";
  /** Bytes received after the upgrade (broadcasts, replies). */
  bytesIn = 0;
  /** Set when the connection ended (the server closed it, or it failed). */
  closed = false;
  /** The server's close frame, as `code reason` ("" until one arrived: a connection that just ended has none). */
  closeReason = "";
  /** Resolves once the server accepted the upgrade. */
  readonly open: Promise<void>;
  /** Resolves when the connection ended (or could not be made). */
  readonly closedPromise: Promise<void>;
  /** Payload bytes of the current frame still to step over. */
  private skip = 0;
  /** A frame header split across reads, carried to the next one. */
  private head: Buffer | null = null;
  /** The payload of a ping being read, answered once whole. */
  private ping: Buffer[] | null = null;
  /** The payload of a close frame being read, kept once whole in `closeReason`. */
  private closing: Buffer[] | null = null;
  /** The first two payload bytes of the binary message being read, while fewer than two are in. */
  private peek: number[] | null = null;
  /**
   * Called for every sync step 1 the server sends (a message starting 0, 0): a greeting,
   * which a stock client answers with everything the server lacks. Only those two bytes of
   * any message are looked at.
   */
  onSyncStep1: (() => void) | null = null;

  constructor(host: string, port: number, path: string, cookie: string | null) {
    this.socket = connect(port, host);
    this.socket.setNoDelay(true);
    this.open = new Promise((resolve, reject) => {
      this.socket.once("error", reject);
      this.socket.on("data", (chunk: Buffer) => {
        if (this.upgraded) {
          this.bytesIn += chunk.length;
          this.scan(chunk);
          return;
        }
        this.upgradeHead += chunk.toString("latin1");
        const end = this.upgradeHead.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!this.upgradeHead.startsWith("HTTP/1.1 101")) return reject(new Error(`upgrade refused: ${this.upgradeHead.split("\r\n")[0]}`));
        this.upgraded = true;
        const rest = Buffer.from(this.upgradeHead.slice(end + 4), "latin1");
        this.bytesIn += rest.length;
        this.scan(rest);
        this.socket.pause();
        reading.add(this.socket);
        resolve();
      });
    });
    this.open.catch(() => {});
    let ended: () => void = () => {};
    this.closedPromise = new Promise((resolve) => (ended = resolve));
    this.socket.on("close", () => {
      this.closed = true;
      reading.delete(this.socket);
      ended();
    });
    this.socket.on("error", () => (this.closed = true));
    const key = randomBytes(16).toString("base64");
    this.socket.write(
      `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${cookie ? `Cookie: ${cookie}\r\n` : ""}\r\n`,
    );
  }

  /** Sends messages as binary frames in one write (a zero mask: the bytes go as they are). */
  send(...messages: Uint8Array[]): void {
    if (this.closed) return;
    const parts: Uint8Array[] = [];
    for (const m of messages) {
      const n = m.length;
      let header: Buffer;
      if (n < 126) header = Buffer.from([0x82, 0x80 | n, 0, 0, 0, 0]);
      else if (n < 65536) header = Buffer.from([0x82, 0x80 | 126, n >> 8, n & 255, 0, 0, 0, 0]);
      else {
        header = Buffer.alloc(14);
        header[0] = 0x82;
        header[1] = 0x80 | 127;
        header.writeBigUInt64BE(BigInt(n), 2);
      }
      parts.push(header, m);
    }
    this.socket.write(Buffer.concat(parts));
  }

  /** Steps over the frames in `chunk` (a server's: unmasked), answering pings. */
  private scan(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.ping?.push(chunk.subarray(at, at + n));
        this.closing?.push(chunk.subarray(at, at + n));
        if (this.peek !== null) {
          for (let i = 0; i < n && this.peek.length < 2; i++) this.peek.push(chunk[at + i]!);
          if (this.peek.length === 2) {
            if (this.peek[0] === 0 && this.peek[1] === 0) this.onSyncStep1?.();
            this.peek = null;
          }
        }
        this.skip -= n;
        at += n;
        if (this.skip === 0 && this.ping) this.pong();
        if (this.skip === 0 && this.closing) this.closed_();
        continue;
      }
      const carried = this.head?.length ?? 0;
      const data = this.head ? Buffer.concat([this.head, chunk.subarray(at)]) : chunk.subarray(at);
      const short = (need: number) => data.length < need && ((this.head = Buffer.from(data)), true);
      if (short(2)) return;
      let length = data[1]! & 0x7f;
      let size = 2;
      if (length === 126) {
        if (short(4)) return;
        length = data.readUInt16BE(2);
        size = 4;
      } else if (length === 127) {
        if (short(10)) return;
        length = Number(data.readBigUInt64BE(2));
        size = 10;
      }
      this.head = null;
      at += size - carried;
      this.skip = length;
      this.peek = (data[0]! & 0x0f) === 0x2 && length >= 2 && this.onSyncStep1 !== null ? [] : null;
      if ((data[0]! & 0x0f) === 0x9) {
        this.ping = [];
        if (length === 0) this.pong();
      }
      if ((data[0]! & 0x0f) === 0x8) {
        this.closing = [];
        if (length === 0) this.closed_();
      }
    }
  }

  /** Keeps the close frame just read as `code reason`. */
  private closed_(): void {
    const payload = Buffer.concat(this.closing ?? []);
    this.closing = null;
    this.closeReason = payload.length >= 2 ? `${payload.readUInt16BE(0)} ${payload.subarray(2).toString("utf8")}` : "(no code)";
  }

  /** Answers the ping just read with its payload (masked with zeros, as a client must mask). */
  private pong(): void {
    const payload = Buffer.concat(this.ping ?? []);
    this.ping = null;
    if (!this.closed) this.socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
  }

  /** Ends the connection without a closing handshake. */
  destroy(): void {
    this.socket.destroy();
  }
}

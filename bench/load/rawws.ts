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
 * sends binary frames, and counts but never parses what it receives. Parsing frames is
 * what makes a full client cost as much as the server it measures; here a burst of
 * broadcasts is one read that is dropped.
 */
export class RawSocket {
  private readonly socket: Socket;
  private upgraded = false;
  private head = "";
  /** Bytes received after the upgrade (broadcasts, replies). */
  bytesIn = 0;
  /** Set when the connection ended (the server closed it, or it failed). */
  closed = false;
  /** Resolves once the server accepted the upgrade. */
  readonly open: Promise<void>;

  constructor(host: string, port: number, path: string, cookie: string | null) {
    this.socket = connect(port, host);
    this.socket.setNoDelay(true);
    this.open = new Promise((resolve, reject) => {
      this.socket.once("error", reject);
      this.socket.on("data", (chunk: Buffer) => {
        if (this.upgraded) {
          this.bytesIn += chunk.length;
          return;
        }
        this.head += chunk.toString("latin1");
        const end = this.head.indexOf("\r\n\r\n");
        if (end < 0) return;
        if (!this.head.startsWith("HTTP/1.1 101")) return reject(new Error(`upgrade refused: ${this.head.split("\r\n")[0]}`));
        this.upgraded = true;
        this.bytesIn += this.head.length - end - 4;
        this.socket.pause();
        reading.add(this.socket);
        resolve();
      });
    });
    this.socket.on("close", () => {
      this.closed = true;
      reading.delete(this.socket);
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

  /** Ends the connection without a closing handshake. */
  destroy(): void {
    this.socket.destroy();
  }
}

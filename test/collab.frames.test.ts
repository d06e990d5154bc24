import { readFileSync } from "node:fs";
import { Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { Connection } from "../server/collab/connection.js";
import { binaryFrames } from "../server/collab/protocol.js";
import type { User } from "../server/auth/users.js";

/**
 * The collaboration server writes ready-made frames to ws's private TCP socket
 * (`Connection.sendFrames`). This holds only for the ws version it was checked against,
 * with compression off: these tests fail as soon as either changes.
 */

const root = join(import.meta.dirname, "..");
const pinned = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies.ws;
const installed = (JSON.parse(readFileSync(join(root, "node_modules", "ws", "package.json"), "utf8")) as { version: string }).version;

let wss: WebSocketServer;
let url: string;
beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => wss.close(() => resolve()));
});

describe("frames written under ws", () => {
  it("ws is pinned to the exact version the private socket was checked against", () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed).toBe(pinned);
    // The server never turns compression on (ws would then queue frames behind a deflate).
    const source = readFileSync(join(root, "server", "collab", "server.ts"), "utf8");
    const servers = source.match(/new WebSocketServer\(\{[^}]*\}\)/g) ?? [];
    expect(servers.length).toBeGreaterThan(0);
    for (const s of servers) expect(s).toContain("perMessageDeflate: false");
  });

  it("ws keeps the TCP socket in `_socket`, and frames written there arrive as separate messages in order, between ws's own", async () => {
    const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", (socket) => resolve(socket)));
    const client = new WebSocket(url);
    const received: Buffer[] = [];
    const all = new Promise<void>((resolve) =>
      client.on("message", (data: Buffer) => {
        received.push(data);
        if (received.length === 4) resolve();
      }),
    );
    await new Promise<void>((resolve) => client.once("open", () => resolve()));
    const server = await accepted;
    expect((server as unknown as { _socket?: unknown })._socket).toBeInstanceOf(Socket);

    const conn = new Connection(server, { id: "u" } as User, false);
    const small = Uint8Array.from([0, 1, 2]);
    const medium = new Uint8Array(300).fill(7);
    const large = new Uint8Array(70_000).fill(9);
    conn.send(Uint8Array.from([42]));
    conn.sendFrames(binaryFrames([small, medium, large]), [small, medium, large]);
    await all;
    expect(received.map((m) => [m.length, m[0]])).toEqual([
      [1, 42],
      [3, 0],
      [300, 7],
      [70_000, 9],
    ]);
    client.close();
  });
});

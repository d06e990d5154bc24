import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { Redis } from "ioredis";
import { Bus } from "../server/cluster/bus.js";
import { clusterKeys } from "../server/cluster/signing.js";
import type { ClusterMessage } from "../server/cluster/wire.js";
import { startRedis, type Service } from "../scripts/cluster/services.js";
import { eventually } from "./helpers/collab.js";

// Real Redis, started as `npm run cluster` starts it; two buses as two processes have them.
let redis: Service;
let url: string;
const buses: Bus[] = [];
const raw: Redis[] = [];
const dir = mkdtempSync("/tmp/cluster-bus-");

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port, "quiet");
  url = `redis://127.0.0.1:${port}`;
}, 60_000);
afterAll(async () => {
  for (const b of buses) b.close();
  for (const r of raw) r.disconnect();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const key = clusterKeys("the cluster's secret, for this test only, 32+").bus;

async function bus(inbox: string): Promise<Bus> {
  const b = new Bus(url, inbox, key);
  buses.push(b);
  await b.start();
  return b;
}

async function rawSubscriber(channel: string): Promise<{ client: Redis; frames: Buffer[] }> {
  const client = new Redis(url, { maxRetriesPerRequest: null });
  raw.push(client);
  const frames: Buffer[] = [];
  client.on("messageBuffer", (_channel: Buffer, message: Buffer) => frames.push(message));
  await client.subscribe(channel);
  return { client, frames };
}

describe("the processes' bus through Redis", () => {
  it("what a process sends in one turn arrives in order, across channels too, each run for one channel in one frame", async () => {
    const owner = await bus("owner");
    const relay = await bus("relay");
    const arrived: string[] = [];
    owner.onMessage = (m) => arrived.push(m.type === "message" ? `message ${m.connId}` : m.type);
    await owner.subscribeDocument("doc-1", (m) => arrived.push(m.type));
    const frames = await rawSubscriber("accord:in:owner");
    const message = (connId: number): ClusterMessage => ({ type: "message", documentId: "doc-1", from: "relay", connId, bytes: Uint8Array.of(0, 2, 1, connId) });
    relay.send("owner", { type: "open", documentId: "doc-1", from: "relay", connId: 0, userId: "u", wantsEvents: false, knowsPresence: false });
    for (let i = 1; i <= 50; i++) relay.send("owner", message(i));
    relay.publishDocument("doc-1", { type: "deliver", token: 1, n: 0, until: 0, messages: [Uint8Array.of(0, 2, 0)] });
    relay.send("owner", { type: "close", documentId: "doc-1", from: "relay", connId: 0 });
    await eventually(() => arrived.length === 53, 10_000, "every message");
    expect(arrived).toEqual(["open", ...Array.from({ length: 50 }, (_, i) => `message ${i + 1}`), "deliver", "close"]);
    // Two frames on the owner's inbox: the open and the fifty messages, then the close after the delivery.
    expect(frames.frames).toHaveLength(2);
  });

  it("a subscriber that stops reading is kept by Redis past its default limits (32 MB), and receives everything once it reads again", async () => {
    const { client, frames } = await rawSubscriber("accord:in:slow");
    const stream = (client as unknown as { stream: { pause(): void; resume(): void } }).stream;
    stream.pause();
    const publisher = new Redis(url);
    raw.push(publisher);
    const subscribers = async () => String(await publisher.call("CLIENT", "LIST", "TYPE", "pubsub")).trim().split("\n").filter(Boolean).length;
    const before = await subscribers();
    // 48 MB for a subscriber that reads nothing: past Redis's default hard limit for one (32 MB).
    const chunk = Buffer.alloc(1024 * 1024, 7);
    const count = 48;
    for (let i = 0; i < count; i++) expect(await publisher.publish("accord:in:slow", chunk)).toBe(1);
    expect(await subscribers()).toBe(before);
    stream.resume();
    await eventually(() => frames.length === count, 30_000, "every frame");
    expect(await subscribers()).toBe(before);
  });
});

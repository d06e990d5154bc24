import { createHash } from "node:crypto";
import WebSocket from "ws";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { HocuspocusProvider } from "@hocuspocus/provider";
import { now } from "./clock.js";
import type { FromProbes, ProbesConfig, ToProbes } from "./messages.js";

/**
 * A process of full stock clients (forked by the load runner): `y-websocket`'s provider,
 * or Hocuspocus' own, each with a real Y.Doc. They time the arrival of every writer's
 * update (a writer's k-th update is its item with clock k) and, at the end, show whether
 * every document converged to the same text with every update in it.
 */

let reply: (m: FromProbes) => void = (m) => process.send!(m);

interface Probe {
  doc: Y.Doc;
  /** Index of its document in `ProbesConfig.docNames` (0 with one document). */
  docIndex: number;
  destroy(): void;
  synced: Promise<void>;
  /** Arrival time of each tracked writer's updates, indexed by clock. */
  arrivals: Map<number, number[]>;
}

let config: ProbesConfig;
const probes: Probe[] = [];
let tracked = new Set<number>();
/** With several documents: each tracked writer's document index. */
let docOf = new Map<number, number>();

function cookieSocket(cookie: string | null): typeof WebSocket {
  if (cookie === null) return WebSocket;
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: cookie as string } });
    }
  } as unknown as typeof WebSocket;
}

function openClient(c: ProbesConfig, doc: Y.Doc): { destroy(): void; synced: Promise<void> } {
  if (c.kind === "hocuspocus") {
    const provider = new HocuspocusProvider({ url: c.serverUrl, name: c.docName, document: doc, WebSocketPolyfill: WebSocket } as never);
    const synced = new Promise<void>((resolve) => provider.on("synced", () => resolve()));
    return { destroy: () => provider.destroy(), synced };
  }
  const provider = new WebsocketProvider(c.serverUrl, c.docName, doc, {
    WebSocketPolyfill: cookieSocket(c.cookie) as never,
    disableBc: true,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on("sync", (s: boolean) => s && resolve());
  });
  return { destroy: () => provider.destroy(), synced };
}

function newProbe(c: ProbesConfig, seed: Uint8Array | null, docIndex = 0): Probe {
  const doc = new Y.Doc();
  doc.getXmlFragment("prosemirror"); // typed before content arrives
  if (seed) Y.applyUpdate(doc, seed);
  const arrivals = new Map<number, number[]>();
  doc.on("afterTransaction", (tr: Y.Transaction) => {
    let t = -1;
    for (const [client, after] of tr.afterState) {
      if (!tracked.has(client)) continue;
      const before = tr.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      if (t < 0) t = now();
      let list = arrivals.get(client);
      if (!list) arrivals.set(client, (list = []));
      for (let clock = before; clock < after; clock++) list[clock] = t;
    }
  });
  const client = openClient(c.docNames ? { ...c, docName: c.docNames[docIndex]! } : c, doc);
  return { doc, docIndex, arrivals, synced: client.synced, destroy: () => (client.destroy(), doc.destroy()) };
}

function digest(doc: Y.Doc): string {
  return createHash("sha1").update(doc.getXmlFragment("prosemirror").toString()).digest("hex").slice(0, 12);
}

async function start(c: ProbesConfig): Promise<void> {
  config = c;
  const seed = c.seed ? new Uint8Array(Buffer.from(c.seed, "base64")) : null;
  const first = newProbe(c, seed);
  probes.push(first);
  await first.synced;
  // A server without storage learns the document from the first probe; give it a moment.
  if (seed) await new Promise((r) => setTimeout(r, 300));
  const documents = c.docNames?.length ?? 1;
  for (let i = 1; i < c.count * documents; i++) probes.push(newProbe(c, null, Math.floor(i / c.count)));
  await Promise.all(probes.map((p) => p.synced));
  reply({ type: "ready", state: Buffer.from(Y.encodeStateAsUpdate(first.doc)).toString("base64") });
}

async function join(): Promise<void> {
  const t0 = now();
  const doc = new Y.Doc();
  doc.getXmlFragment("prosemirror");
  const client = openClient(config, doc);
  await client.synced;
  const ms = now() - t0;
  const bytes = Y.encodeStateAsUpdate(doc).length;
  client.destroy();
  reply({ type: "joined", ms, bytes });
}

async function finish(expected: Record<string, number>, timeoutMs: number): Promise<void> {
  const done = (p: Probe) =>
    Object.entries(expected).every(([client, count]) => (docOf.get(Number(client)) ?? 0) !== p.docIndex || Y.getState(p.doc.store, Number(client)) >= count);
  const deadline = now() + timeoutMs;
  while (now() < deadline && !probes.every(done)) await new Promise((r) => setTimeout(r, 20));
  // Let any update still in flight after the writers' last one land everywhere.
  await new Promise((r) => setTimeout(r, 200));
  reply({
    type: "finished",
    arrivals: probes.map((p) => Object.fromEntries([...p.arrivals].map(([k, v]) => [String(k), v]))),
    digests: probes.map((p) => digest(p.doc)),
    complete: probes.map(done),
    state: Buffer.from(Y.encodeStateAsUpdate(probes[0]!.doc)).toString("base64"),
  });
}

/**
 * Handles one message from the load runner, answering through `answer`: the probes' whole
 * protocol, whether this process is theirs alone or shared with the writers (`generator.ts`).
 */
export function handleProbes(m: ToProbes, answer: (m: FromProbes) => void): void {
  reply = answer;
  if (m.type === "config") void start(m.config);
  else if (m.type === "track") {
    tracked = new Set(m.clients);
    docOf = new Map(m.clients.map((client, i) => [client, m.docs?.[i] ?? 0]));
  }
  else if (m.type === "join") {
    config = m.config;
    void join();
  } else if (m.type === "finish") void finish(m.expected, m.timeoutMs);
  else if (m.type === "exit") {
    for (const p of probes) p.destroy();
    process.exit(0);
  }
}

if (process.argv[1]?.endsWith("probes.ts")) process.on("message", (m: ToProbes) => handleProbes(m, (r) => process.send!(r)));

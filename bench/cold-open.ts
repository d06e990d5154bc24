import * as Y from "yjs";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import { now } from "./load/clock.js";

/** Opens a document with a stock client and returns the time until it is synced, ms. */
async function timeOpen(serverUrl: string, documentId: string, cookie: string): Promise<{ ms: number; close(): void }> {
  const doc = new Y.Doc();
  doc.getXmlFragment("prosemirror");
  const t0 = now();
  const provider = new WebsocketProvider(serverUrl, documentId, doc, {
    WebSocketPolyfill: class extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie } });
      }
    } as never,
    disableBc: true,
  });
  await new Promise<void>((resolve) => provider.on("sync", (s: boolean) => s && resolve()));
  const ms = now() - t0;
  return { ms, close: () => (provider.destroy(), doc.destroy()) };
}

/**
 * Cold opens of a document nobody has open (the server loads it from SQLite): first with
 * its whole log still to replay, then, after the last client left and the server compacted
 * it, from the snapshot alone (`repeats` times; the median is reported). The measuring
 * client first opens `warmUpId` (another document) a few times, so that its own first
 * decoding, not yet compiled by V8, is not counted against the server.
 */
export async function coldOpen(
  serverUrl: string,
  documentId: string,
  warmUpId: string,
  cookie: string,
  repeats = 5,
): Promise<{ beforeMs: number; afterMs: number[] }> {
  for (let i = 0; i < 3; i++) (await timeOpen(serverUrl, warmUpId, cookie)).close();
  const first = await timeOpen(serverUrl, documentId, cookie);
  first.close();
  const afterMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await new Promise((r) => setTimeout(r, 500)); // the room closes and compacts when its last client leaves
    const open = await timeOpen(serverUrl, documentId, cookie);
    afterMs.push(open.ms);
    open.close();
  }
  return { beforeMs: first.ms, afterMs };
}

/** `npx tsx bench/cold-open.ts [updates]`: Accord alone, on a data folder prepared as `npm run bench` does. */
async function main(): Promise<void> {
  const { prepareAccordData } = await import("./servers/accord-data.js");
  const { startAccord, tempDir } = await import("./servers/targets.js");
  const updates = Number(process.argv[2] ?? 50_000);
  const dir = tempDir("accord-cold-");
  try {
    const data = await prepareAccordData(dir.path, updates, 1);
    const port = 19_900 + Math.floor(Math.random() * 90);
    const accord = await startAccord(port, dir.path, data);
    try {
      const r = await coldOpen(`ws://127.0.0.1:${port}/collab`, data.cold, data.large, accord.probeCookie!, 7);
      const sorted = [...r.afterMs].sort((a, b) => a - b);
      console.log(`cold open, log of ${updates} updates: ${r.beforeMs.toFixed(0)} ms to synced`);
      console.log(`after compaction: median ${sorted[3]!.toFixed(1)} ms (all: ${r.afterMs.map((m) => m.toFixed(1)).join(", ")})`);
    } finally {
      await accord.stop();
    }
  } finally {
    dir.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

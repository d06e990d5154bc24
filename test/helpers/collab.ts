import WebSocket from "ws";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import { blocksOfDoc, canonicalize, textFragment, type CanonicalDocument } from "../../schema/index.js";

/** A WebSocket class that sends a session cookie, for the stock provider's `WebSocketPolyfill`. */
export function cookieWebSocket(cookie: string): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  } as unknown as typeof WebSocket;
}

/** A stock y-websocket client on a document. */
export interface CollabClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Permission-denied reasons the server sent (refused updates). */
  denials: string[];
  /** Resolves once the first sync completed. */
  synced: Promise<void>;
  /** The canonical form of what this client has. */
  canonical(): CanonicalDocument;
  destroy(): void;
}

/** Connects a stock `WebsocketProvider` (Node `ws`) with a session cookie. */
export function collabClient(baseUrl: string, documentId: string, cookie: string, options: { connect?: boolean; doc?: Y.Doc } = {}): CollabClient {
  const doc = options.doc ?? new Y.Doc();
  const wsUrl = baseUrl.replace(/^http/, "ws") + "/collab";
  const provider = new WebsocketProvider(wsUrl, documentId, doc, {
    WebSocketPolyfill: cookieWebSocket(cookie) as never,
    connect: options.connect ?? true,
    disableBc: true,
  });
  const denials: string[] = [];
  // The stock client reports "permission denied" only through console.warn; capture it per provider.
  (provider as unknown as { messageHandlers: unknown[] }).messageHandlers[2] = (_e: unknown, decoder: decoding.Decoder) => {
    decoding.readVarUint(decoder);
    denials.push(decoding.readVarString(decoder));
  };
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.once("sync", (s: boolean) => s && resolve());
  });
  return {
    doc,
    provider,
    denials,
    synced,
    canonical: () => canonicalize(blocksOfDoc(doc)),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Appends `text` to the text of block `index` of a client's copy, as a typing delegate would. */
export function typeInto(doc: Y.Doc, index: number, text: string): void {
  const t = (textFragment(doc).get(index) as Y.XmlElement).get(0) as Y.XmlText;
  t.insert(t.length, text);
}

/** Polls `check` until it returns true (or throws after `ms`). */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A raw websocket that listens to a document's Accord events (`?events=1`). */
export interface EventListener {
  events: Array<{ type: string; documentId: string; data?: any; actor?: any }>;
  /** Resolves with the first event of `type` (already received or coming) matching `where`. */
  waitFor(type: string, where?: (e: any) => boolean, ms?: number): Promise<any>;
  close(): void;
}

/** Opens an event listener on a document. */
export async function listenEvents(baseUrl: string, documentId: string, cookie: string): Promise<EventListener> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/collab/${documentId}?events=1`, { headers: { cookie } });
  const events: EventListener["events"] = [];
  ws.on("message", (data: Buffer) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) === 100) events.push(JSON.parse(decoding.readVarString(d)));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return {
    events,
    async waitFor(type, where = () => true, ms = 5000) {
      let found: any;
      await eventually(() => {
        found = events.find((e) => e.type === type && where(e));
        return found !== undefined;
      }, ms, `event ${type}`);
      return found;
    },
    close: () => ws.close(),
  };
}

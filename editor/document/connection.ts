import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import type { Awareness } from "y-protocols/awareness";
import type { DocumentEvent } from "../../schema/api/events.js";
import { EventHub } from "./events.js";
import { sendOwnPresenceOnly } from "./own-presence.js";
import { BrowserCopy } from "./browser-copy.js";
import { ServerReceipts } from "./unsent.js";
import { codeSentence, t } from "../i18n/index.js";

/** y-protocols' sync message: the server's state vector, its replies and its broadcasts. */
const MESSAGE_SYNC = 0;
/** y-protocols' sync kinds that carry text: the server's reply to our state (step 2) and its broadcasts (update). */
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

/** Accord's event message type on the collaboration socket (docs/API.md, "Events"). */
const MESSAGE_EVENT = 100;
/** y-protocols' auth message: the server's refusal of an update, with its reason. */
const MESSAGE_AUTH = 2;

/** Whether the live connection is up, and if it is down for good, why. */
export interface ConnectionStatus {
  online: boolean;
  /** Set when the server closed the socket for a reason reconnecting cannot fix. */
  closedFor: string | null;
}

/** The live text of one document: its Yjs doc, who is here, and the server's events. */
export interface DocumentConnection {
  doc: Y.Doc;
  provider: WebsocketProvider;
  awareness: Awareness;
  events: EventHub;
  /** Resolves when the first sync with the server is complete (never before). */
  firstSync: Promise<void>;
  status(): ConnectionStatus;
  /** Calls `fn` on every change of the connection status; returns unsubscribe. */
  onStatus(fn: (status: ConnectionStatus) => void): () => void;
  /** Calls `fn` whenever the server refuses one of our updates or presence changes; returns unsubscribe. */
  onRefusal(fn: (refusal: Refusal) => void): () => void;
  /**
   * Calls `fn` whenever the server sends text it has stored (its reply to our state on
   * (re)connecting, or a broadcast update: someone's edit, or this person's own accepted
   * one echoed); returns unsubscribe. Unlike a local change, the server has it by then.
   */
  onServerText(fn: () => void): () => void;
  /** What this browser holds that the server does not have yet. */
  local(): LocalCopy;
  /** Calls `fn` whenever `local()` may have changed; returns unsubscribe. */
  onLocal(fn: (local: LocalCopy) => void): () => void;
  /** Forgets the copy kept in the browser (after a refusal: the server's text is the truth). */
  discardLocal(): Promise<void>;
  destroy(): void;
}

/** The server's refusal of an update: its English sentence, and the stable code and values to word it in the interface language. */
export interface Refusal {
  reason: string;
  code?: string;
  params?: Record<string, string | number>;
}

/** Edits this browser holds that the server does not have yet, and where they are kept. */
export interface LocalCopy {
  /** Changes the server has not confirmed (0: everything typed is on the server). */
  unsent: number;
  /**
   * "browser": stored in IndexedDB, surviving a reload or a closed tab; "saving": being
   * stored there, lost if the tab closes now; "window": only in this page.
   */
  keptIn: "browser" | "saving" | "window";
}

/** Why the server closed the socket for good, by close code (server/collab/connection.ts). */
const FINAL_CLOSES: Record<number, string> = {
  4401: t("connection.4401"),
  4404: t("connection.4404"),
  4422: t("connection.4422"),
  4429: t("connection.4429"),
};

/**
 * Connects the stock y-websocket client to `/collab/<documentId>` with Accord's events
 * (`?events=1`). Handlers for message type 100 (events) and type 2 (refusals) are added to
 * this provider only. The browser's own online/offline signal disconnects and reconnects
 * at once, so offline edits stay local and merge through the sync handshake on return.
 */
export function connectDocument(documentId: string, options: { url?: string; localKey?: string } = {}): DocumentConnection {
  const doc = new Y.Doc();
  // The browser's copy, per person and document: what one person typed offline on a shared
  // computer is never sent in another's name. Loaded and merged like any other update.
  const receipts = new ServerReceipts(doc);
  const localListeners = new Set<(local: LocalCopy) => void>();
  let last: LocalCopy | null = null;
  const localChanged = () => {
    const now = local();
    if (now.unsent === last?.unsent && now.keptIn === last.keptIn) return;
    last = now;
    for (const fn of localListeners) fn(now);
  };
  let copy: BrowserCopy | null = null;
  if (options.localKey && typeof indexedDB !== "undefined") {
    try {
      copy = new BrowserCopy(`accord:${options.localKey}:${documentId}`, doc, localChanged);
    } catch {
      copy = null;
    }
  }
  const KEPT_IN = { stored: "browser", storing: "saving", unavailable: "window" } as const;
  const local = (): LocalCopy => ({ unsent: receipts.unsent(), keptIn: copy ? KEPT_IN[copy.state()] : "window" });
  const base = options.url ?? `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/collab`;
  // No BroadcastChannel: two tabs must not exchange edits behind the server's back.
  const provider = new WebsocketProvider(base, documentId, doc, { params: { events: "1" }, disableBc: true });
  const stopPresence = sendOwnPresenceOnly(provider);
  const syncHandler = provider.messageHandlers[MESSAGE_SYNC]!;
  const serverTextListeners = new Set<() => void>();
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
    receipts.note(decoder);
    const kind = decoding.peekVarUint(decoder);
    syncHandler(encoder, decoder, p, emitSynced, messageType);
    localChanged();
    if (kind === SYNC_STEP2 || kind === SYNC_UPDATE) for (const fn of serverTextListeners) fn();
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== provider && !copy?.readBack(origin)) receipts.noteLocal(update);
    localChanged();
  };
  doc.on("update", onUpdate);
  // Closing or reloading the page with edits the server does not have asks first.
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (receipts.unsent() === 0) return;
    event.preventDefault();
    event.returnValue = "";
  };
  window.addEventListener("beforeunload", beforeUnload);
  const events = new EventHub();
  const refusalListeners = new Set<(refusal: Refusal) => void>();
  // Why the server is closing the socket, with its code, sent just before the close frame.
  let closing: DocumentEvent<"connection.closing">["data"] | null = null;
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let current: ConnectionStatus = { online: false, closedFor: null };

  const setStatus = (next: ConnectionStatus) => {
    if (next.online === current.online && next.closedFor === current.closedFor) return;
    current = next;
    for (const fn of statusListeners) fn(current);
  };

  provider.messageHandlers[MESSAGE_EVENT] = (_encoder, decoder) => {
    let event: DocumentEvent;
    try {
      event = JSON.parse(decoding.readVarString(decoder)) as DocumentEvent;
    } catch {
      return;
    }
    if (event.type === "update.refused") for (const fn of refusalListeners) fn(event.data);
    if (event.type === "connection.closing") closing = event.data;
    events.emit(event);
  };
  // The stock client's refusal message carries the sentence only; the same refusal arrives
  // right after it as the event `update.refused`, with its code, and is reported from there.
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    decoding.readVarUint(decoder); // 0: permission denied, the only kind there is
    decoding.readVarString(decoder);
  };

  // The final-close reason arrives just before the "disconnected" status; keep it until a new connection.
  provider.on("status", ({ status }) => {
    setStatus({ online: status === "connected" && navigator.onLine, closedFor: status === "connected" ? null : current.closedFor });
  });
  provider.on("connection-close", (event) => {
    const final = event ? FINAL_CLOSES[event.code] : undefined;
    const told = closing && event && closing.closeCode === event.code ? codeSentence(closing.code, closing.params) : null;
    closing = null;
    if (final) setStatus({ online: false, closedFor: told ?? final });
  });
  const wentOffline = () => {
    provider.disconnect();
    setStatus({ online: false, closedFor: null });
  };
  const cameOnline = () => provider.connect();
  window.addEventListener("offline", wentOffline);
  window.addEventListener("online", cameOnline);

  const firstSync = new Promise<void>((resolve) => {
    if (provider.synced) return resolve();
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off("sync", onSync);
      resolve();
    };
    provider.on("sync", onSync);
  });

  return {
    doc,
    provider,
    awareness: provider.awareness,
    events,
    firstSync,
    status: () => current,
    onStatus(fn) {
      statusListeners.add(fn);
      return () => void statusListeners.delete(fn);
    },
    onRefusal(fn) {
      refusalListeners.add(fn);
      return () => void refusalListeners.delete(fn);
    },
    onServerText(fn) {
      serverTextListeners.add(fn);
      return () => void serverTextListeners.delete(fn);
    },
    local,
    onLocal(fn) {
      localListeners.add(fn);
      return () => void localListeners.delete(fn);
    },
    async discardLocal() {
      const discarded = copy;
      copy = null;
      await discarded?.clear();
    },
    destroy() {
      window.removeEventListener("offline", wentOffline);
      window.removeEventListener("online", cameOnline);
      window.removeEventListener("beforeunload", beforeUnload);
      doc.off("update", onUpdate);
      localListeners.clear();
      copy?.destroy();
      events.clear();
      statusListeners.clear();
      refusalListeners.clear();
      serverTextListeners.clear();
      stopPresence();
      provider.destroy();
      doc.destroy();
    },
  };
}

import type { DocumentInfo } from "../../schema/api/documents.js";
import type { DocumentEvent } from "../../schema/api/events.js";

/**
 * The page's own announcement that it reloaded the document info after a `document.*`
 * event, so that panels re-read it once. Never sent by the server.
 */
export interface DocumentRefreshed {
  type: "document.refreshed";
  documentId: string;
  at: string;
  data: DocumentInfo;
}

/** What the page's hub carries: the server's events and the page's own. */
export type PageEvent = DocumentEvent | DocumentRefreshed;

/** A listener of document events. */
export type EventListener = (event: PageEvent) => void;

/**
 * Fans the server's negotiation events (websocket message type 100) out to whoever
 * listens, by type or `"*"` for all. A listener that throws does not stop the others.
 */
export class EventHub {
  private listeners = new Map<string, Set<EventListener>>();

  /** Subscribes to events of `type` (`"*"`: every event); returns the unsubscribe function. */
  on<T extends PageEvent["type"] | "*">(type: T, fn: (event: T extends "*" ? PageEvent : Extract<PageEvent, { type: T }>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const listener = fn as EventListener;
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** Subscribes to every event whose type starts with `prefix` (e.g. `"bracket."`). */
  onPrefix(prefix: `${string}.`, fn: EventListener): () => void {
    return this.on("*", (event) => {
      if (event.type.startsWith(prefix)) fn(event);
    });
  }

  /** Delivers an event to the listeners of its type, then to those of every type. */
  emit(event: PageEvent): void {
    for (const key of [event.type, "*"]) {
      for (const fn of this.listeners.get(key) ?? []) {
        try {
          fn(event);
        } catch (error) {
          console.error(`listener of ${event.type} failed`, error);
        }
      }
    }
  }

  /** Forgets every listener. */
  clear(): void {
    this.listeners.clear();
  }
}

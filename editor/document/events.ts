import type { DocumentEvent } from "../panels/context.js";

/** A listener of document events. */
export type EventListener = (event: DocumentEvent) => void;

/**
 * Fans the server's negotiation events (websocket message type 100) out to whoever
 * listens, by type or `"*"` for all. A listener that throws does not stop the others.
 */
export class EventHub {
  private listeners = new Map<string, Set<EventListener>>();

  /** Subscribes to events of `type` (`"*"`: every event); returns the unsubscribe function. */
  on(type: string, fn: EventListener): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  /** Subscribes to every event whose type starts with `prefix` (e.g. `"bracket."`). */
  onPrefix(prefix: string, fn: EventListener): () => void {
    return this.on("*", (event) => {
      if (event.type.startsWith(prefix)) fn(event);
    });
  }

  /** Delivers an event to the listeners of its type, then to those of every type. */
  emit(event: DocumentEvent): void {
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

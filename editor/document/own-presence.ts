import * as encoding from "lib0/encoding";
import type { WebsocketProvider } from "y-websocket";
import { encodeAwarenessUpdate } from "y-protocols/awareness";

/** y-websocket's awareness (presence) message. */
const MESSAGE_AWARENESS = 1;

/**
 * Makes the provider send only this client's own presence. The stock provider sends every
 * awareness change it applies back to the server, other people's included: in a document
 * thirty delegations have open, each cursor move would come back thirty times (the server
 * drops them as stale, after reading them). The server relays everyone's presence; the
 * provider still announces this client's state itself on every (re)connection. Returns
 * what removes the handler.
 */
export function sendOwnPresenceOnly(provider: WebsocketProvider): () => void {
  const awareness = provider.awareness;
  const own = provider.doc.clientID;
  awareness.off("update", provider._awarenessUpdateHandler);
  const onUpdate = (changes: { added: number[]; updated: number[]; removed: number[] }) => {
    if (!changes.added.includes(own) && !changes.updated.includes(own) && !changes.removed.includes(own)) return;
    if (!provider.wsconnected || provider.ws === null) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [own]));
    provider.ws.send(encoding.toUint8Array(encoder));
  };
  awareness.on("update", onUpdate);
  return () => awareness.off("update", onUpdate);
}

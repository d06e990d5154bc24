import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebsocketProvider } from "y-websocket";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { cookieWebSocket, eventually } from "./helpers/collab.js";
import { awarenessUpdate } from "./helpers/awareness.js";
import { sendOwnPresenceOnly } from "../editor/document/own-presence.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

/** A stock provider whose socket notes the client ids of every awareness state it sends. */
function recordingClient(cookie: string, documentId: string): { provider: WebsocketProvider; sentPresenceOf: number[]; destroy(): void } {
  const sentPresenceOf: number[] = [];
  const Base = cookieWebSocket(cookie);
  const Recording = class extends Base {
    override send(data: Uint8Array, ...rest: unknown[]): void {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === 1) {
        const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
        for (let n = decoding.readVarUint(update); n > 0; n--) {
          sentPresenceOf.push(decoding.readVarUint(update));
          decoding.readVarUint(update);
          decoding.readVarString(update);
        }
      }
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.url.replace(/^http/, "ws") + "/collab", documentId, doc, {
    WebSocketPolyfill: Recording as never,
    disableBc: true,
  });
  return { provider, sentPresenceOf, destroy: () => (provider.destroy(), doc.destroy()) };
}

const synced = (p: WebsocketProvider) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once("sync", () => resolve())));

describe("presence from the editor's connection", () => {
  it("sends only its own state, where the stock provider sends everyone's back", async () => {
    const docId = server.demo.documents.declaration!;
    const [arg, bra, chl] = await Promise.all([server.login("arg.delegate"), server.login("bra.delegate"), server.login("chl.delegate")]);
    const stock = recordingClient(arg.cookie, docId);
    const editor = recordingClient(bra.cookie, docId);
    const stop = sendOwnPresenceOnly(editor.provider);
    const mover = recordingClient(chl.cookie, docId);
    await Promise.all([stock, editor, mover].map((c) => synced(c.provider)));
    const moverId = mover.provider.doc.clientID;
    for (let i = 1; i <= 3; i++) mover.provider.awareness.setLocalStateField("cursor", { anchor: i, head: i });
    const seesLastMove = (c: { provider: WebsocketProvider }) =>
      (c.provider.awareness.getStates().get(moverId) as { cursor?: { anchor: number } } | undefined)?.cursor?.anchor === 3;
    await eventually(() => seesLastMove(stock) && seesLastMove(editor), 5000, "the mover's cursor relayed");
    await new Promise((r) => setTimeout(r, 100));
    expect(stock.sentPresenceOf).toContain(moverId);
    expect(editor.sentPresenceOf).not.toContain(moverId);
    // Its own presence still goes out, and arrives stamped.
    const editorId = editor.provider.doc.clientID;
    editor.provider.awareness.setLocalStateField("cursor", { anchor: 7, head: 7 });
    await eventually(() => mover.provider.awareness.getStates().has(editorId), 5000, "own presence relayed");
    expect(new Set(editor.sentPresenceOf)).toEqual(new Set([editorId]));
    stop();
    for (const c of [stock, editor, mover]) c.destroy();
  });
});

describe("bounded presence", () => {
  it("a connection cannot set another's presence id or oversized presence: refused with a reason, not relayed", async () => {
    const docId = server.demo.documents.wg2!;
    const [arg, obs] = await Promise.all([server.login("arg.delegate"), server.login("observer")]);
    const victim = recordingClient(arg.cookie, docId);
    const attacker = recordingClient(obs.cookie, docId);
    const denials: string[] = [];
    (attacker.provider as unknown as { messageHandlers: unknown[] }).messageHandlers[2] = (_e: unknown, d: decoding.Decoder) => {
      decoding.readVarUint(d);
      denials.push(decoding.readVarString(d));
    };
    await Promise.all([synced(victim.provider), synced(attacker.provider)]);
    const victimId = victim.provider.doc.clientID;
    victim.provider.awareness.setLocalStateField("cursor", { anchor: 1, head: 1 });
    await eventually(() => attacker.provider.awareness.getStates().has(victimId), 5000, "victim's presence relayed");
    const send = (states: Array<[number, number, unknown]>) => {
      const outer = encoding.createEncoder();
      encoding.writeVarUint(outer, 1);
      encoding.writeVarUint8Array(outer, awarenessUpdate(states));
      (attacker.provider.ws as unknown as { send(d: Uint8Array): void }).send(encoding.toUint8Array(outer));
    };
    send([[victimId, 1000, { cursor: { anchor: 666, head: 666 }, user: { name: "Forged" } }]]);
    send([[victimId, 1001, null]]);
    send([[attacker.provider.doc.clientID, 1000, { blob: "x".repeat(64 * 1024) }]]);
    await eventually(() => denials.length >= 3, 5000, "three refusals");
    expect(denials[0]).toMatch(/presence refused: .*belongs to another connection/);
    expect(denials[1]).toMatch(/belongs to another connection/);
    expect(denials[2]).toMatch(/presence refused: .*at most \d+ (bytes|states)/);
    // The victim's presence is intact everywhere, and nobody got the blob.
    await new Promise((r) => setTimeout(r, 200));
    const seen = server.ctx.rooms.get(docId)!.awareness.encodeAll()!;
    expect(seen.length).toBeLessThan(4096);
    expect((victim.provider.awareness.getStates().get(victimId) as { cursor: { anchor: number } }).cursor.anchor).toBe(1);
    const inAttacker = attacker.provider.awareness.getStates().get(victimId) as { cursor: { anchor: number } } | undefined;
    expect(inAttacker?.cursor.anchor).toBe(1);
    victim.destroy();
    attacker.destroy();
  });
});

import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { advance, buildsOnMissing } from "../server/collab/missing-base.js";

/** A document with one text, and a client that types into a copy of it one character per update. */
function typist() {
  const server = new Y.Doc();
  server.getText("t").insert(0, "base");
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const type = (ch: string) => {
    const sv = Y.encodeStateVector(client);
    client.getText("t").insert(client.getText("t").length, ch);
    return Y.decodeUpdate(Y.encodeStateAsUpdate(client, sv));
  };
  const state = (doc: Y.Doc, ahead = new Map<number, number>()) => (c: number) => Math.max(Y.getState(doc.store, c), ahead.get(c) ?? 0);
  return { server, client, type, state };
}

describe("an update that builds on content the server lacks, found without applying it", () => {
  it("a keystroke after one the server never received is found; one after a keystroke it has is not", () => {
    const { server, client, type, state } = typist();
    const first = type("a");
    const second = type("b"); // builds on "a", which never reached the server (its owner died)
    expect(buildsOnMissing(second, state(server))).toBe(true);
    expect(buildsOnMissing(first, state(server))).toBe(false);
    // The client's answer to the new server's greeting holds both: nothing is missing.
    expect(buildsOnMissing(Y.decodeUpdate(Y.encodeStateAsUpdate(client, Y.encodeStateVector(server))), state(server))).toBe(false);
  });

  it("within one batch, a keystroke may build on the one before it", () => {
    const { server, type, state } = typist();
    const first = type("a");
    const second = type("b");
    const ahead = new Map<number, number>();
    expect(buildsOnMissing(first, state(server, ahead))).toBe(false);
    advance(first, ahead);
    expect(buildsOnMissing(second, state(server, ahead))).toBe(false);
  });

  it("an item typed next to content the server lacks (another client's, never received) is found", () => {
    const { server, client, state } = typist();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(client));
    other.getText("t").insert(4, "X"); // lost with the dead owner
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other));
    const sv = Y.encodeStateVector(client);
    client.getText("t").insert(5, "Y"); // right after X
    const update = Y.decodeUpdate(Y.encodeStateAsUpdate(client, sv));
    expect(buildsOnMissing(update, state(server))).toBe(true);
  });
});

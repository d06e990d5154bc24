import { describe, expect, it } from "vitest";
import * as decoding from "lib0/decoding";
import { awarenessUpdate } from "./helpers/awareness.js";
import { AwarenessRelay } from "../server/collab/awareness-relay.js";

const update = awarenessUpdate;

/** The clients and states an update carries. */
function read(u: Uint8Array | null): Record<number, unknown> {
  if (u === null) return {};
  const d = decoding.createDecoder(u);
  const out: Record<number, unknown> = {};
  for (let n = decoding.readVarUint(d); n > 0; n--) {
    const client = decoding.readVarUint(d);
    decoding.readVarUint(d);
    out[client] = JSON.parse(decoding.readVarString(d));
  }
  return out;
}

const stamp = (state: Record<string, unknown>) => {
  state.user = { name: "Stamped" };
};

describe("AwarenessRelay", () => {
  it("holds a presence relayed less than the interval ago, then relays its latest state", () => {
    const relay = new AwarenessRelay();
    const owned = new Set<number>();
    relay.apply(update([[1, 1, { cursor: 1 }], [2, 1, { cursor: 10 }]]), stamp, owned);
    expect(relay.present).toBe(2);
    const first = relay.takeChanged(0, 100);
    expect(read(first.update)).toEqual({ 1: { cursor: 1, user: { name: "Stamped" } }, 2: { cursor: 10, user: { name: "Stamped" } } });
    expect(first.nextInMs).toBeNull();

    relay.apply(update([[1, 2, { cursor: 2 }]]), stamp, owned);
    relay.apply(update([[1, 3, { cursor: 3 }]]), stamp, owned);
    const held = relay.takeChanged(40, 100);
    expect(held.update).toBeNull();
    expect(held.nextInMs).toBe(60);
    expect(relay.hasChanges).toBe(true);

    const later = relay.takeChanged(100, 100);
    expect(read(later.update)).toEqual({ 1: { cursor: 3, user: { name: "Stamped" } } });
    expect(relay.hasChanges).toBe(false);
  });

  it("never holds someone leaving", () => {
    const relay = new AwarenessRelay();
    const owned = new Set<number>();
    relay.apply(update([[1, 1, { cursor: 1 }]]), stamp, owned);
    relay.takeChanged(0, 100);
    relay.remove([1]);
    expect(relay.present).toBe(0);
    const gone = relay.takeChanged(10, 100);
    expect(read(gone.update)).toEqual({ 1: null });
    expect(gone.nextInMs).toBeNull();
  });

  it("relays everything at once without an interval", () => {
    const relay = new AwarenessRelay();
    const owned = new Set<number>();
    relay.apply(update([[1, 1, { cursor: 1 }]]), stamp, owned);
    relay.takeChanged(0, 0);
    relay.apply(update([[1, 2, { cursor: 2 }]]), stamp, owned);
    expect(read(relay.takeChanged(0, 0).update)).toEqual({ 1: { cursor: 2, user: { name: "Stamped" } } });
  });
});

describe("AwarenessRelay limits what one connection may set", () => {
  it("a connection sets only the ids it introduced; echoes of others' states are dropped unseen, forgeries refused", () => {
    const relay = new AwarenessRelay();
    const alice = new Set<number>();
    const mallory = new Set<number>();
    expect(relay.apply(update([[1, 1, { cursor: 1 }]]), stamp, alice).changed).toBe(true);
    relay.takeChanged(0, 0);
    // The stock client echoes what it received: same clock, dropped without a word.
    expect(relay.apply(update([[1, 1, { cursor: 1 }]]), stamp, mallory)).toEqual({ changed: false, problem: null, set: 0 });
    // A newer state or a removal of Alice's id from another connection is forged.
    expect(relay.apply(update([[1, 2, { cursor: 666 }]]), stamp, mallory).problem).toMatch(/belongs to another connection/);
    expect(relay.apply(update([[9, 1, { cursor: 9 }], [1, 5, null]]), stamp, mallory).problem).toMatch(/belongs to another connection/);
    // Nothing of a refused message is kept, not even its harmless part.
    expect(relay.hasChanges).toBe(false);
    expect(read(relay.encodeAll())).toEqual({ 1: { cursor: 1, user: { name: "Stamped" } } });
    // Once Alice's connection is gone, her id may be announced again (a reconnect).
    relay.remove(alice);
    expect(relay.apply(update([[1, 7, { cursor: 2 }]]), stamp, mallory).changed).toBe(true);
  });

  it("caps the size of a state, the states of a message and the ids of a connection", () => {
    const relay = new AwarenessRelay({ maxStateBytes: 100, maxStates: 2 });
    const owned = new Set<number>();
    expect(relay.apply(update([[1, 1, { cursor: "x".repeat(200) }]]), stamp, owned).problem).toMatch(/at most 100 bytes/);
    expect(relay.apply(update([[1, 1, {}], [2, 1, {}], [3, 1, {}]]), stamp, owned).problem).toMatch(/at most 2 states/);
    expect(relay.apply(update(Array.from({ length: 40 }, (_, i) => [i, 1, { pad: "x".repeat(80) }] as [number, number, unknown])), stamp, owned).problem).toMatch(
      /at most 2 states of 100 bytes/,
    );
    expect(relay.apply(update([[1, 1, {}], [2, 1, {}]]), stamp, owned).set).toBe(2);
    expect(relay.apply(update([[3, 1, {}]]), stamp, owned).problem).toMatch(/at most 2 presence ids/);
    expect(relay.present).toBe(2);
  });
});

describe("AwarenessRelay takes a stock client's echo", () => {
  it("of everyone's presence, however many are present, without refusing it or changing anything", () => {
    const relay = new AwarenessRelay({ maxStateBytes: 100, maxStates: 2 });
    const cursor = (i: number) => ({ cursor: { anchor: i, head: i }, pad: "x".repeat(40) });
    for (let i = 1; i <= 300; i++) relay.apply(update([[i, 1, cursor(i)]]), stamp, new Set<number>());
    relay.takeChanged();
    // What a stock client sends back on receiving everyone's presence: every state, as relayed.
    const echo = relay.encodeAll()!;
    expect(echo.length).toBeGreaterThan(2 * (100 + 20) * 10);
    const result = relay.apply(echo, stamp, new Set<number>());
    expect(result).toEqual({ changed: false, problem: null, set: 0 });
    expect(relay.hasChanges).toBe(false);
  });
});

describe("AwarenessRelay hands an id over", () => {
  it("to another connection only when allowed (the same person reconnecting), and the old one no longer removes it", () => {
    const relay = new AwarenessRelay();
    const old = new Set<number>();
    const fresh = new Set<number>();
    relay.apply(update([[5, 1, { cursor: 1 }]]), stamp, old);
    expect(relay.apply(update([[5, 2, { cursor: 2 }]]), stamp, fresh).problem).toMatch(/another connection/);
    expect(relay.apply(update([[5, 2, { cursor: 2 }]]), stamp, fresh, (owner) => owner === old).changed).toBe(true);
    expect([...old]).toEqual([]);
    relay.remove(old);
    expect(relay.present).toBe(1);
  });
});

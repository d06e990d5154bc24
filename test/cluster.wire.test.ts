import { describe, expect, it } from "vitest";
import * as encoding from "lib0/encoding";
import { decodeClusterMessage, encodeBatch, encodeClusterMessage, type ClusterMessage } from "../server/cluster/wire.js";

describe("cluster messages", () => {
  it("a delivery carries the owner's lease expiry (ms since 1970, past 32 bits); one from a process that does not say it reads as 0", () => {
    const until = Date.now() + 3000;
    const deliver: ClusterMessage = { type: "deliver", token: 7, n: 12, until, messages: [Uint8Array.of(0, 2, 1), Uint8Array.of(1)] };
    expect(decodeClusterMessage(encodeClusterMessage(deliver))).toEqual(deliver);
    expect(decodeClusterMessage(encodeBatch([encodeClusterMessage(deliver)]))).toEqual({ type: "batch", messages: [deliver] });

    // As a process before the expiry was added encodes it: the same fields, nothing after the messages.
    const e = encoding.createEncoder();
    for (const n of [5, 7, 12, 1]) encoding.writeVarUint(e, n); // "deliver" is the sixth type
    encoding.writeVarUint8Array(e, Uint8Array.of(0, 2, 1));
    expect(decodeClusterMessage(encoding.toUint8Array(e))).toEqual({ type: "deliver", token: 7, n: 12, until: 0, messages: [Uint8Array.of(0, 2, 1)] });
  });
});

import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * How long a signed message or forwarded request stays good, either side of the receiver's
 * clock (the processes of a cluster share a machine or a time source): long enough for
 * Redis or a forwarded request to be slow, short enough that a copy captured on the way
 * cannot be played again much later.
 */
const FRESH_MS = 30_000;
const VERSION = 1;
const HEADER_BYTES = 1 + 8 + 32;

/** The keys a cluster secret gives: one for Redis messages, one for forwarded requests (a signature of one is never good for the other). */
export interface ClusterKeys {
  bus: Buffer;
  forward: Buffer;
}

/** A key for one purpose, derived from ACCORD_CLUSTER_SECRET (the same in every process of the cluster). */
export function clusterKey(secret: string, purpose: string): Buffer {
  return createHmac("sha256", secret).update(`accord cluster ${purpose}`).digest();
}

/** Derives the cluster's keys from ACCORD_CLUSTER_SECRET. */
export function clusterKeys(secret: string): ClusterKeys {
  return { bus: clusterKey(secret, "bus"), forward: clusterKey(secret, "forward") };
}

function busMac(key: Buffer, channel: string, at: Buffer, payload: Uint8Array): Buffer {
  return createHmac("sha256", key).update(channel).update("\0").update(at).update(payload).digest();
}

/**
 * A message as it goes on a Redis channel: version, time sent, HMAC-SHA256 of the channel,
 * the time and the message (so that it is good on that channel only, for FRESH_MS), then
 * the message.
 */
export function signFrame(key: Buffer, channel: string, payload: Uint8Array, now = Date.now()): Buffer {
  const at = Buffer.alloc(8);
  at.writeBigUInt64BE(BigInt(now));
  return Buffer.concat([Buffer.of(VERSION), at, busMac(key, channel, at, payload), payload]);
}

/** The message a frame carries when its signature is right and it is fresh; null for anything else (unsigned, forged, stale, replayed on another channel). */
export function openFrame(key: Buffer, channel: string, frame: Uint8Array, now = Date.now()): Uint8Array | null {
  if (frame.length < HEADER_BYTES || frame[0] !== VERSION) return null;
  const bytes = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const at = bytes.subarray(1, 9);
  if (Math.abs(Number(at.readBigUInt64BE()) - now) > FRESH_MS) return null;
  const payload = bytes.subarray(HEADER_BYTES);
  if (!timingSafeEqual(bytes.subarray(9, HEADER_BYTES), busMac(key, channel, at, payload))) return null;
  return payload;
}

/** What a forwarded request's signature covers. */
export interface ForwardedRequest {
  method: string;
  /** The path and query, as the client sent them. */
  url: string;
  /** The forwarding process's name. */
  from: string;
  /** The session cookie header as sent (empty when none): a signature is good for that session only. */
  cookie: string;
  /** The body's length in bytes (the body itself may be streamed, so it is bound by length). */
  length: number;
  /** When it was forwarded (ms since the epoch). */
  at: number;
}

function forwardMac(key: Buffer, r: ForwardedRequest): string {
  const cookie = createHash("sha256").update(r.cookie).digest("hex");
  return createHmac("sha256", key).update([r.method, r.url, r.from, cookie, r.length, r.at].join("\n")).digest("hex");
}

/** The signature of a request one process forwards to another. */
export function signForwarded(key: Buffer, r: ForwardedRequest): string {
  return forwardMac(key, r);
}

/** Whether a forwarded request's signature is right and fresh. */
export function forwardedSignatureGood(key: Buffer, r: ForwardedRequest, signature: string, now = Date.now()): boolean {
  if (!Number.isFinite(r.at) || Math.abs(r.at - now) > FRESH_MS || !/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature, "hex"), Buffer.from(forwardMac(key, r), "hex"));
}

import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import proxyaddr from "proxy-addr";

/** Decides whether a hop (address, index from the socket outwards) is a trusted reverse proxy. */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** Trusts no proxy: the socket's peer is the client and the connection's own scheme counts. */
const TRUST_NO_PROXY: ProxyTrust = () => false;

/**
 * Reads `ACCORD_TRUST_PROXY`: empty for none; a number of hops in front of the server
 * (`1`: the peer is the proxy); or proxy addresses, CIDR ranges and the names `loopback`,
 * `linklocal`, `uniquelocal`, comma-separated, as express's `trust proxy` takes them.
 * Only what trusted proxies say in `X-Forwarded-For` and `X-Forwarded-Proto` is believed.
 */
export function parseTrustProxy(value: string | undefined): ProxyTrust {
  const text = (value ?? "").trim();
  if (text === "" || text === "false" || text === "0") return TRUST_NO_PROXY;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address, hop) => hop < hops;
  }
  return proxyaddr.compile(text.split(",").map((s) => s.trim()).filter(Boolean));
}

/** The client's address: the socket's peer, or the nearest hop no trusted proxy vouches for. */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust): string {
  return proxyaddr(req, trust);
}

/**
 * Whether the request reached the front of the service over HTTPS: its own TLS socket, or
 * `X-Forwarded-Proto: https` set by a trusted proxy (the first value: the client-facing hop).
 */
export function requestIsHttps(req: IncomingMessage, trust: ProxyTrust): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const peer = req.socket.remoteAddress;
  if (!peer || !trust(peer, 0)) return false;
  const header = req.headers["x-forwarded-proto"];
  const proto = (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim().toLowerCase();
  return proto === "https";
}

/** The origin (`scheme://host[:port]`) the request was addressed to, as a browser would write it. */
export function requestOrigin(req: IncomingMessage, trust: ProxyTrust): string | null {
  const host = req.headers.host;
  if (!host) return null;
  const scheme = requestIsHttps(req, trust) ? "https" : "http";
  try {
    // The URL parser drops a default port (:80, :443) the way the browser's Origin does.
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}

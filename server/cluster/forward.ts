import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import type { AppContext } from "../context.js";
import { forbidden, coded } from "../http/errors.js";
import { OwnedElsewhere } from "./ownership.js";
import { clusterKeys, forwardedSignatureGood, signForwarded, type ForwardedRequest } from "./signing.js";

/**
 * Marks a request forwarded once, naming the process that forwarded it: its owner does not
 * forward it again (the lease moved meanwhile: 503, try again), nor count it against the
 * caller's request rate a second time. Believed only with a good signature.
 */
const FORWARDED = "x-accord-forwarded";
/** When it was forwarded (ms since the epoch) and the signature (signing.ts) over it. */
const FORWARDED_AT = "x-accord-forwarded-at";
const FORWARDED_SIGNATURE = "x-accord-forwarded-signature";
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "content-length", "host"]);

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

/** The body as received: raw bytes, or JSON that express parsed (re-encoded), or none. */
function bodyOf(req: Request): Buffer | null {
  const body: unknown = req.body;
  if (body === undefined || body === null) return null;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === "string") return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

/** What a forwarded request's signature covers, as the receiver sees it. */
function signedPart(req: Request, from: string, at: number): ForwardedRequest {
  return { method: req.method, url: req.originalUrl, from, cookie: req.headers.cookie ?? "", length: Number(req.headers["content-length"] ?? 0) || 0, at };
}

/** Sends `req` as it came to `ownerUrl` and its answer back as it comes. */
function forward(req: Request, res: Response, ownerUrl: string, processName: string, key: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = bodyOf(req);
    const target = new URL(req.originalUrl, ownerUrl);
    const peer = req.socket.remoteAddress ?? "127.0.0.1";
    const at = Date.now();
    const signed: ForwardedRequest = { method: req.method, url: req.originalUrl, from: processName, cookie: req.headers.cookie ?? "", length: body?.length ?? 0, at };
    const headers = {
      ...endToEnd(req.headers),
      // The owner checks the origin against the address the browser used, and the client's address through its trusted proxies.
      host: req.headers.host ?? target.host,
      "x-forwarded-for": req.headers["x-forwarded-for"] ? `${req.headers["x-forwarded-for"]}, ${peer}` : peer,
      [FORWARDED]: processName,
      [FORWARDED_AT]: String(at),
      [FORWARDED_SIGNATURE]: signForwarded(key, signed),
      ...(body ? { "content-length": String(body.length) } : {}),
    };
    const out = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.status(answer.statusCode ?? 502);
      for (const [name, value] of Object.entries(endToEnd(answer.headers))) res.setHeader(name, value);
      answer.pipe(res);
      answer.on("end", () => resolve());
      answer.on("error", reject);
    });
    out.on("error", reject);
    out.end(body ?? undefined);
  });
}

/**
 * In a cluster: a request that needs a document's live text (a command that changes it, a
 * read of it) and reached a process that does not own the document is forwarded to the
 * owner, which runs it; what the first process did was rolled back with its transaction.
 * Forwarded once at most; an owner it cannot reach answers the 503 ("try again").
 */
export function forwardToOwner(ctx: AppContext): ErrorRequestHandler {
  const key = clusterKeys(ctx.config.clusterSecret!).forward;
  return (error, req, res, next) => {
    if (!(error instanceof OwnedElsewhere) || error.owner.url === null || req.headers[FORWARDED] !== undefined || res.headersSent) return next(error);
    forward(req, res, error.owner.url, ctx.config.processName, key).catch(() => {
      if (!res.headersSent) next(error);
      else res.destroy();
    });
  };
}

/**
 * In a cluster, mounted before the API's gate: a request that says it was forwarded by
 * another process must carry that process's signature (fresh, for this method, path,
 * session and length), else it is refused (403) and logged; a good one is marked
 * (`res.locals.forwardedBy`), so that it is not counted against the caller's request rate
 * twice. A client cannot skip its rate limit, or pose as a process, by setting the header.
 */
export function checkForwarded(ctx: AppContext): RequestHandler {
  const key = clusterKeys(ctx.config.clusterSecret!).forward;
  return (req, res, next) => {
    const from = req.headers[FORWARDED];
    if (from === undefined) return next();
    const at = Number(req.headers[FORWARDED_AT]);
    const signature = req.headers[FORWARDED_SIGNATURE];
    if (typeof from !== "string" || typeof signature !== "string" || !forwardedSignatureGood(key, signedPart(req, from, at), signature)) {
      console.error(`cluster: refused a forwarded ${req.method} ${req.baseUrl + req.path} without a good signature (from ${req.socket.remoteAddress ?? "?"})`);
      throw coded(forbidden("a forwarded request without a good signature"), "cluster.forward_unsigned");
    }
    res.locals.forwardedBy = from;
    next();
  };
}

import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { ErrorRequestHandler, Request, Response } from "express";
import type { AppContext } from "../context.js";
import { OwnedElsewhere } from "./ownership.js";

/** Marks a request forwarded once: its owner does not forward it again (the lease moved meanwhile: 503, try again). */
const FORWARDED = "x-accord-forwarded";
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

/** Sends `req` as it came to `ownerUrl` and its answer back as it comes. */
function forward(req: Request, res: Response, ownerUrl: string, processName: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = bodyOf(req);
    const target = new URL(req.originalUrl, ownerUrl);
    const peer = req.socket.remoteAddress ?? "127.0.0.1";
    const headers = {
      ...endToEnd(req.headers),
      // The owner checks the origin against the address the browser used, and the client's address through its trusted proxies.
      host: req.headers.host ?? target.host,
      "x-forwarded-for": req.headers["x-forwarded-for"] ? `${req.headers["x-forwarded-for"]}, ${peer}` : peer,
      [FORWARDED]: processName,
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
  return (error, req, res, next) => {
    if (!(error instanceof OwnedElsewhere) || error.owner.url === null || req.headers[FORWARDED] !== undefined || res.headersSent) return next(error);
    forward(req, res, error.owner.url, ctx.config.processName).catch(() => {
      if (!res.headersSent) next(error);
      else res.destroy();
    });
  };
}

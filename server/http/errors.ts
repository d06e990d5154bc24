import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { DamagedText, retryLater, storageFault } from "../store/faults.js";

/**
 * An error a person can act on: an HTTP status (4xx) and a sentence, optionally with every
 * reason that blocks an action. Commands throw it; the HTTP layer and the websocket layer
 * turn it into their own refusals.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reasons?: string[],
  ) {
    super(message);
  }
}

/** 400: the request is malformed. */
export const badRequest = (message: string, reasons?: string[]) => new HttpError(400, message, reasons);
/** 401: no valid session. */
export const unauthorized = (message = "sign in first") => new HttpError(401, message);
/** 403: signed in, but not allowed to do this. */
export const forbidden = (message: string) => new HttpError(403, message);
/** 404: no such thing in the caller's meeting. */
export const notFound = (what: string) => new HttpError(404, `${what} not found`);
/** 409: the thing's state does not allow it now. */
export const conflict = (message: string, reasons?: string[]) => new HttpError(409, message, reasons);

/**
 * 409 for what blocks `doing` ("OP3 cannot turn yellow"), saying each sentence once: with
 * one reason the message names it; with several it counts them and `reasons` lists each
 * (the message never repeats the first of the list a client shows under it).
 */
export function blockedBy(doing: string, reasons: readonly string[]): HttpError {
  const message = reasons.length === 1 ? `${doing}: ${reasons[0]}` : `${doing} for ${reasons.length} reasons`;
  return new HttpError(409, message, [...reasons]);
}

/** 413: the thing would grow past a configured limit. */
export const tooLarge = (message: string) => new HttpError(413, message);
/** 503: the server cannot do it now, through no fault of the caller (storage, a quarantined document). */
export const unavailable = (message: string) => new HttpError(503, message);

/** The human-readable reasons of a zod validation failure. */
export function zodReasons(error: ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message));
}

/** Answers 404 in JSON for an unknown API route. */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route ${req.method} ${req.path}` });
};

/**
 * Turns any error into a JSON answer. Known client mistakes become 4xx with a sentence;
 * anything else is a 500 that is logged, with no internals in the answer.
 */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: err.message, ...(err.reasons ? { reasons: err.reasons } : {}) });
    return;
  }
  // The storage failing is not the caller's mistake, and the request changed nothing.
  const fault = storageFault(err);
  if (fault !== null) {
    console.error("storage fault answering a request:", (err as Error).message);
    res.setHeader("Retry-After", "5");
    res.status(503).json({ error: retryLater(fault) });
    return;
  }
  if (err instanceof DamagedText) {
    res.status(503).json({ error: "this document's stored text is damaged; it is quarantined and the secretariat has been told" });
    return;
  }
  if (err instanceof ZodError) {
    const reasons = zodReasons(err);
    res.status(400).json({ error: `invalid request: ${reasons.join("; ")}`, reasons });
    return;
  }
  const status = typeof err?.status === "number" ? err.status : typeof err?.statusCode === "number" ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    // body-parser's errors: malformed JSON, too large, wrong charset.
    const message = err.type === "entity.parse.failed" ? "the request body is not valid JSON" : String(err.message || "bad request");
    res.status(status).json({ error: message });
    return;
  }
  console.error("unexpected error", err);
  res.status(500).json({ error: "internal error; the request was not carried out" });
};

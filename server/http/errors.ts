import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError, type core } from "zod";
import { DamagedText, refusedValue, retryLater, storageFault } from "../store/faults.js";
import { actionPhrase, reasonCodes, refusalOf, type Action, type Refusal } from "./refusals.js";

/** The values an error's sentence names (a state, a paragraph), for a client that words it in another language. */
export type ErrorParams = Record<string, string | number>;

/**
 * The parts of an error's sentence that are sentences themselves, with their codes, for a
 * client that words the whole sentence in another language (docs/API.md, "Error codes"):
 * what was blocked (`action.blocked`'s `doing`) and each part of a not-clean summary.
 */
export interface SentenceParts {
  /** The code and values of `doing`, the action a guard blocked ("A3 cannot be accepted"). */
  doingCode?: Refusal;
  /** Each part of the summary after "the document is not clean: ", in order ("3 brackets open (PP8, OP4)"). */
  summary?: string[];
  /** The code and values of each part of `summary`, in its order (null for one without a code). */
  summaryCodes?: Array<Refusal | null>;
  /** The code and values of each reason, where they do not come from the refusals table (a validation failure's). */
  reasonCodes?: Array<Refusal | null>;
}

/**
 * An error a person can act on: an HTTP status (4xx) and a sentence, optionally with every
 * reason that blocks an action, a stable machine `code` and the values the sentence names
 * (`params`), and the codes of the sentence's own parts (`parts`), so that a client may say
 * it in the person's language. Commands throw it; the HTTP layer and the websocket layer
 * turn it into their own refusals.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reasons?: string[],
    readonly code?: string,
    readonly params?: ErrorParams,
    readonly parts?: SentenceParts,
  ) {
    super(message);
  }
}

/** The same error with a stable code (docs/API.md, "Error codes"), the values its sentence names and the codes of its parts. */
export function coded(error: HttpError, code: string, params?: ErrorParams, parts?: SentenceParts): HttpError {
  return new HttpError(error.status, error.message, error.reasons, code, params, parts ?? error.parts);
}

/** The code of an error without one of its own: what its status says (docs/API.md, "Error codes"). */
const STATUS_CODES: Record<number, string> = {
  400: "request.invalid",
  401: "session.required",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  410: "gone",
  413: "too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "too_many_requests",
  503: "unavailable",
};

/** The stable code of an HttpError: its own, else its sentence's (server/http/refusals.ts), else its status's. */
export function errorCode(error: HttpError): string {
  return error.code ?? refusalOf(error.message)?.code ?? STATUS_CODES[error.status] ?? (error.status >= 500 ? "unavailable" : "request.invalid");
}

/**
 * The JSON body of an error answer: the sentence, its code, and its params and reasons where
 * it has them, each reason's code and values in `reasonCodes` (null for one without), and
 * the codes of the sentence's parts (`doingCode`, `summaryCodes`) where it has them.
 */
export function errorBody(error: HttpError): { error: string; code: string; params?: ErrorParams; reasons?: string[]; reasonCodes?: Array<Refusal | null> } & SentenceParts {
  const known = error.code === undefined ? refusalOf(error.message) : null;
  const params = error.code === undefined ? known?.params : error.params;
  return {
    error: error.message,
    code: known?.code ?? errorCode(error),
    ...(params ? { params } : {}),
    ...(error.reasons ? { reasons: error.reasons, reasonCodes: reasonCodes(error.reasons) } : {}),
    ...error.parts,
  };
}

/** 400: the request is malformed. */
export const badRequest = (message: string, reasons?: string[]) => new HttpError(400, message, reasons);
/** 401: no valid session. */
export const unauthorized = (message = "sign in first") => new HttpError(401, message, undefined, "session.required");
/** 403: signed in, but not allowed to do this. */
export const forbidden = (message: string) => new HttpError(403, message);
/**
 * 404: no such thing in the caller's meeting. A plain noun ("document", "signing key")
 * gives the code `<noun>.not_found` (`signing_key.not_found`); anything longer takes its
 * sentence's code (server/http/refusals.ts).
 */
export const notFound = (what: string) =>
  new HttpError(404, `${what} not found`, undefined, /^[a-z]+( [a-z]+)?$/.test(what) ? `${what.replace(" ", "_")}.not_found` : undefined);
/** 409: the thing's state does not allow it now. */
export const conflict = (message: string, reasons?: string[]) => new HttpError(409, message, reasons);

/**
 * 409 for what blocks an action (`status.turn` {paragraph: "OP3", status: "yellow"}: "OP3
 * cannot turn yellow"), saying each sentence once: with one reason the message names it;
 * with several it counts them and `reasons` lists each (the message never repeats the first
 * of the list a client shows under it). The action's code and values come as `doingCode`.
 */
export function blockedBy(action: Action, reasons: readonly string[]): HttpError {
  const doing = actionPhrase(action);
  const message = reasons.length === 1 ? `${doing}: ${reasons[0]}` : `${doing} for ${reasons.length} reasons`;
  const [code, params] = reasons.length === 1 ? ["action.blocked", { doing, reason: reasons[0]! }] : ["action.blocked_several", { doing, count: reasons.length }];
  const doingCode: Refusal = action.params ? { code: action.code, params: { ...action.params } } : { code: action.code };
  return new HttpError(409, message, [...reasons], code, params, { doingCode });
}

/** 413: the thing would grow past a configured limit. */
export const tooLarge = (message: string) => new HttpError(413, message);
/** 503: the server cannot do it now, through no fault of the caller (storage, a quarantined document). */
export const unavailable = (message: string) => new HttpError(503, message);

/** The human-readable reasons of a zod validation failure. */
export function zodReasons(error: ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message));
}

/** What a size limit counts, by what zod measured: characters of a string, items of a list, else the value. */
function measured(origin: string, text: string, list: string, value: string): string {
  return origin === "string" ? text : origin === "array" || origin === "set" ? list : value;
}

/**
 * The stable code and values of one zod issue (docs/API.md, "Error codes"), `field` naming
 * where it is: a refinement's own words by their code where the refusals table has them,
 * else by what went wrong (`validation.required`, `validation.too_long` {maximum}, …).
 */
function zodReasonCode(issue: core.$ZodIssue): Refusal {
  const field = issue.path.map(String).join(".");
  // zod's own messages ("Invalid input: expected string, …") are said by the kind of problem zod reports.
  const own = issue.code === "custom" ? refusalOf(issue.message) : null;
  if (own) return { code: own.code, params: { ...own.params, field } };
  switch (issue.code) {
    case "invalid_type":
      return /received undefined$/.test(issue.message) ? { code: "validation.required", params: { field } } : { code: "validation.invalid_type", params: { field, expected: issue.expected } };
    case "too_small":
      return { code: measured(issue.origin, "validation.too_short", "validation.too_few", "validation.too_small"), params: { field, minimum: Number(issue.minimum) } };
    case "too_big":
      return { code: measured(issue.origin, "validation.too_long", "validation.too_many", "validation.too_big"), params: { field, maximum: Number(issue.maximum) } };
    case "invalid_value":
      return { code: "validation.invalid_value", params: { field, values: issue.values.map(String).join(", ") } };
    case "unrecognized_keys":
      return { code: "validation.unrecognized_keys", params: { field, keys: issue.keys.join(", ") } };
    case "invalid_format":
      return { code: "validation.invalid_format", params: { field } };
    default:
      return { code: "validation.invalid", params: { field } };
  }
}

/**
 * 400 for a zod validation failure: "invalid request: " and every reason, each naming its
 * field, with each reason's code and values in `reasonCodes`.
 */
export function invalidRequest(error: ZodError): HttpError {
  const reasons = zodReasons(error);
  const joined = reasons.join("; ");
  return coded(badRequest(`invalid request: ${joined}`, reasons), "request.invalid", { reasons: joined }, { reasonCodes: error.issues.map(zodReasonCode) });
}

/** Answers 404 in JSON for an unknown API route. */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route ${req.method} ${req.path}`, code: "route.not_found" });
};

/**
 * Turns any error into a JSON answer. Known client mistakes become 4xx with a sentence;
 * anything else is a 500 that is logged, with no internals in the answer.
 */
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof HttpError) {
    res.status(err.status).json(errorBody(err));
    return;
  }
  // The storage failing is not the caller's mistake, and the request changed nothing.
  const fault = storageFault(err);
  if (fault !== null) {
    console.error("storage fault answering a request:", (err as Error).message);
    res.setHeader("Retry-After", "5");
    res.status(503).json({ error: retryLater(fault), code: "storage.unavailable" });
    return;
  }
  if (refusedValue(err)) {
    console.error("a request's value reached the database unchecked:", (err as Error).message);
    res.status(400).json({ error: "invalid request: a value in it is not one the server can store (a number out of range or malformed, or a character not allowed)", code: "request.invalid" });
    return;
  }
  if (err instanceof DamagedText) {
    res.status(503).json({ error: "this document's stored text is damaged; it is quarantined and the secretariat has been told", code: "document.quarantined" });
    return;
  }
  if (err instanceof ZodError) {
    res.status(400).json(errorBody(invalidRequest(err)));
    return;
  }
  const status = typeof err?.status === "number" ? err.status : typeof err?.statusCode === "number" ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    // body-parser's errors: malformed JSON, too large, wrong charset.
    const message = err.type === "entity.parse.failed" ? "the request body is not valid JSON" : String(err.message || "bad request");
    const code = err.type === "entity.parse.failed" ? "request.not_json" : err.type === "entity.too.large" ? "request.too_large" : "request.invalid";
    res.status(status).json({ error: message, code });
    return;
  }
  console.error("unexpected error", err);
  res.status(500).json({ error: "internal error; the request was not carried out", code: "internal" });
};

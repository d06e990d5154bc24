import { ApiError, type ApiClient } from "../panels/context.js";
import { actionSentence, codeSentence, reasonSentence } from "../i18n/index.js";
import type { ReasonCode } from "../../schema/lifecycle.js";

/**
 * The HTTP client of the editor: same-origin JSON with the session cookie (sent by the
 * browser) and the CSRF token on every state-changing call. An error answer becomes an
 * `ApiError` carrying the server's sentence and every blocking reason.
 */
export class HttpApiClient implements ApiClient {
  /** The CSRF token of the current session; set after sign-in or session lookup. */
  csrfToken: string | null = null;
  /** Called when the server says the session is gone (401), e.g. to show the login page. */
  onUnauthorized: (() => void) | null = null;

  get<T>(path: string): Promise<T> {
    return this.send<T>("GET", path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>("POST", path, body);
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>("PUT", path, body);
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>("PATCH", path, body);
  }
  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>("DELETE", path, body);
  }

  /** Posts a file as the raw request body (an import), with its content type; parses the JSON answer. */
  upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
    return this.send<T>("POST", path, undefined, { file, contentType });
  }

  /** Sends one request (a JSON body, or a raw file) and parses the JSON answer (undefined for 204). */
  async send<T>(method: string, path: string, body?: unknown, raw?: { file: Blob; contentType: string }): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (raw) headers["content-type"] = raw.contentType;
    if (method !== "GET" && this.csrfToken) headers["x-csrf-token"] = this.csrfToken;
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        credentials: "same-origin",
        body: raw ? raw.file : body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "the server cannot be reached; check the connection", [], "net.unreachable");
    }
    const text = await response.text();
    let parsed: unknown ;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!response.ok) {
      if (response.status === 401 && !path.startsWith("/api/session")) this.onUnauthorized?.();
      throw apiErrorOf(response.status, parsed, `${method} ${path} failed (${response.status})`);
    }
    return parsed as T;
  }
}

/**
 * The ApiError of an error answer's JSON body (`{error, code, params, reasons, reasonCodes,
 * doingCode, summary, summaryCodes}`, docs/API.md), or `fallback` when it has no sentence.
 * The action an `action.blocked` names (`doing`), the one reason inside it and the summary
 * of a `document.not_clean` are put into its params already worded by their own codes.
 */
export function apiErrorOf(status: number, body: unknown, fallback: string): ApiError {
  const answer = (body ?? {}) as {
    error?: unknown;
    reasons?: unknown;
    code?: unknown;
    params?: unknown;
    reasonCodes?: unknown;
    doingCode?: unknown;
    summary?: unknown;
    summaryCodes?: unknown;
  };
  const message = typeof answer.error === "string" ? answer.error : fallback;
  const reasons = Array.isArray(answer.reasons) ? answer.reasons.map(String) : [];
  const reasonCodes = Array.isArray(answer.reasonCodes) ? reasons.map((_, i) => reasonCodeOf((answer.reasonCodes as unknown[])[i])) : [];
  const code = typeof answer.code === "string" ? answer.code : null;
  const params = answer.params && typeof answer.params === "object" ? { ...(answer.params as Record<string, string | number>) } : {};
  if (code === "action.blocked" && typeof params.reason === "string" && reasons.length === 1) params.reason = reasonSentence(params.reason, reasonCodes[0]);
  if (typeof params.doing === "string") params.doing = actionSentence(reasonCodeOf(answer.doingCode)) ?? params.doing;
  // A validation failure names its reasons in its sentence: each said by its code.
  if (code === "request.invalid" && typeof params.reasons === "string" && reasons.length > 0) params.reasons = reasons.map((reason, i) => reasonSentence(reason, reasonCodes[i])).join("; ");
  if (Array.isArray(answer.summary)) {
    const codes = Array.isArray(answer.summaryCodes) ? answer.summaryCodes : [];
    params.summary = answer.summary.map((part, i) => reasonSentence(String(part), reasonCodeOf(codes[i]))).join("; ");
  }
  return new ApiError(status, message, reasons, code, params, reasonCodes);
}

/** One entry of an answer's `reasonCodes`, or null if it is none. */
function reasonCodeOf(entry: unknown): ReasonCode | null {
  const candidate = entry as { code?: unknown; params?: unknown } | null;
  if (!candidate || typeof candidate.code !== "string") return null;
  return candidate.params && typeof candidate.params === "object" ? { code: candidate.code, params: candidate.params as Record<string, string | number> } : { code: candidate.code };
}

/**
 * An API error's sentence in the interface language: the catalogue's message for its code
 * (`error.<code>`) where there is one, else the server's English sentence. A document not
 * clean says its summary where the answer gave one (`error.document.not_clean_summary`).
 */
export function errorSentence(error: ApiError): string {
  const code = error.code === "document.not_clean" && typeof error.params.summary === "string" ? "document.not_clean_summary" : error.code;
  return codeSentence(code, error.params) ?? error.message;
}

/** Whether an error is the API saying "no such route (yet)": a feature not installed. */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/**
 * The reasons a person needs to read besides an error's sentence. The server says each
 * sentence once: a refusal for one reason names it in the message; a refusal for several
 * counts them there and lists each in `reasons`.
 */
export function listedReasons(error: ApiError): string[] {
  return error.reasons.length > 1 ? error.reasons.map((reason, i) => reasonSentence(reason, error.reasonCodes[i])) : [];
}

/** A sentence for a person from any error, with the server's reasons when it gave several. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const more = listedReasons(error);
    const sentence = errorSentence(error);
    return more.length ? `${sentence}: ${more.join("; ")}` : sentence;
  }
  return error instanceof Error ? error.message : String(error);
}

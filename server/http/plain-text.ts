import type { RequestHandler } from "express";
import type { z } from "zod";
import { plainTextProblem } from "../../schema/plain-text.js";
import { badRequest } from "./errors.js";

/**
 * The one refinement for every name, symbol, label and reason a request carries: refuses
 * NUL, bidirectional controls and lone surrogates (`plainTextProblem`) with a reason that
 * names the field. Use it at every edge that takes such a string:
 * `plainText(z.string().trim().min(1).max(300))`.
 */
export function plainText<T extends z.ZodType<string>>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    const problem = plainTextProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }) as unknown as T;
}

/** Where the first NUL of a parsed JSON body is ("title", "content.0.text", "(a key)"), or null without one. */
function nulIn(body: unknown): string | null {
  // Iterative: a body nested thousands deep must not overflow the stack here.
  const pending: Array<[value: unknown, path: string]> = [[body, ""]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return path || "body";
    } else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key;
        if (key.includes("\u0000")) return `${at} (a key)`;
        pending.push([inner, at]);
      }
    }
  }
  return null;
}

/**
 * Refuses, before any route reads it, a request whose address, query or JSON body holds a
 * NUL character: no id, name or text of Accord may contain one, and PostgreSQL cannot
 * store one (it would fail as the database's error, a 500, where SQLite kept it).
 */
export const refuseNul: RequestHandler = (req, _res, next) => {
  if (/%00/i.test(req.originalUrl)) return next(badRequest("invalid request: the address contains a NUL character (%00)", ["address: contains a NUL character"]));
  const where = nulIn(req.body);
  if (where !== null) return next(badRequest(`invalid request: ${where}: contains a NUL character`, [`${where}: contains a NUL character`]));
  next();
};

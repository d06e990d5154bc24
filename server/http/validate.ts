import type { z } from "zod";
import { invalidRequest } from "./errors.js";

/**
 * Parses untrusted input with a zod schema; a mismatch is a 400 whose reasons name each
 * offending field, with their codes. Everything past this point may trust the types.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(result.error);
  return result.data;
}

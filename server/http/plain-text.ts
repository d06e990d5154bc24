import type { z } from "zod";
import { plainTextProblem } from "../../schema/plain-text.js";

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

/** What the server accepts to open, answer and change comment threads (docs/API.md, "Comments and delegation notes"). */
import { z } from "zod";
import { plainTextProblem } from "../../plain-text.js";
import { COMMENT_MAX_LENGTH } from "../comments.js";

// An encoded relative position is a few dozen bytes; the bound only keeps junk out.
const Position = z.string().min(1).max(400).regex(/^[A-Za-z0-9+/=]+$/, "base64");

/** A comment's words: at most COMMENT_MAX_LENGTH characters, no NUL, bidirectional control or lone surrogate. */
const Body = z
  .string()
  .min(1)
  .max(COMMENT_MAX_LENGTH)
  .superRefine((value, ctx) => {
    const problem = plainTextProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** `POST /api/documents/:id/comments`: a thread on a paragraph, or on a range of its words. */
export const NewThread = z.object({
  paragraphId: z.string().min(1).max(64),
  range: z.object({ start: Position, end: Position }).optional(),
  body: Body,
  note: z.boolean().optional(),
});
/** The body of `POST /api/documents/:id/comments`. */
export type NewThreadBody = z.infer<typeof NewThread>;

/** `POST /api/comments/:id/replies` and `PATCH /api/comments/:id`: the words. */
export const CommentText = z.object({ body: Body });
/** The body of a reply or an edit. */
export type CommentTextBody = z.infer<typeof CommentText>;

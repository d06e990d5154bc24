import { registerOwner } from "../auth/owners.js";
import type { Feature } from "../features.js";
import { commentRoutes } from "./routes.js";

/**
 * Comments and delegation notes: threads anchored to a paragraph or to a range of its text
 * (Yjs relative positions, so they follow the words through edits), with replies,
 * mentions, resolution; a note is seen by its delegation only. Neither touches the text,
 * its hash, versions or exports. Its table is `comments` (migrations/025_comments.sql).
 */
export const commentsFeature: Feature = {
  name: "comments",
  routes(ctx) {
    registerOwner("comments", "comment", "SELECT d.meeting_id FROM comments c JOIN documents d ON d.id = c.document_id WHERE c.id = ?");
    return commentRoutes(ctx);
  },
};

import { newId } from "../../schema/ids.js";
import { SYSTEM } from "../../server/audit/audit.js";
import { runCommand } from "../../server/commands/command.js";
import type { AppContext } from "../../server/context.js";
import { createDocument } from "../../server/documents/documents.js";

/**
 * A second meeting with a plenary and one document (title and one paragraph), written
 * straight into the store, so tests can check that ids of other meetings are refused.
 */
export function documentElsewhere(ctx: AppContext): { meetingId: string; documentId: string; paragraphId: string } {
  const meetingId = newId("m");
  const bodyId = newId("b");
  ctx.db.prepare("INSERT INTO meetings (id, title, series_symbol, created_at) VALUES (?, 'Another meeting', 'X', '2026')").run(meetingId);
  ctx.db.prepare("INSERT INTO bodies (id, meeting_id, kind, name, short_name) VALUES (?, ?, 'plenary', 'Plenary', 'P')").run(bodyId, meetingId);
  const paragraphId = newId("p");
  const documentId = runCommand(ctx, (tx) =>
    createDocument(tx, SYSTEM, {
      meetingId,
      bodyId,
      kind: "group_report",
      title: "Elsewhere",
      symbol: "X/doc.1",
      blocks: [
        { id: newId("p"), type: "title", kind: "title", level: 0, runs: [{ text: "Elsewhere" }] },
        { id: paragraphId, type: "paragraph", kind: "op", level: 0, runs: [{ text: "Someone else's paragraph." }] },
      ],
    }),
  );
  return { meetingId, documentId, paragraphId };
}

import type { AppContext } from "../context.js";

/** The ids of a meeting's plenary bodies, whose chairs adopt its documents. */
export function plenaryBodyIds(ctx: Pick<AppContext, "db">, meetingId: string): string[] {
  return ctx.db.prepare("SELECT id FROM bodies WHERE meeting_id = ? AND kind = 'plenary'").pluck().all(meetingId) as string[];
}

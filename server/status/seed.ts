import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { documentText } from "../documents/paragraphs.js";
import type { DemoMeeting } from "../seed/demo.js";
import { setParagraphStatus } from "./set.js";

/**
 * The demo's agreement state, through the feature's own command: some paragraphs agreed in
 * the group (yellow) or ad referendum. Agreed text is locked, so the instruments recalled
 * (PP3, PP4) and PP6 are agreed and the paragraphs people are still drafting (and tests
 * type in) stay white, as do the group reports.
 */
export function seedStatuses(ctx: AppContext, demo: DemoMeeting): void {
  const user = (name: string) => demo.users[name]!;
  const refs = (documentId: string) => new Map(documentText(ctx, documentId).paragraphs.map((p) => [p.ref, p.id]));
  runCommand(ctx, (tx) => {
    const declaration = refs(demo.documents.declaration!);
    for (const ref of ["PP3", "PP4", "PP6"]) setParagraphStatus(tx, user("chair"), demo.documents.declaration!, declaration.get(ref)!, "yellow");
    setParagraphStatus(tx, user("chair"), demo.documents.declaration!, declaration.get("OP4(c)")!, "ad_ref");
  });
}

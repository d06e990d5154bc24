import type { AppContext } from "../context.js";
import { runCommand } from "../commands/command.js";
import { documentText } from "../documents/paragraphs.js";
import type { DemoMeeting } from "../seed/demo.js";
import { setParagraphStatus } from "./set.js";

/**
 * The demo's agreement state, through the feature's own command: some paragraphs agreed in
 * the group (yellow) or ad referendum. OP2 and OP3 stay white: tests use them.
 */
export function seedStatuses(ctx: AppContext, demo: DemoMeeting): void {
  const user = (name: string) => demo.users[name]!;
  const refs = (documentId: string) => new Map(documentText(ctx, documentId).paragraphs.map((p) => [p.ref, p.id]));
  runCommand(ctx, (tx) => {
    const declaration = refs(demo.documents.declaration!);
    for (const ref of ["PP1", "PP2", "OP1"]) setParagraphStatus(tx, user("chair"), demo.documents.declaration!, declaration.get(ref)!, "yellow");
    setParagraphStatus(tx, user("chair"), demo.documents.declaration!, declaration.get("OP8")!, "ad_ref");
    const wg1 = refs(demo.documents.wg1!);
    for (const ref of ["OP1", "OP2"]) setParagraphStatus(tx, user("wg1.chair"), demo.documents.wg1!, wg1.get(ref)!, "yellow");
  });
}

import type { Feature } from "../features.js";
import { runCommand } from "../commands/command.js";
import { documentText } from "../documents/paragraphs.js";
import { joinCosponsors } from "./cosponsors.js";
import { draftAmendment } from "./draft.js";
import { documentAmendmentBlockers, paragraphAmendmentBlockers } from "./guards.js";
import { amendmentRoutes } from "./routes.js";
import { staleOnTextChange } from "./staleness.js";
import { tableAmendment } from "./table.js";
import { amendedParagraphRemovalRule } from "./removal.js";

/**
 * Paragraph-level amendments: delegations draft, table and co-sponsor them, the chair
 * decides, accepted ones are applied to the live text; civil society recommendations can
 * become amendments. Amendments go stale when their paragraph moves under them, and keep
 * a document from being agreed while on the table.
 */
export const amendmentsFeature: Feature = {
  name: "amendments",
  routes: amendmentRoutes,
  hooks(ctx) {
    ctx.hooks.onTextChange(staleOnTextChange);
    ctx.hooks.addRemovalRule(amendedParagraphRemovalRule(ctx));
    ctx.guards.addDocumentCheck(documentAmendmentBlockers);
    ctx.guards.addParagraphCheck(paragraphAmendmentBlockers);
  },
  seed(ctx, demo) {
    // Away from OP2 and OP3, which tests use: OP5, OP7 and PP5 of the declaration.
    const docId = demo.documents.declaration!;
    const byRef = new Map([...documentText(ctx, docId).byId.values()].map((p) => [p.ref, p.block.id]));
    const user = (name: string) => demo.users[name]!;
    runCommand(ctx, (tx) => {
      const bra = draftAmendment(tx, user("bra.delegate"), docId, {
        paragraphId: byRef.get("OP5")!,
        operation: "replace",
        content: {
          text: "To establish a network of national focal points on trafficking in persons, coordinated by the OAS General Secretariat, to improve communication, information exchange and cooperation among member states.",
        },
        rationale: "Names who coordinates the network, so that it can actually be set up.",
      });
      tableAmendment(tx, user("bra.delegate"), bra.id);
      joinCosponsors(tx, user("col.delegate"), bra.id);
      draftAmendment(tx, user("mex.delegate"), docId, {
        paragraphId: byRef.get("OP7")!,
        operation: "insert_after",
        content: { text: "To encourage member states to include civil society organizations in the implementation of the Work Programme." },
        rationale: "Civil society runs most shelters in the region; the Work Programme should say so.",
      });
      const usa = draftAmendment(tx, user("usa.delegate"), docId, {
        paragraphId: byRef.get("PP5")!,
        operation: "delete",
        rationale: "REMJA-VII is covered by the reference to REMJA-VIII in the operative part.",
      });
      tableAmendment(tx, user("usa.delegate"), usa.id);
    });
  },
};

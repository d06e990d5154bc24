import type { Feature } from "../features.js";
import { runCommand } from "../commands/command.js";
import { documentText } from "../documents/paragraphs.js";
import { joinCosponsors } from "./cosponsors.js";
import { draftAmendment } from "./draft.js";
import { documentAmendmentBlockers, paragraphAmendmentBlockers } from "./guards.js";
import { amendmentRoutes } from "./routes.js";
import { staleOnTextChange } from "./staleness.js";
import { tableAmendment } from "./table.js";
import { decideAmendment } from "./decide.js";
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
      // Two amendments the group accepted after the text was circulated (and translated):
      // the dates of the first meeting and where the results go, in PP2 and OP8.
      const accepted = (sponsor: string, ref: string, text: string, rationale: string) => {
        const a = draftAmendment(tx, user(sponsor), docId, { paragraphId: byRef.get(ref)!, operation: "replace", content: { text }, rationale });
        tableAmendment(tx, user(sponsor), a.id);
        decideAmendment(tx, user("chair"), a.id, { decision: "accepted", reason: "agreed in the group" });
      };
      accepted(
        "ven.delegate",
        "PP2",
        "REAFFIRMING the commitments undertaken in the Conclusions and Recommendations of the First Meeting of National Authorities on Trafficking in Persons, held on Isla Margarita, Bolivarian Republic of Venezuela, from March 14 to 17, 2006;",
        "Gives the dates of the first meeting, as its report does.",
      );
      accepted(
        "per.delegate",
        "OP8",
        "To report on the results of this meeting to the Eighth Meeting of Ministers of Justice or Other Ministers or Attorneys General of the Americas (REMJA-VIII) and to the General Assembly at its thirty-ninth regular session.",
        "The General Assembly asked for the results too (AG/RES. 2348).",
      );
    });
  },
};

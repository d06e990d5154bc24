import type { DocumentInfo, SessionUser } from "../panels/context.js";

/** A document state as the room says it. */
export const STATE_LABELS: Record<DocumentInfo["state"], string> = {
  draft: "Draft",
  negotiation: "Under negotiation",
  agreed_ad_ref: "Agreed ad referendum",
  referred: "Referred to plenary",
  adopted: "Adopted",
  signed: "Signed",
  withdrawn: "Withdrawn",
};

/** A document kind as the room says it. */
export const KIND_LABELS: Record<DocumentInfo["kind"], string> = {
  declaration: "Declaration",
  resolution: "Resolution",
  decision: "Decision",
  report: "Report",
  group_report: "Working group report",
  work_programme: "Work programme",
  rapporteur_report: "Rapporteur's report",
};

/** A role as the room says it. */
export const ROLE_LABELS: Record<SessionUser["role"], string> = {
  secretariat: "Secretariat",
  chair: "Chair",
  rapporteur: "Rapporteur",
  delegate: "Delegate",
  minister: "Minister",
  observer: "Observer",
};

/** "Delegate of Argentina · ARG" style description of the signed-in user. */
export function describeUser(user: Pick<SessionUser, "displayName" | "delegation">): string {
  return user.delegation ? `${user.displayName} · ${user.delegation}` : user.displayName;
}

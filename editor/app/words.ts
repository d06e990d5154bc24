import type { DocumentInfo, SessionUser } from "../panels/context.js";
import { t, type MessageKey } from "../i18n/index.js";

// The language is fixed for the life of a page (choosing another reloads it), so these
// tables are read from the catalogue once, when the editor starts.

/** The catalogue key of each document state. */
const STATE_KEYS: Record<DocumentInfo["state"], MessageKey> = {
  draft: "state.draft",
  negotiation: "state.negotiation",
  agreed_ad_ref: "state.agreed_ad_ref",
  referred: "state.referred",
  adopted: "state.adopted",
  signed: "state.signed",
  withdrawn: "state.withdrawn",
};

/** A document state as the room says it, in the interface language. */
export const STATE_LABELS: Record<DocumentInfo["state"], string> = labels(STATE_KEYS);

/** A document kind as the room says it, in the interface language. */
export const KIND_LABELS: Record<DocumentInfo["kind"], string> = labels({
  declaration: "kind.declaration",
  resolution: "kind.resolution",
  decision: "kind.decision",
  report: "kind.report",
  group_report: "kind.group_report",
  work_programme: "kind.work_programme",
  rapporteur_report: "kind.rapporteur_report",
});

/** A role as the room says it, in the interface language. */
export const ROLE_LABELS: Record<SessionUser["role"], string> = labels({
  secretariat: "role.secretariat",
  chair: "role.chair",
  rapporteur: "role.rapporteur",
  delegate: "role.delegate",
  minister: "role.minister",
  observer: "role.observer",
  translator: "role.translator",
});

function labels<K extends string>(keys: Record<K, MessageKey>): Record<K, string> {
  return Object.fromEntries(Object.entries(keys).map(([k, key]) => [k, t(key as MessageKey)])) as Record<K, string>;
}

/** "Delegate of Argentina · ARG" style description of the signed-in user. */
export function describeUser(user: Pick<SessionUser, "displayName" | "delegation">): string {
  return user.delegation ? `${user.displayName} · ${user.delegation}` : user.displayName;
}

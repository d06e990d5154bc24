/**
 * The document state machine of docs/ARCHITECTURE.md §2 as one table: which moves exist, who may make
 * each, which guard must pass and whether a reason is required. The server enforces it;
 * the editor reads the same table to offer only the buttons the user may press.
 */
import { chairsDocument, type Actor, type DocumentState } from "./roles.js";

/** Who may trigger a transition. */
export type TransitionTrigger =
  /** The chair of the body that owns the document (the secretariat acts for any chair). */
  | "body_chair"
  /** A chair of the meeting's plenary (the secretariat does not adopt). */
  | "plenary_chair"
  | "rapporteur"
  | "secretariat"
  /** Nobody: the server makes the move itself when its guard passes. */
  | "automatic";

/** What must hold before a transition may happen. */
export type TransitionGuard =
  /** No open bracket, no tabled amendment, every paragraph at least yellow (features report it). */
  | "clean"
  /** Every required signatory has signed the adopted text. */
  | "all_signed"
  /** Every language version of the document is current in every paragraph (each text is authentic). */
  | "authentic_texts";

/** One permitted move of the state machine. */
export interface TransitionRule {
  /** The move in the domain's words (`reopen`, `adopt`…). */
  name: "open" | "agree_ad_ref" | "refer" | "adopt" | "complete_signature" | "reopen" | "withdraw";
  from: readonly DocumentState[];
  to: DocumentState;
  /** What a button offering it says. */
  label: string;
  /** Label of the version stored when the move happens. */
  versionLabel: string;
  triggers: readonly TransitionTrigger[];
  guard: TransitionGuard | null;
  reasonRequired: boolean;
}

/** States from which a document may still be withdrawn: every state before adoption. */
const BEFORE_ADOPTION: readonly DocumentState[] = ["draft", "negotiation", "agreed_ad_ref", "referred"];

/** The transition table. A (from, to) pair names at most one rule. */
export const TRANSITIONS: readonly TransitionRule[] = [
  {
    name: "open",
    from: ["draft"],
    to: "negotiation",
    label: "Open negotiation",
    versionLabel: "as opened for negotiation",
    triggers: ["body_chair", "secretariat"],
    guard: null,
    reasonRequired: false,
  },
  {
    name: "agree_ad_ref",
    from: ["negotiation"],
    to: "agreed_ad_ref",
    label: "Agree ad referendum",
    versionLabel: "as agreed ad referendum",
    triggers: ["body_chair"],
    guard: "clean",
    reasonRequired: false,
  },
  {
    name: "refer",
    from: ["agreed_ad_ref"],
    to: "referred",
    label: "Refer to the plenary",
    versionLabel: "as referred to the plenary",
    triggers: ["body_chair", "rapporteur"],
    guard: null,
    reasonRequired: false,
  },
  {
    name: "adopt",
    from: ["referred"],
    to: "adopted",
    label: "Adopt",
    versionLabel: "as adopted",
    triggers: ["plenary_chair"],
    guard: "authentic_texts",
    reasonRequired: false,
  },
  {
    name: "complete_signature",
    from: ["adopted"],
    to: "signed",
    label: "Signed by all",
    versionLabel: "as signed",
    triggers: ["automatic"],
    guard: "all_signed",
    reasonRequired: false,
  },
  {
    name: "reopen",
    from: ["agreed_ad_ref", "referred", "adopted", "signed"],
    to: "negotiation",
    label: "Reopen",
    versionLabel: "as reopened",
    triggers: ["body_chair", "plenary_chair"],
    guard: null,
    reasonRequired: true,
  },
  {
    name: "withdraw",
    from: BEFORE_ADOPTION,
    to: "withdrawn",
    label: "Withdraw",
    versionLabel: "as withdrawn",
    triggers: ["body_chair", "secretariat"],
    guard: null,
    reasonRequired: true,
  },
];

/** The rule for moving from `from` to `to`, or null when the machine has no such move. */
export function transitionRule(from: DocumentState, to: DocumentState): TransitionRule | null {
  return TRANSITIONS.find((rule) => rule.to === to && rule.from.includes(from)) ?? null;
}

/** What the permission to move a document depends on. */
export interface LifecycleFacts {
  state: DocumentState;
  bodyId: string;
  /** Ids of the meeting's plenary bodies (whose chairs adopt). */
  plenaryBodyIds: readonly string[];
  /** What keeps the document from being clean, when known (empty: clean). */
  blockers?: readonly string[];
  /** Delegations that must still sign, when known. */
  missingSignatories?: readonly string[];
  /** What keeps the document from being adopted (language versions not current), when known. */
  adoptionBlockers?: readonly string[];
}

/** Whether `actor` is one of the people `rule` lets trigger it for this document. */
export function mayTrigger(actor: Actor, rule: TransitionRule, facts: Pick<LifecycleFacts, "bodyId" | "plenaryBodyIds">): boolean {
  return rule.triggers.some((trigger) => {
    switch (trigger) {
      case "body_chair":
        return chairsDocument(actor, facts);
      case "plenary_chair":
        return actor.chairOf.some((id) => facts.plenaryBodyIds.includes(id));
      case "rapporteur":
        return actor.role === "rapporteur";
      case "secretariat":
        return actor.role === "secretariat";
      case "automatic":
        return false;
    }
  });
}

/** A move the actor may make now, with what (if anything) still stands in its way. */
export interface OfferedTransition {
  name: TransitionRule["name"];
  to: DocumentState;
  label: string;
  reasonRequired: boolean;
  guard: TransitionGuard | null;
  /** Why the guard does not pass yet (empty when it does or is not known). */
  blockers: string[];
  /** Each blocker's stable code and the values it names, in the order of `blockers` (null for one without); the server adds them. */
  blockerCodes?: Array<ReasonCode | null>;
}

/** A reason's stable code (docs/API.md, "Error codes") and the values its sentence names, so that a client can word it in its language. */
export interface ReasonCode {
  code: string;
  params?: Record<string, string | number>;
}

/**
 * The transitions `actor` may trigger from the document's current state, in table order.
 * Automatic moves are never offered. A guarded move is offered with its blockers, so the
 * editor can show why the button is disabled.
 */
export function allowedTransitions(actor: Actor, facts: LifecycleFacts): OfferedTransition[] {
  return TRANSITIONS.filter((rule) => rule.from.includes(facts.state) && mayTrigger(actor, rule, facts)).map((rule) => ({
    name: rule.name,
    to: rule.to,
    label: rule.label,
    reasonRequired: rule.reasonRequired,
    guard: rule.guard,
    blockers: [...guardBlockers(rule.guard, facts)],
  }));
}

/** What keeps a guard from passing, from the facts known. */
function guardBlockers(guard: TransitionGuard | null, facts: LifecycleFacts): readonly string[] {
  switch (guard) {
    case "clean":
      return facts.blockers ?? [];
    case "all_signed":
      return facts.missingSignatories ?? [];
    case "authentic_texts":
      return facts.adoptionBlockers ?? [];
    default:
      return [];
  }
}

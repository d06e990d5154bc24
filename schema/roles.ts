/**
 * Who is who, and which document states exist: the vocabulary the server enforces and the
 * editor uses to decide what to offer. The editor's checks are convenience only.
 */

/** Roles of a member in a meeting (the server-wide administrator is not one of them). */
export const ROLES = ["secretariat", "chair", "rapporteur", "delegate", "minister", "observer", "translator"] as const;
/** One of the roles. */
export type Role = (typeof ROLES)[number];

/** Kinds of outcome document. */
export const DOCUMENT_KINDS = [
  "declaration",
  "resolution",
  "decision",
  "report",
  "group_report",
  "work_programme",
  "rapporteur_report",
] as const;
/** One of the document kinds. */
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** States of a document (docs/ARCHITECTURE.md §2). `reopened` is a transition back to negotiation, not a state. */
export const DOCUMENT_STATES = ["draft", "negotiation", "agreed_ad_ref", "referred", "adopted", "signed", "withdrawn"] as const;
/** One of the document states. */
export type DocumentState = (typeof DOCUMENT_STATES)[number];

/** Kinds of body. */
export const BODY_KINDS = ["plenary", "working_group", "ad_hoc_group"] as const;
/** One of the body kinds. */
export type BodyKind = (typeof BODY_KINDS)[number];

/** States in which the text can no longer change, from any client or command. */
export const FROZEN_STATES: ReadonlySet<DocumentState> = new Set(["adopted", "signed", "withdrawn"]);

/** The facts about a member (a person acting in one meeting) that permissions depend on. */
export interface Actor {
  id: string;
  role: Role;
  delegation: string | null;
  /** Ids of the bodies this user chairs. */
  chairOf: readonly string[];
  /** For a translator: the languages they translate into (language versions they write). */
  languages?: readonly string[];
}

/** The facts about a document that permissions depend on. */
export interface DocumentFacts {
  state: DocumentState;
  bodyId: string;
  kind: DocumentKind;
  /** The language of its text (null: the meeting's first). */
  language?: string | null;
  /** For a language version: the document it is a version of; null for an original. */
  originalId?: string | null;
}

/**
 * Why `actor` may not write the text of a language version, or may not write an original
 * as a translator, or null. A language version is written by the translators of its
 * language and the secretariat; a translator writes nothing else.
 */
export function languageWriteDenial(actor: Actor, doc: DocumentFacts): WriteDenial | null {
  const version = doc.originalId != null;
  const language = doc.language ?? "";
  if (actor.role === "translator") {
    if (!version) return { message: "translators write language versions only; this is the original", code: "language.translators_original" };
    const own = (actor.languages ?? []).join(", ") || "no language";
    if (!(actor.languages ?? []).includes(language))
      return { message: `you translate into ${own}; this is the ${language} version`, code: "language.other_language", params: { languages: own, language } };
    return null;
  }
  if (version && actor.role !== "secretariat")
    return { message: `the ${language} version is written by its translators and the secretariat`, code: "text.language_version", params: { language } };
  return null;
}

/** Whether `actor` chairs the body that owns `doc` (the secretariat acts for any chair). */
export function chairsDocument(actor: Actor, doc: Pick<DocumentFacts, "bodyId">): boolean {
  return actor.role === "secretariat" || actor.chairOf.includes(doc.bodyId);
}

/**
 * Whether `actor` may change the text of `doc` live, and if not, why. While a document is
 * a draft or under negotiation, delegates, chairs, the rapporteur and the secretariat type
 * in it; once agreed ad referendum only the chair and the secretariat may make technical
 * corrections; from adoption on nobody may. Ministers sign, observers read. A language
 * version is written only by its translators and the secretariat (`languageWriteDenial`).
 */
export function textWriteDenial(actor: Actor, doc: DocumentFacts): string | null {
  return textWriteDenialOf(actor, doc)?.message ?? null;
}

/** A refusal to write the text: its sentence, a stable code (docs/API.md, "Error codes") and the values the sentence names. */
export interface WriteDenial {
  message: string;
  code: string;
  params?: Record<string, string>;
}

/** `textWriteDenial` with its stable code, for a client that says it in the person's language. */
export function textWriteDenialOf(actor: Actor, doc: DocumentFacts): WriteDenial | null {
  if (FROZEN_STATES.has(doc.state))
    return { message: `the document is ${doc.state}; its text can no longer change`, code: "text.frozen", params: { state: doc.state } };
  if (actor.role === "observer") return { message: "observers have read-only access", code: "text.observer" };
  if (actor.role === "minister") return { message: "ministers review and sign; they do not edit the text", code: "text.minister" };
  const language = languageWriteDenial(actor, doc);
  if (language) return language;
  // Translators keep a language version in step with its original until adoption.
  if (actor.role === "translator") return null;
  if (doc.state === "draft" || doc.state === "negotiation") {
    if (actor.role === "delegate" && !actor.delegation) return { message: "a delegate must belong to a delegation", code: "text.no_delegation" };
    return null;
  }
  if (chairsDocument(actor, doc)) return null;
  return { message: `the document is ${doc.state}; only the chair may correct its text`, code: "text.chair_only", params: { state: doc.state } };
}

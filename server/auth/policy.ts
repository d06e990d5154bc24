import { chairsDocument, textWriteDenial, type DocumentFacts } from "../../schema/roles.js";
import { forbidden } from "../http/errors.js";
import type { User } from "./users.js";

/**
 * The one answer to "may this member do this to that". Routes, commands, seeding and tests
 * ask here, always with the member resolved for the meeting that owns the thing acted on
 * (a chair in one meeting is nobody in another). Features with rules of their own
 * (amendments, brackets, lifecycle) keep them beside their commands, which call them
 * before acting; everything about running a meeting is decided here.
 */

/** Acts on a meeting and its setup. */
export type MeetingAct =
  | "meeting.create"
  | "meeting.edit"
  | "meeting.read"
  | "members.read"
  | "members.add"
  | "members.manage"
  | "bodies.create"
  | "documents.create";

/** Acts on one document. */
export type DocumentAct =
  | "document.write"
  | "document.saveVersion"
  | "document.setSignatories"
  | "document.sign"
  | "document.addLanguage"
  | "document.markTranslated"
  | "document.editNotes"
  | "document.renumber"
  | "document.seeOwner";

/** Who asks: the person's server-wide administrator flag and their membership in the owning meeting (if any). */
export interface Principal {
  isAdmin: boolean;
  member: User | null;
}

const SECRETARIAT_ONLY = "only the meeting's secretariat may";

/** Why `who` may not do `act` to a meeting, or null when they may. */
export function meetingDenial(who: Principal, act: MeetingAct): string | null {
  const role = who.member?.role;
  switch (act) {
    case "meeting.create":
      return who.isAdmin ? null : "only a server administrator may create a meeting";
    case "meeting.read":
      return who.isAdmin || who.member ? null : "you are not a member of this meeting";
    case "meeting.edit":
    case "members.add":
    case "members.read":
    case "members.manage":
      return who.isAdmin || role === "secretariat" ? null : `${SECRETARIAT_ONLY} ${describe(act)}`;
    case "bodies.create":
    case "documents.create":
      return role === "secretariat" ? null : `${SECRETARIAT_ONLY} ${describe(act)}`;
  }
}

/** Why `user` may not do `act` to the document with these facts, or null when they may. */
export function documentDenial(user: User, act: DocumentAct, doc: DocumentFacts): string | null {
  switch (act) {
    case "document.write":
      return textWriteDenial(user, doc);
    case "document.saveVersion":
      return chairsDocument(user, doc) ? null : "only the secretariat or the chair of the owning body may save a named version";
    case "document.setSignatories":
      return user.role === "secretariat" ? null : "only the secretariat sets who must sign a document";
    case "document.renumber":
      return user.role === "secretariat" ? null : "only the secretariat renumbers a document";
    case "document.sign":
      return user.role === "minister" && user.delegation ? null : "only ministers sign documents";
    case "document.addLanguage":
      return user.role === "secretariat" ? null : "only the meeting's secretariat adds a language version";
    case "document.markTranslated":
      if (doc.originalId == null) return "paragraphs are marked translated in a language version, not in the original";
      if (user.role === "secretariat") return null;
      if (user.role === "translator" && (user.languages ?? []).includes(doc.language ?? ""))
        return null;
      return `only the ${doc.language ?? ""} translators and the secretariat mark paragraphs of this version translated`;
    case "document.seeOwner":
      // Where a document is served is the operators' and the secretariat's business, not the delegations'.
      return user.role === "secretariat" ? null : "only the meeting's secretariat sees which process serves a document";
    case "document.editNotes":
      // Reference footnotes are the secretariat's editorial apparatus, not negotiated text.
      return user.role === "secretariat" ? null : "only the secretariat adds, edits or removes reference footnotes";
  }
}

/** Throws 403 with the reason unless `who` may do `act` to the meeting. */
export function authoriseMeeting(who: Principal, act: MeetingAct): void {
  const denial = meetingDenial(who, act);
  if (denial) throw forbidden(denial);
}

/** Throws 403 with the reason unless `user` may do `act` to the document. */
export function authoriseDocument(user: User, act: DocumentAct, doc: DocumentFacts): void {
  const denial = documentDenial(user, act, doc);
  if (denial) throw forbidden(denial);
}

function describe(act: MeetingAct): string {
  switch (act) {
    case "meeting.edit":
      return "change the meeting's settings";
    case "members.add":
      return "add members";
    case "members.read":
      return "list the members";
    case "members.manage":
      return "change members, import them or issue setup links";
    case "bodies.create":
      return "create bodies";
    case "documents.create":
      return "create documents";
    default:
      return act;
  }
}

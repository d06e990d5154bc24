/** Meetings and what they are made of (bodies, delegations), as the API gives them. */
import type { BodyKind, Role } from "../roles.js";

/** A meeting, as `GET /api/meetings/:id` returns it. */
export interface MeetingInfo {
  id: string;
  title: string;
  seriesSymbol: string;
  venue: string;
  startsOn: string | null;
  endsOn: string | null;
  languages: string[];
}

/** `GET /api/meetings` entries: a meeting with the caller's place in it (none for an administrator) and its number of documents. */
export interface MeetingOfPerson extends MeetingInfo {
  role: Role | null;
  delegation: string | null;
  documents: number;
}

/** A body, as `GET /api/meetings/:id/bodies` lists it, with its chairs. */
export interface BodyInfo {
  id: string;
  meetingId: string;
  kind: BodyKind;
  name: string;
  shortName: string;
  chairs: Array<{ username: string; displayName: string }>;
}

/** `GET /api/meetings/:id/delegations` entries. */
export interface DelegationInfo {
  code: string;
  name: string;
  nameEs: string;
  /** A member state (true) or an observer. */
  member: boolean;
}

/** A member of a meeting as the secretariat sees it (`GET /api/meetings/:id/members`). */
export interface MemberInfo {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  delegation: string | null;
  email: string | null;
  /** Ids of the bodies of this meeting the member chairs. */
  bodies: string[];
  active: boolean;
  /** Whether the person has chosen a password (else only their setup link lets them in). */
  hasPassword: boolean;
  /** For a translator: the languages they translate into (empty for other roles). */
  languages: string[];
}

/** `POST /api/meetings/:id/members` (201): the member added, and the link with which they choose a password (null when they already have one). */
export interface MemberAdded {
  member: MemberInfo;
  setupUrl: string | null;
}

/** A line of a member list that could not be read, by its line number in the file. */
export interface MemberLineError {
  line: number;
  error: string;
}

/**
 * `POST /api/meetings/:id/members/import`: everyone added (201, no errors), or nobody and
 * every wrong line (400, with the error answer's sentence and reasons beside them).
 */
export interface MembersImported {
  created: MemberAdded[];
  errors: MemberLineError[];
}

/** `PATCH /api/meetings/:id/members/:userId` with `resetPassword`: the new setup link. Any other change answers the member (`MemberInfo`). */
export interface SetupLinkIssued {
  setupUrl: string | null;
}

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

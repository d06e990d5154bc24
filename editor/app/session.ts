import type { SessionUser } from "../panels/context.js";

/** A person's place in one meeting, as `GET /api/session` lists it. */
export interface SessionMembership {
  meetingId: string;
  role: SessionUser["role"];
  delegation: string | null;
  chairOf: string[];
}

/**
 * The signed-in person as `GET /api/session` returns them: the member in their current
 * meeting (role `admin` and no meeting for an administrator who is a member of none), the
 * administrator flag, and every membership.
 */
export interface SessionPerson extends Omit<SessionUser, "role" | "meetingId"> {
  role: SessionUser["role"] | "admin";
  meetingId: string | null;
  admin?: boolean;
  memberships?: SessionMembership[];
}

/** The person as a member of `meetingId` (role, delegation, chairs there), or null when they are none. */
export function memberView(person: SessionPerson, meetingId: string): SessionUser | null {
  const membership = person.memberships?.find((m) => m.meetingId === meetingId);
  if (membership) return { ...person, role: membership.role, delegation: membership.delegation, chairOf: membership.chairOf, meetingId };
  if (person.meetingId === meetingId && person.role !== "admin") return { ...person, role: person.role, meetingId };
  return null;
}

/** Whether the person may set up `meetingId` (settings, members): its secretariat or an administrator. */
export function runsMeeting(person: SessionPerson, meetingId: string): boolean {
  return Boolean(person.admin) || memberView(person, meetingId)?.role === "secretariat";
}

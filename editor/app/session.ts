import type { SessionUser } from "../panels/context.js";
import type { SessionPerson } from "../../schema/api/session.js";

/** The signed-in person, as `GET /api/session` returns them. */
export type { SessionPerson };

/** The person as a member of `meetingId` (role, delegation, chairs there), or null when they are none. */
export function memberView(person: SessionPerson, meetingId: string): SessionUser | null {
  const membership = person.memberships.find((m) => m.meetingId === meetingId);
  if (membership) return { ...person, role: membership.role, delegation: membership.delegation, chairOf: membership.chairOf, meetingId };
  if (person.meetingId === meetingId && person.role !== "admin") return { ...person, role: person.role, meetingId };
  return null;
}

/** Whether the person may set up `meetingId` (settings, members): its secretariat or an administrator. */
export function runsMeeting(person: SessionPerson, meetingId: string): boolean {
  return person.admin || memberView(person, meetingId)?.role === "secretariat";
}

import type { Actor, Role } from "../../schema/roles.js";
import { INTERFACE_LANGUAGES, type InterfaceLanguage, type SessionPerson } from "../../schema/api/session.js";
import type { Db } from "../store/db.js";
import { statement } from "../store/statements.js";

/**
 * A member acting in one meeting: the person, and their role, delegation and chairs in the
 * meeting that owns what they act on. Every permission is decided on this.
 */
export interface User extends Actor {
  username: string;
  displayName: string;
  meetingId: string;
}

/** A person's place in one meeting, as the session shows it. */
export interface Membership {
  meetingId: string;
  role: Role;
  delegation: string | null;
  active: boolean;
  /** For a translator: the languages they translate into (empty for other roles). */
  languages: string[];
}

/** A signed-in person, server-wide: the administrator flag and every membership. */
export interface Person {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  memberships: Membership[];
  /** The interface language the person chose, or null. */
  interfaceLanguage: InterfaceLanguage | null;
}

interface PersonRow {
  id: string;
  username: string;
  display_name: string;
  is_admin: number;
  password_hash: string | null;
  interface_language: string | null;
}

interface MembershipRow {
  user_id: string;
  meeting_id: string;
  role: Role;
  delegation: string | null;
  active: number;
  languages: string;
}

const SELECT_PERSON = "SELECT id, username, display_name, is_admin, password_hash, interface_language FROM users";

// Newest meeting first; the meeting id last, so that the one-person and the many-people
// reads give ties the same order (a socket compares the two as text).
const MEMBERSHIPS = `SELECT m.user_id, m.meeting_id, m.role, d.code AS delegation, m.active, m.languages FROM memberships m
     JOIN meetings mt ON mt.id = m.meeting_id
     LEFT JOIN delegations d ON d.id = m.delegation_id`;
const MEMBERSHIP_ORDER = "mt.starts_on DESC, mt.created_at DESC, m.meeting_id";

function toMembership(r: MembershipRow): Membership {
  return { meetingId: r.meeting_id, role: r.role, delegation: r.delegation, active: r.active === 1, languages: JSON.parse(r.languages) as string[] };
}

function memberships(db: Db, userId: string): Membership[] {
  const rows = statement(db, `${MEMBERSHIPS} WHERE m.user_id = ? ORDER BY ${MEMBERSHIP_ORDER}`).all(userId) as MembershipRow[];
  return rows.map(toMembership);
}

function toPerson(row: PersonRow, memberships: Membership[]): Person {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    isAdmin: row.is_admin === 1,
    memberships,
    interfaceLanguage: (INTERFACE_LANGUAGES as readonly string[]).includes(row.interface_language ?? "") ? (row.interface_language as InterfaceLanguage) : null,
  };
}

/** Remembers the interface language a person chose (null forgets it): their own setting, in no meeting. */
export function setInterfaceLanguage(db: Db, personId: string, language: InterfaceLanguage | null): void {
  db.prepare("UPDATE users SET interface_language = ? WHERE id = ?").run(language, personId);
}

/** The person with this id, or null. */
export function personById(db: Db, id: string): Person | null {
  // Read every few seconds for every open socket (session-sockets.ts): compiled once.
  const row = statement(db, `${SELECT_PERSON} WHERE id = ?`).get(id) as PersonRow | undefined;
  return row ? toPerson(row, memberships(db, row.id)) : null;
}

/**
 * The people with these ids, by id (an unknown id is absent), each as `personById` gives
 * them, in two statements whatever their number: the open sockets' periodic re-read and a
 * relay's clients moving at once read many people, and on PostgreSQL each statement is a
 * synchronous round trip.
 */
export function peopleByIds(db: Db, ids: Iterable<string>): Map<string, Person> {
  const people = new Map<string, Person>();
  const wanted = JSON.stringify([...new Set(ids)]);
  if (wanted === "[]") return people;
  const rows = statement(db, `${SELECT_PERSON} WHERE id IN (SELECT value FROM json_each(?))`).all(wanted) as PersonRow[];
  if (rows.length === 0) return people;
  const byUser = new Map<string, Membership[]>();
  const membershipRows = statement(
    db,
    `${MEMBERSHIPS} WHERE m.user_id IN (SELECT value FROM json_each(?)) ORDER BY m.user_id, ${MEMBERSHIP_ORDER}`,
  ).all(wanted) as MembershipRow[];
  for (const r of membershipRows) {
    let list = byUser.get(r.user_id);
    if (!list) byUser.set(r.user_id, (list = []));
    list.push(toMembership(r));
  }
  for (const row of rows) people.set(row.id, toPerson(row, byUser.get(row.id) ?? []));
  return people;
}

/** The person and their password hash (null until set with a setup link), by username (case-insensitive), or null. */
export function personForLogin(db: Db, username: string): { person: Person; passwordHash: string | null } | null {
  const row = db.prepare(`${SELECT_PERSON} WHERE username = ? COLLATE NOCASE`).get(username) as PersonRow | undefined;
  return row ? { person: toPerson(row, memberships(db, row.id)), passwordHash: row.password_hash } : null;
}

/**
 * The person acting as an active member of `meetingId`, with the bodies they chair there;
 * null when they are not an active member of it (an administrator is no member either).
 */
export function memberIn(db: Db, person: Pick<Person, "id" | "username" | "displayName" | "memberships">, meetingId: string): User | null {
  if (!person.memberships.some((m) => m.meetingId === meetingId && m.active)) return null;
  const chairOf = db
    .prepare("SELECT c.body_id FROM body_chairs c JOIN bodies b ON b.id = c.body_id WHERE c.user_id = ? AND b.meeting_id = ?")
    .pluck()
    .all(person.id, meetingId) as string[];
  return toMember(person, meetingId, chairOf);
}

/** The person as an active member of `meetingId` chairing `chairOf` there (`memberIn` without the read), or null. */
function toMember(person: Pick<Person, "id" | "username" | "displayName" | "memberships">, meetingId: string, chairOf: string[]): User | null {
  const membership = person.memberships.find((m) => m.meetingId === meetingId && m.active);
  if (!membership) return null;
  return {
    id: person.id,
    username: person.username,
    displayName: person.displayName,
    role: membership.role,
    delegation: membership.delegation,
    meetingId,
    chairOf,
    ...(membership.role === "translator" ? { languages: membership.languages } : {}),
  };
}

/** The meeting the person works in when nothing names one: their newest active membership, or null. */
export function currentMeetingOf(person: Pick<Person, "memberships">): string | null {
  return person.memberships.find((m) => m.active)?.meetingId ?? null;
}

/** The member with this id in `meetingId`, or null (unknown person or not an active member). */
export function userById(db: Db, id: string, meetingId?: string): User | null {
  const person = personById(db, id);
  if (!person) return null;
  const meeting = meetingId ?? currentMeetingOf(person);
  return meeting ? memberIn(db, person, meeting) : null;
}

/**
 * The people with these ids as members, read in three statements whatever their number:
 * answers for any of them in a given meeting (or their current one) as `userById` does. An
 * owner greets many clients at once when a relay moves them to it (an owner died), and on
 * PostgreSQL each statement is a synchronous round trip.
 */
export function membersByIds(db: Db, ids: Iterable<string>): (id: string, meetingId?: string) => User | null {
  const people = peopleByIds(db, ids);
  const chairs = new Map<string, string[]>();
  if (people.size > 0) {
    const rows = statement(
      db,
      "SELECT c.user_id, b.meeting_id, c.body_id FROM body_chairs c JOIN bodies b ON b.id = c.body_id WHERE c.user_id IN (SELECT value FROM json_each(?))",
    ).all(JSON.stringify([...people.keys()])) as { user_id: string; meeting_id: string; body_id: string }[];
    for (const r of rows) {
      const key = `${r.user_id}\n${r.meeting_id}`;
      let list = chairs.get(key);
      if (!list) chairs.set(key, (list = []));
      list.push(r.body_id);
    }
  }
  return (id, meetingId) => {
    const person = people.get(id);
    const meeting = person ? (meetingId ?? currentMeetingOf(person)) : null;
    return person && meeting ? toMember(person, meeting, [...(chairs.get(`${id}\n${meeting}`) ?? [])]) : null;
  };
}

/** The public view of a signed-in person, in their current meeting. */
export function publicUser(db: Db, person: Person, current: User | null = null): SessionPerson {
  const member = current ?? (currentMeetingOf(person) ? memberIn(db, person, currentMeetingOf(person)!) : null);
  return {
    id: person.id,
    username: person.username,
    displayName: person.displayName,
    role: member?.role ?? "admin",
    delegation: member?.delegation ?? null,
    meetingId: member?.meetingId ?? null,
    chairOf: member ? [...member.chairOf] : [],
    ...(member?.languages ? { languages: [...member.languages] } : {}),
    admin: person.isAdmin,
    memberships: person.memberships
      .filter((m) => m.active)
      .map((m) => ({
        meetingId: m.meetingId,
        role: m.role,
        delegation: m.delegation,
        chairOf: [...memberIn(db, person, m.meetingId)!.chairOf],
        ...(m.role === "translator" ? { languages: m.languages } : {}),
      })),
    language: person.interfaceLanguage,
  };
}

/**
 * The member behind a username in their current meeting, and their password hash; null for
 * an unknown username or a person who is no active member of any meeting. For tools and
 * benches that act as a demo account; sign-in itself works on the person.
 */
export function userForLogin(db: Db, username: string): { user: User; passwordHash: string | null } | null {
  const found = personForLogin(db, username);
  const meetingId = found ? currentMeetingOf(found.person) : null;
  const user = found && meetingId ? memberIn(db, found.person, meetingId) : null;
  return user ? { user, passwordHash: found!.passwordHash } : null;
}

import type { Actor, Role } from "../../schema/roles.js";
import type { Db } from "../store/db.js";

/** A signed-in person: an Actor with the facts the API shows about them. */
export interface User extends Actor {
  username: string;
  displayName: string;
  meetingId: string;
}

/** The user as `GET /api/session` shows it. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  delegation: string | null;
  meetingId: string;
  chairOf: string[];
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  meeting_id: string;
  delegation: string | null;
  password_hash: string;
}

const SELECT_USER = `SELECT u.id, u.username, u.display_name, u.role, u.meeting_id, u.password_hash, d.code AS delegation
  FROM users u LEFT JOIN delegations d ON d.id = u.delegation_id`;

function toUser(db: Db, row: UserRow): User {
  const chairOf = db.prepare("SELECT body_id FROM body_chairs WHERE user_id = ?").pluck().all(row.id) as string[];
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    meetingId: row.meeting_id,
    delegation: row.delegation,
    chairOf,
  };
}

/** The user with this id, or null. */
export function userById(db: Db, id: string): User | null {
  const row = db.prepare(`${SELECT_USER} WHERE u.id = ?`).get(id) as UserRow | undefined;
  return row ? toUser(db, row) : null;
}

/** The user and their password hash, by username (case-insensitive), or null. */
export function userForLogin(db: Db, username: string): { user: User; passwordHash: string } | null {
  const row = db.prepare(`${SELECT_USER} WHERE u.username = ? COLLATE NOCASE`).get(username) as UserRow | undefined;
  return row ? { user: toUser(db, row), passwordHash: row.password_hash } : null;
}

/** The public view of a user. */
export function publicUser(user: User): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    delegation: user.delegation,
    meetingId: user.meetingId,
    chairOf: [...user.chairOf],
  };
}

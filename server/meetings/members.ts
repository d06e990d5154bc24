import { newId } from "../../schema/ids.js";
import { ROLES, type Role } from "../../schema/roles.js";
import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import type { Db } from "../store/db.js";
import { endSessions } from "../auth/end-sessions.js";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.js";
import { issueSetupLink } from "./setup-links.js";
import { statement } from "../store/statements.js";
import type { MemberInfo } from "../../schema/api/meetings.js";

/** What the secretariat gives to add a member. */
export interface NewMember {
  username: string;
  displayName: string;
  role: string;
  delegation?: string | null;
  email?: string | null;
  /** For a translator: the meeting's languages they translate into. */
  languages?: string[] | undefined;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Roles that speak for a delegation and so need one. */
const DELEGATION_ROLES: ReadonlySet<Role> = new Set(["delegate", "minister"]);

/** Facts about the meeting and the server that checking a batch of new members needs, read once. */
export interface MemberCheckContext {
  meetingId: string;
  /** Delegation ids by code. */
  delegations: Map<string, string>;
  /** Lower-cased usernames of this meeting's members. */
  members: Set<string>;
  /** The person already on the server with this username (any case), or undefined. */
  person(username: string): { id: string; hasPassword: boolean } | undefined;
  /** The meeting's languages. */
  languages: string[];
}

/** Reads what checking new members of `meetingId` needs. */
export function memberCheckContext(db: Db, meetingId: string): MemberCheckContext {
  const delegations = new Map(
    (db.prepare("SELECT code, id FROM delegations WHERE meeting_id = ?").all(meetingId) as Array<{ code: string; id: string }>).map((r) => [
      r.code,
      r.id,
    ]),
  );
  const members = new Set(
    (db.prepare("SELECT u.username FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.meeting_id = ?").pluck().all(meetingId) as string[]).map(
      (u) => u.toLowerCase(),
    ),
  );
  const byName = statement(db, "SELECT id, password_hash IS NOT NULL AS has FROM users WHERE username = ? COLLATE NOCASE");
  const person = (username: string) => {
    const row = byName.get(username) as { id: string; has: number } | undefined;
    return row ? { id: row.id, hasPassword: row.has === 1 } : undefined;
  };
  const languages = JSON.parse((db.prepare("SELECT languages FROM meetings WHERE id = ?").pluck().get(meetingId) as string | undefined) ?? "[]") as string[];
  return { meetingId, delegations, members, person, languages };
}

/**
 * Every reason `languages` do not fit a member of `role` in a meeting working in
 * `meetingLanguages`: a translator translates into at least one of them, nobody else has any.
 */
export function languageProblems(role: string, languages: readonly string[], meetingLanguages: readonly string[]): string[] {
  if (role !== "translator") return languages.length > 0 ? [`only a translator has languages; a ${role} has none`] : [];
  if (languages.length === 0) return ["a translator translates into at least one of the meeting's languages"];
  const problems = languages.filter((l) => !meetingLanguages.includes(l)).map((l) => `the meeting has no language "${l}" (it works in ${meetingLanguages.join(", ")})`);
  if (new Set(languages).size !== languages.length) problems.push("a language is listed twice");
  return problems;
}

/** A new member's input, checked and normalised. */
export interface CheckedMember {
  username: string;
  displayName: string;
  role: Role;
  delegation: string | null;
  email: string | null;
  languages: string[];
}

/**
 * Every reason a new member cannot be added (empty when it can). Adds the username to the
 * context's members, so a second occurrence in the same batch is named as a duplicate.
 */
export function checkNewMember(check: MemberCheckContext, input: NewMember): { member: CheckedMember | null; problems: string[] } {
  const problems: string[] = [];
  const username = input.username.trim();
  const displayName = input.displayName.trim();
  const delegation = input.delegation?.trim() ? input.delegation.trim().toUpperCase() : null;
  const email = input.email?.trim() ? input.email.trim() : null;
  const role = input.role.trim();
  if (!USERNAME.test(username)) problems.push(`username ${JSON.stringify(username)} must be 2 to 63 letters, digits or . _ @ - and start with a letter or digit`);
  else if (check.members.has(username.toLowerCase())) problems.push(`${username} is already a member of this meeting`);
  if (displayName.length === 0 || displayName.length > 200) problems.push("displayName must be 1 to 200 characters");
  if (!(ROLES as readonly string[]).includes(role)) problems.push(`unknown role ${JSON.stringify(role)}; one of ${ROLES.join(", ")}`);
  if (delegation && !check.delegations.has(delegation)) problems.push(`delegation ${delegation} is not a member of this meeting`);
  if (!delegation && DELEGATION_ROLES.has(role as Role)) problems.push(`a ${role} must belong to a delegation`);
  if (email && !EMAIL.test(email)) problems.push(`email ${JSON.stringify(email)} is not an e-mail address`);
  const languages = input.languages ?? [];
  problems.push(...languageProblems(role, languages, check.languages));
  if (USERNAME.test(username)) check.members.add(username.toLowerCase());
  if (problems.length) return { member: null, problems };
  return { member: { username, displayName, role: role as Role, delegation, email, languages }, problems };
}

/**
 * Adds a checked member: a new person (without a password: they choose one with the
 * returned setup link) or a membership for a person already on the server, who keeps
 * their password and gets no link. Audited.
 */
export function insertMember(tx: CommandTx, who: AuditActor, check: MemberCheckContext, member: CheckedMember): { member: MemberInfo; token: string | null } {
  const now = new Date().toISOString();
  const existing = check.person(member.username);
  const userId = existing?.id ?? newId("u");
  if (!existing)
    statement(tx.db, "INSERT INTO users (id, username, display_name, email, password_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?)").run(
      userId,
      member.username,
      member.displayName,
      member.email,
      now,
    );
  statement(tx.db, "INSERT INTO memberships (user_id, meeting_id, role, delegation_id, active, created_at, languages) VALUES (?, ?, ?, ?, 1, ?, ?)").run(
    userId,
    check.meetingId,
    member.role,
    member.delegation ? check.delegations.get(member.delegation)! : null,
    now,
    JSON.stringify(member.languages),
  );
  const hasPassword = existing?.hasPassword ?? false;
  // One event records the member and their setup link: an import of thousands writes half as many.
  const token = hasPassword ? null : issueSetupLink(tx, who, userId, check.meetingId, "new_member", "caller");
  tx.audit(who, {
    meetingId: check.meetingId,
    action: "member.added",
    targetType: "user",
    targetId: userId,
    details: { username: member.username, role: member.role, delegation: member.delegation, languages: member.languages, existingPerson: Boolean(existing), setupLinkIssued: token !== null },
  });
  return {
    member: { userId, ...member, bodies: [], active: true, hasPassword },
    token,
  };
}

/** Adds one member (the secretariat's form, or the administrator appointing a secretariat). 400 with every reason when wrong. */
export function addMember(tx: CommandTx, who: AuditActor, meetingId: string, input: NewMember): { member: MemberInfo; token: string | null } {
  const check = memberCheckContext(tx.db, meetingId);
  const { member, problems } = checkNewMember(check, input);
  if (!member) {
    const duplicate = problems.find((p) => p.includes("already a member"));
    if (duplicate && problems.length === 1) throw conflict(duplicate);
    throw badRequest(problems.length === 1 ? problems[0]! : "the member cannot be added", problems);
  }
  const added = insertMember(tx, who, check, member);
  // An existing person's name and e-mail are theirs; show them as stored.
  return { ...added, member: memberInfo(tx.db, meetingId, added.member.userId) };
}

interface MemberRow {
  user_id: string;
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  delegation: string | null;
  active: number;
  has_password: number;
  bodies: string | null;
  languages: string;
}

const SELECT_MEMBERS = `SELECT m.user_id, u.username, u.display_name, u.email, m.role, d.code AS delegation, m.active, m.languages,
    u.password_hash IS NOT NULL AS has_password,
    (SELECT string_agg(c.body_id, ',') FROM body_chairs c JOIN bodies b ON b.id = c.body_id
      WHERE c.user_id = m.user_id AND b.meeting_id = m.meeting_id) AS bodies
  FROM memberships m JOIN users u ON u.id = m.user_id LEFT JOIN delegations d ON d.id = m.delegation_id
  WHERE m.meeting_id = ?`;

function toMemberInfo(r: MemberRow): MemberInfo {
  return {
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    delegation: r.delegation,
    email: r.email,
    bodies: r.bodies ? r.bodies.split(",") : [],
    active: r.active === 1,
    hasPassword: r.has_password === 1,
    languages: JSON.parse(r.languages) as string[],
  };
}

/** Every member of a meeting, active or not, by username. */
export function listMembers(db: Db, meetingId: string): MemberInfo[] {
  return (db.prepare(`${SELECT_MEMBERS} ORDER BY u.username`).all(meetingId) as MemberRow[]).map(toMemberInfo);
}

/** One member of a meeting; 404 when the person is not a member of it. */
function memberInfo(db: Db, meetingId: string, userId: string): MemberInfo {
  const row = db.prepare(`${SELECT_MEMBERS} AND m.user_id = ?`).get(meetingId, userId) as MemberRow | undefined;
  if (!row) throw notFound("member");
  return toMemberInfo(row);
}

/** What the secretariat changes about a member. */
export interface MemberChange {
  role?: string;
  delegation?: string | null;
  active?: boolean;
  /** A translator's languages (a role changed away from translator drops them). */
  languages?: string[] | undefined;
}

/**
 * Changes a member's role, delegation or standing, audited (one event per change). A
 * deactivated member's sessions end and every open websocket of theirs closes at once; a
 * changed role, delegation or languages closes their websockets in this meeting, so that they
 * reconnect with what they may now do.
 */
export function changeMember(tx: CommandTx, who: AuditActor, meetingId: string, userId: string, change: MemberChange): MemberInfo {
  const before = memberInfo(tx.db, meetingId, userId);
  const check = memberCheckContext(tx.db, meetingId);
  const role = change.role ?? before.role;
  const delegation = change.delegation === undefined ? before.delegation : change.delegation ? change.delegation.toUpperCase() : null;
  const problems: string[] = [];
  if (!(ROLES as readonly string[]).includes(role)) problems.push(`unknown role ${JSON.stringify(role)}; one of ${ROLES.join(", ")}`);
  if (delegation && !check.delegations.has(delegation)) problems.push(`delegation ${delegation} is not a member of this meeting`);
  if (!delegation && DELEGATION_ROLES.has(role as Role)) problems.push(`a ${role} must belong to a delegation`);
  const languages = change.languages ?? (role === "translator" ? before.languages : []);
  problems.push(...languageProblems(role, languages, check.languages));
  if (problems.length) throw badRequest(problems.length === 1 ? problems[0]! : "the member cannot be changed", problems);

  const active = change.active ?? before.active;
  tx.db
    .prepare("UPDATE memberships SET role = ?, delegation_id = ?, active = ?, languages = ? WHERE user_id = ? AND meeting_id = ?")
    .run(role, delegation ? check.delegations.get(delegation)! : null, active ? 1 : 0, JSON.stringify(languages), userId, meetingId);
  const event = (action: string, details: Record<string, unknown>) =>
    tx.audit(who, { meetingId, action, targetType: "user", targetId: userId, details: { username: before.username, ...details } });
  if (role !== before.role) event("member.role_changed", { from: before.role, to: role });
  if (delegation !== before.delegation) event("member.delegation_changed", { from: before.delegation, to: delegation });
  if (active !== before.active) event(active ? "member.reactivated" : "member.deactivated", {});
  const languagesChanged = JSON.stringify(languages) !== JSON.stringify(before.languages);
  if (languagesChanged) event("member.languages_changed", { from: before.languages, to: languages });

  // A socket keeps the rights it was opened with: end the person's sessions (deactivated) or
  // reconnect their sockets with what they may now do (role or delegation changed).
  if (!active && before.active) tx.afterCommit(() => endSessions(tx.ctx, userId, "deactivated"));
  else if (role !== before.role || delegation !== before.delegation || languagesChanged)
    tx.afterCommit(() => endSessions(tx.ctx, userId, "role changed", { keepSignedIn: true }));
  return memberInfo(tx.db, meetingId, userId);
}

/**
 * Issues a setup link that resets a member's password. Only an administrator may reset the
 * password of someone who is also a member of a meeting the caller does not run, or of an
 * administrator: otherwise one meeting's secretariat could take over an account another
 * meeting relies on.
 */
export function resetPassword(tx: CommandTx, who: AuditActor & { isAdmin: boolean }, meetingId: string, userId: string): string {
  const member = memberInfo(tx.db, meetingId, userId);
  if (!who.isAdmin) {
    const target = tx.db.prepare("SELECT is_admin FROM users WHERE id = ?").pluck().get(userId) as number;
    const elsewhere = tx.db
      .prepare(
        `SELECT COUNT(*) FROM memberships m WHERE m.user_id = ? AND m.meeting_id <> ?
         AND NOT EXISTS (SELECT 1 FROM memberships s WHERE s.user_id = ? AND s.meeting_id = m.meeting_id AND s.role = 'secretariat' AND s.active = 1)`,
      )
      .pluck()
      .get(userId, meetingId, who.id) as number;
    if (target === 1 || elsewhere > 0)
      throw forbidden(`${member.username} is also a member of another meeting; only a server administrator may reset their password`);
  }
  return issueSetupLink(tx, who, userId, meetingId, "reset");
}

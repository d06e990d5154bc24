import type { MeetingInfo, MeetingOfPerson } from "../../schema/api/meetings.js";
import type { Role } from "../../schema/roles.js";
import { newId } from "../../schema/ids.js";
import { knownDelegation, type MeetingLanguage } from "../../schema/delegations.js";
import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import type { Db } from "../store/db.js";
import { badRequest, conflict, notFound } from "../http/errors.js";

/** A meeting's row in the store. */
export interface MeetingRow {
  id: string;
  title: string;
  series_symbol: string;
  venue: string;
  starts_on: string | null;
  ends_on: string | null;
  languages: string;
  created_at: string;
}

/** The API shape of a meeting row. */
export function meetingInfo(m: MeetingRow): MeetingInfo {
  return {
    id: m.id,
    title: m.title,
    seriesSymbol: m.series_symbol,
    venue: m.venue,
    startsOn: m.starts_on,
    endsOn: m.ends_on,
    languages: JSON.parse(m.languages) as string[],
  };
}

/** The row of a meeting; 404 when there is none. */
export function meetingRow(db: Db, id: string): MeetingRow {
  const row = db.prepare("SELECT * FROM meetings WHERE id = ?").get(id) as MeetingRow | undefined;
  if (!row) throw notFound("meeting");
  return row;
}

/** What a meeting is made of when created; every field of an edit. */
export interface MeetingFields {
  title: string;
  seriesSymbol: string;
  venue: string;
  startsOn: string | null;
  endsOn: string | null;
  languages: MeetingLanguage[];
  /** Codes from the built-in list (schema/delegations.ts). */
  delegations: string[];
}

function checkFields(fields: Partial<MeetingFields>, current?: MeetingFields): void {
  const reasons: string[] = [];
  const startsOn = fields.startsOn !== undefined ? fields.startsOn : current?.startsOn;
  const endsOn = fields.endsOn !== undefined ? fields.endsOn : current?.endsOn;
  if (startsOn && endsOn && endsOn < startsOn) reasons.push(`the meeting ends (${endsOn}) before it starts (${startsOn})`);
  for (const code of fields.delegations ?? []) if (!knownDelegation(code)) reasons.push(`${code} is not a known state, group or organisation`);
  const seen = new Set<string>();
  for (const code of fields.delegations ?? []) {
    if (seen.has(code)) reasons.push(`${code} is listed twice`);
    seen.add(code);
  }
  if (fields.languages && new Set(fields.languages).size !== fields.languages.length) reasons.push("a language is listed twice");
  if (reasons.length) throw badRequest(reasons.length === 1 ? reasons[0]! : "the meeting's settings are not valid", reasons);
}

/** Adds the delegations (built-in codes) that the meeting does not have yet. */
function addDelegations(tx: CommandTx, meetingId: string, codes: readonly string[]): void {
  const insert = tx.db.prepare("INSERT INTO delegations (id, meeting_id, code, name, name_es, is_member) VALUES (?, ?, ?, ?, ?, ?)");
  const has = tx.db.prepare("SELECT 1 FROM delegations WHERE meeting_id = ? AND code = ?");
  for (const code of codes) {
    if (has.get(meetingId, code)) continue;
    const known = knownDelegation(code)!;
    // Groups, organisations and observer states attend without being members.
    insert.run(newId("g"), meetingId, code, known.name, known.nameEs, known.kind === "state" ? 1 : 0);
  }
}

/** Creates a meeting with its delegations, audited. */
export function createMeeting(tx: CommandTx, who: AuditActor, fields: MeetingFields): MeetingInfo {
  checkFields(fields);
  const id = newId("m");
  tx.db
    .prepare(
      "INSERT INTO meetings (id, title, series_symbol, venue, starts_on, ends_on, languages, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(id, fields.title, fields.seriesSymbol, fields.venue, fields.startsOn, fields.endsOn, JSON.stringify(fields.languages), new Date().toISOString());
  addDelegations(tx, id, fields.delegations);
  tx.audit(who, { meetingId: id, action: "meeting.created", targetType: "meeting", targetId: id, details: { ...fields } });
  return meetingInfo(meetingRow(tx.db, id));
}

/**
 * Changes a meeting's settings, audited with what it was before. A delegation that has
 * members, or a language a document is written in, cannot be removed.
 */
export function updateMeeting(tx: CommandTx, who: AuditActor, meetingId: string, fields: Partial<MeetingFields>): MeetingInfo {
  const before = meetingInfo(meetingRow(tx.db, meetingId));
  const beforeDelegations = meetingDelegationCodes(tx.db, meetingId);
  checkFields(fields, { ...before, languages: before.languages as MeetingLanguage[], delegations: beforeDelegations });
  const reasons: string[] = [];
  if (fields.delegations) {
    const keep = new Set(fields.delegations);
    for (const code of beforeDelegations.filter((c) => !keep.has(c))) {
      const members = tx.db
        .prepare("SELECT COUNT(*) FROM memberships m JOIN delegations d ON d.id = m.delegation_id WHERE d.meeting_id = ? AND d.code = ?")
        .pluck()
        .get(meetingId, code) as number;
      if (members > 0) reasons.push(`${code} cannot be removed: ${members} member(s) belong to it`);
    }
  }
  if (fields.languages) {
    const keep = new Set<string>(fields.languages);
    const used = tx.db.prepare("SELECT DISTINCT language FROM documents WHERE meeting_id = ? AND language IS NOT NULL").pluck().all(meetingId) as string[];
    for (const language of used) if (!keep.has(language)) reasons.push(`${language} cannot be removed: documents are written in it`);
  }
  if (reasons.length) throw conflict(reasons.length === 1 ? reasons[0]! : "these changes would orphan members or documents", reasons);

  const after = { ...before, ...fields };
  tx.db
    .prepare("UPDATE meetings SET title = ?, series_symbol = ?, venue = ?, starts_on = ?, ends_on = ?, languages = ? WHERE id = ?")
    .run(after.title, after.seriesSymbol, after.venue, after.startsOn, after.endsOn, JSON.stringify(after.languages), meetingId);
  if (fields.delegations) {
    const keep = new Set(fields.delegations);
    const remove = tx.db.prepare("DELETE FROM delegations WHERE meeting_id = ? AND code = ?");
    for (const code of beforeDelegations) if (!keep.has(code)) remove.run(meetingId, code);
    addDelegations(tx, meetingId, fields.delegations);
  }
  tx.audit(who, {
    meetingId,
    action: "meeting.updated",
    targetType: "meeting",
    targetId: meetingId,
    details: { before: { ...before, delegations: beforeDelegations }, changes: fields },
  });
  return meetingInfo(meetingRow(tx.db, meetingId));
}

/** The codes of a meeting's delegations. */
function meetingDelegationCodes(db: Db, meetingId: string): string[] {
  return db.prepare("SELECT code FROM delegations WHERE meeting_id = ? ORDER BY code").pluck().all(meetingId) as string[];
}

/**
 * The meetings a person may open: those they are an active member of, and for an
 * administrator every meeting on the server. Newest first.
 */
export function meetingsOf(db: Db, person: { id: string; isAdmin: boolean }): MeetingOfPerson[] {
  const rows = db
    .prepare(
      `SELECT mt.*, m.role, d.code AS delegation, (SELECT COUNT(*) FROM documents x WHERE x.meeting_id = mt.id) AS documents
       FROM meetings mt
       LEFT JOIN memberships m ON m.meeting_id = mt.id AND m.user_id = @user AND m.active = 1
       LEFT JOIN delegations d ON d.id = m.delegation_id
       WHERE m.user_id IS NOT NULL OR @admin = 1
       ORDER BY mt.starts_on DESC, mt.created_at DESC`,
    )
    .all({ user: person.id, admin: person.isAdmin ? 1 : 0 }) as Array<MeetingRow & { role: Role | null; delegation: string | null; documents: number }>;
  return rows.map((r) => ({ ...meetingInfo(r), role: r.role, delegation: r.delegation, documents: r.documents }));
}

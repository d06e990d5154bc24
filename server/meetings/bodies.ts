import type { BodyInfo } from "../../schema/api/meetings.js";
import { newId } from "../../schema/ids.js";
import type { BodyKind } from "../../schema/roles.js";
import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import { badRequest, conflict } from "../http/errors.js";

/** What the secretariat gives to create a body. */
export interface NewBody {
  kind: BodyKind;
  name: string;
  shortName: string;
  /** Usernames of active members of the meeting. */
  chairs: string[];
}

/** Creates a body with its chairs, audited. A chair must be an active member of the meeting; a meeting has one plenary. */
export function createBody(tx: CommandTx, who: AuditActor, meetingId: string, input: NewBody): BodyInfo {
  const reasons: string[] = [];
  const chairs: Array<{ id: string; username: string; displayName: string }> = [];
  const member = tx.db.prepare(
    `SELECT u.id, u.username, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.meeting_id = ? AND m.active = 1 AND u.username = ? COLLATE NOCASE`,
  );
  for (const username of new Set(input.chairs)) {
    const row = member.get(meetingId, username) as { id: string; username: string; display_name: string } | undefined;
    if (row) chairs.push({ id: row.id, username: row.username, displayName: row.display_name });
    else reasons.push(`chair ${username} is not a member of this meeting`);
  }
  if (reasons.length) throw badRequest(reasons.length === 1 ? reasons[0]! : "the body's chairs are not members of this meeting", reasons);
  const names = tx.db.prepare("SELECT kind, name, short_name FROM bodies WHERE meeting_id = ?").all(meetingId) as Array<{ kind: string; name: string; short_name: string }>;
  if (input.kind === "plenary" && names.some((b) => b.kind === "plenary")) throw conflict("this meeting already has a plenary");
  if (names.some((b) => b.short_name.toLowerCase() === input.shortName.toLowerCase()))
    throw conflict(`this meeting already has a body called ${input.shortName}`);
  const id = newId("b");
  const position = (tx.db.prepare("SELECT COALESCE(MAX(position), -1) + 1 FROM bodies WHERE meeting_id = ?").pluck().get(meetingId) as number) ?? 0;
  tx.db
    .prepare("INSERT INTO bodies (id, meeting_id, kind, name, short_name, position) VALUES (?, ?, ?, ?, ?, ?)")
    .run(id, meetingId, input.kind, input.name, input.shortName, position);
  const insertChair = tx.db.prepare("INSERT INTO body_chairs (body_id, user_id) VALUES (?, ?)");
  for (const chair of chairs) insertChair.run(id, chair.id);
  tx.audit(who, {
    meetingId,
    action: "body.created",
    targetType: "body",
    targetId: id,
    details: { kind: input.kind, name: input.name, shortName: input.shortName, chairs: chairs.map((c) => c.username) },
  });
  return { id, meetingId, kind: input.kind, name: input.name, shortName: input.shortName, chairs: chairs.map(({ username, displayName }) => ({ username, displayName })) };
}

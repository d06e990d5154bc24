import { newId } from "../../schema/ids.js";
import type { Role } from "../../schema/roles.js";
import type { AppContext } from "../context.js";
import { hashPassword } from "../auth/passwords.js";
import { userById, type User } from "../auth/users.js";
import { runCommand } from "../commands/command.js";
import { SYSTEM } from "../audit/audit.js";
import { createDocument } from "../documents/documents.js";
import { createVersion } from "../versions/versions.js";
import { FEATURES } from "../features.js";
import { knownDelegation } from "../../schema/delegations.js";
import { OAS_BODIES, OAS_MEETING, OAS_MEMBER_STATES } from "./oas.js";
import { DECLARATION, GROUP_REPORTS, seedBlocks, seedBracketSpans } from "./texts.js";

/** What the demo seeding created, for the features' own seeding steps and for tests. */
export interface DemoMeeting {
  meetingId: string;
  /** Body ids by key: plenary, wg1…wg4, adhoc. */
  bodies: Record<string, string>;
  /** Document ids by key: declaration, wg1…wg4. */
  documents: Record<string, string>;
  /** Demo users by username. */
  users: Record<string, User>;
  /** Spans of the declaration the seed text puts in brackets, for the brackets feature to open. */
  declarationBrackets: Array<{ paragraphId: string; from: number; to: number }>;
  /** Every demo account: username, role, delegation. */
  accounts: Array<{ username: string; role: Role; delegation: string | null }>;
}

/** Whether the database holds no meeting yet. */
export function isEmpty(ctx: AppContext): boolean {
  return (ctx.db.prepare("SELECT COUNT(*) FROM meetings").pluck().get() as number) === 0;
}

/**
 * Seeds the reference meeting: 35 delegations, the plenary, four working groups and the ad
 * hoc group, a draft declaration and four draft group reports under negotiation, and the
 * demo accounts, all with `password`. Then each feature adds its demo data (brackets,
 * amendments…) through its own commands.
 */
export async function seedDemo(ctx: AppContext, password: string): Promise<DemoMeeting> {
  // One hash for every demo account: they share the password anyway, and 70 scrypt runs
  // would make every start (and every test server) seconds slower.
  const passwordHash = await hashPassword(password);
  const now = new Date().toISOString();
  const meetingId = newId("m");
  const bodies: Record<string, string> = {};
  const users: Record<string, User> = {};
  const accounts: DemoMeeting["accounts"] = [];
  const db = ctx.db;

  db.transaction(() => {
    db.prepare(
      "INSERT INTO meetings (id, title, series_symbol, venue, starts_on, ends_on, languages, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run(
      meetingId,
      OAS_MEETING.title,
      OAS_MEETING.seriesSymbol,
      OAS_MEETING.venue,
      OAS_MEETING.startsOn,
      OAS_MEETING.endsOn,
      JSON.stringify(OAS_MEETING.languages),
      now,
    );
    const delegationIds: Record<string, string> = {};
    const insertDelegation = db.prepare("INSERT INTO delegations (id, meeting_id, code, name, name_es) VALUES (?, ?, ?, ?, ?)");
    for (const [code, name] of OAS_MEMBER_STATES) {
      delegationIds[code] = newId("g");
      insertDelegation.run(delegationIds[code], meetingId, code, name, knownDelegation(code)?.nameEs ?? name);
    }
    const insertBody = db.prepare("INSERT INTO bodies (id, meeting_id, kind, name, short_name, position) VALUES (?, ?, ?, ?, ?, ?)");
    OAS_BODIES.forEach((b, i) => {
      bodies[b.key] = newId("b");
      insertBody.run(bodies[b.key], meetingId, b.kind, b.name, b.shortName, i);
    });
    const insertUser = db.prepare("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)");
    const insertMembership = db.prepare(
      "INSERT INTO memberships (user_id, meeting_id, role, delegation_id, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    const insertChair = db.prepare("INSERT INTO body_chairs (body_id, user_id) VALUES (?, ?)");
    const addUser = (username: string, displayName: string, role: Role, delegation: string | null, chairs: string[] = []) => {
      const id = newId("u");
      insertUser.run(id, username, displayName, passwordHash, now);
      insertMembership.run(id, meetingId, role, delegation ? delegationIds[delegation] : null, now);
      for (const body of chairs) insertChair.run(bodies[body], id);
      accounts.push({ username, role, delegation });
      return id;
    };
    const ids: string[] = [];
    ids.push(addUser("secretariat", "OAS Secretariat", "secretariat", null));
    // The meeting's chair presides over the plenary and the ad hoc group.
    ids.push(addUser("chair", "Chair of the Meeting", "chair", "ARG", ["plenary", "adhoc"]));
    ids.push(addUser("rapporteur", "Rapporteur of the Meeting", "rapporteur", null));
    ids.push(addUser("observer", "Civil society observer", "observer", null));
    // The secretariat's Spanish language services.
    const translator = addUser("translator.es", "Spanish translator", "translator", null);
    db.prepare("UPDATE memberships SET languages = ? WHERE user_id = ? AND meeting_id = ?").run(JSON.stringify(["es"]), translator, meetingId);
    ids.push(translator);
    for (const key of ["wg1", "wg2", "wg3", "wg4"]) {
      ids.push(addUser(`${key}.chair`, `Coordinator of ${OAS_BODIES.find((b) => b.key === key)!.shortName}`, "chair", null, [key]));
    }
    for (const [code, name] of OAS_MEMBER_STATES) {
      ids.push(addUser(`${code.toLowerCase()}.delegate`, `Delegate of ${name}`, "delegate", code));
      ids.push(addUser(`${code.toLowerCase()}.minister`, `Minister of ${name}`, "minister", code));
    }
    // The server's administrator, in no meeting, with the demo password.
    if (!db.prepare("SELECT 1 FROM users WHERE username = 'admin'").get())
      db.prepare("INSERT INTO users (id, username, display_name, is_admin, password_hash, created_at) VALUES (?, 'admin', 'Administrator', 1, ?, ?)").run(
        newId("u"),
        passwordHash,
        now,
      );
    for (const id of ids) {
      const user = userById(db, id, meetingId)!;
      users[user.username] = user;
    }
  })();

  const declarationBlocks = seedBlocks(DECLARATION);
  const documents: Record<string, string> = {};
  runCommand(ctx, (tx) => {
    documents.declaration = createDocument(tx, SYSTEM, {
      meetingId,
      bodyId: bodies.adhoc!,
      kind: "declaration",
      title: "Declaration of Buenos Aires on Trafficking in Persons",
      symbol: "RTP-II/doc.5/09",
      blocks: declarationBlocks,
      state: "negotiation",
    });
    (["wg1", "wg2", "wg3", "wg4"] as const).forEach((key, i) => {
      documents[key] = createDocument(tx, SYSTEM, {
        meetingId,
        bodyId: bodies[key]!,
        kind: "group_report",
        title: GROUP_REPORTS[key].title,
        symbol: `RTP-II/doc.${i + 1}/09`,
        blocks: seedBlocks(GROUP_REPORTS[key].blocks),
        state: "negotiation",
      });
    });
  });

  const demo: DemoMeeting = {
    meetingId,
    bodies,
    documents,
    users,
    accounts,
    declarationBrackets: seedBracketSpans(DECLARATION).map((s) => ({
      paragraphId: declarationBlocks[s.index]!.id,
      from: s.from,
      to: s.to,
    })),
  };
  for (const feature of FEATURES) feature.seed?.(ctx, demo);
  // The text as circulated, after every feature's seed: the baseline of the first revision,
  // so that a named version saved after edits is `rev. 1`.
  runCommand(ctx, (tx) => {
    for (const id of Object.values(documents)) createVersion(tx, SYSTEM, id, { label: "as circulated", reason: "initial" });
  });
  return demo;
}

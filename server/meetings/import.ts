import type { AuditActor } from "../audit/audit.js";
import type { CommandTx } from "../commands/command.js";
import { parseCsv } from "./csv.js";
import { checkNewMember, insertMember, memberCheckContext, type CheckedMember } from "./members.js";
import type { MemberInfo } from "../../schema/api/meetings.js";

/** The header a member list must start with, in this order. */
const MEMBER_CSV_HEADER = ["username", "displayName", "role", "delegation", "email"] as const;
/** The optional last column: a translator's languages, codes separated by spaces or semicolons ("es fr"). */
const LANGUAGES_COLUMN = "languages";
/** The most members one file may add. */
const MAX_IMPORTED_MEMBERS = 10_000;

/** What an import did: every member created with their setup token, or every wrong line (and nothing created). */
export interface ImportResult {
  created: Array<{ member: MemberInfo; token: string | null }>;
  errors: Array<{ line: number; error: string }>;
}

/**
 * Adds the members listed in a CSV file, all or nothing: every line is checked first and
 * each wrong one named; only a file without a wrong line creates anyone. No password is
 * hashed here: each new person chooses one with their setup link.
 */
export function importMembers(tx: CommandTx, who: AuditActor, meetingId: string, text: string): ImportResult {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { created: [], errors: [{ line: parsed.line, error: parsed.error }] };
  const [header, ...rows] = parsed.records;
  const required = MEMBER_CSV_HEADER.join(",");
  const expected = `${required} (and ,${LANGUAGES_COLUMN} for translators)`;
  if (!header) return { created: [], errors: [{ line: 1, error: `the file is empty; its first line must be ${expected}` }] };
  const got = header.fields.map((f) => f.trim());
  const withLanguages = got.join(",") === `${required},${LANGUAGES_COLUMN}`;
  if (got.join(",") !== required && !withLanguages)
    return { created: [], errors: [{ line: header.line, error: `the header is ${JSON.stringify(got.join(","))}; it must be ${expected}` }] };
  const columns = MEMBER_CSV_HEADER.length + (withLanguages ? 1 : 0);
  if (rows.length === 0) return { created: [], errors: [{ line: header.line, error: "the file lists no members after its header" }] };
  if (rows.length > MAX_IMPORTED_MEMBERS)
    return {
      created: [],
      errors: [{ line: rows[MAX_IMPORTED_MEMBERS]!.line, error: `a file may add at most ${MAX_IMPORTED_MEMBERS} members; split it` }],
    };

  const check = memberCheckContext(tx.db, meetingId);
  const errors: ImportResult["errors"] = [];
  const members: CheckedMember[] = [];
  for (const row of rows) {
    if (row.fields.length !== columns) {
      errors.push({ line: row.line, error: `${row.fields.length} fields; a line has ${columns}: ${got.join(",")}` });
      continue;
    }
    const [username, displayName, role, delegation, email, languageList = ""] = row.fields as [string, string, string, string, string, string?];
    const languages = languageList.split(/[\s;]+/).filter((l) => l.length > 0).map((l) => l.toLowerCase());
    const { member, problems } = checkNewMember(check, { username, displayName, role, delegation, email, languages });
    if (member) members.push(member);
    else errors.push({ line: row.line, error: problems.join("; ") });
  }
  if (errors.length) return { created: [], errors };
  return { created: members.map((m) => insertMember(tx, who, check, m)), errors: [] };
}

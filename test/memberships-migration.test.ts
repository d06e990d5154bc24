import { afterAll, describe, expect, it } from "vitest";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { asSqliteDb, migrate } from "../server/store/db.js";
import { personForLogin, memberIn } from "../server/auth/users.js";

const dir = mkdtempSync(join(tmpdir(), "accord-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("migration 021: users of one meeting become people with memberships", () => {
  it("moves each user's meeting, role and delegation into a membership and keeps every reference", () => {
    // A database as it was before: migrations up to 006, with a user, a session and a version.
    const before = join(dir, "before");
    mkdirSync(before);
    for (const file of readdirSync("migrations").filter((f) => f < "021")) copyFileSync(join("migrations", file), join(before, file));
    const raw = asSqliteDb(new Database(join(dir, "old.sqlite")));
    raw.pragma("foreign_keys = ON");
    migrate(raw, before);
    const now = new Date().toISOString();
    raw.prepare("INSERT INTO meetings (id, title, series_symbol, created_at) VALUES ('m1', 'Old meeting', 'OLD', ?)").run(now);
    raw.prepare("INSERT INTO delegations (id, meeting_id, code, name) VALUES ('g1', 'm1', 'ARG', 'Argentina')").run();
    raw.prepare("INSERT INTO bodies (id, meeting_id, kind, name, short_name) VALUES ('b1', 'm1', 'plenary', 'Plenary', 'Plenary')").run();
    raw
      .prepare(
        "INSERT INTO users (id, meeting_id, username, display_name, role, delegation_id, password_hash, created_at) VALUES ('u1', 'm1', 'arg.delegate', 'Delegate', 'delegate', 'g1', 'hash', ?)",
      )
      .run(now);
    raw.prepare("INSERT INTO body_chairs (body_id, user_id) VALUES ('b1', 'u1')").run();
    raw.prepare("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ('t', 'u1', 'c', ?, ?)").run(now, now);
    raw
      .prepare("INSERT INTO documents (id, meeting_id, body_id, kind, title, symbol, created_at, updated_at) VALUES ('d1', 'm1', 'b1', 'declaration', 'T', 'S', ?, ?)")
      .run(now, now);

    expect(migrate(raw)).toContain("021_memberships.sql");
    expect(raw.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(raw.pragma("foreign_key_check")).toEqual([]);
    const found = personForLogin(raw, "ARG.DELEGATE")!;
    expect(found.passwordHash).toBe("hash");
    expect(found.person).toMatchObject({ id: "u1", isAdmin: false, memberships: [{ meetingId: "m1", role: "delegate", delegation: "ARG", active: true }] });
    expect(memberIn(raw, found.person, "m1")).toMatchObject({ role: "delegate", delegation: "ARG", chairOf: ["b1"], meetingId: "m1" });
    expect(raw.prepare("SELECT COUNT(*) FROM sessions").pluck().get()).toBe(1);
    expect(raw.prepare("SELECT kind, language FROM documents").get()).toEqual({ kind: "declaration", language: null });
    // The new kinds and group codes are accepted; a user still cannot be deleted from under a session.
    raw.prepare("UPDATE documents SET kind = 'resolution'").run();
    raw.prepare("INSERT INTO delegations (id, meeting_id, code, name) VALUES ('g2', 'm1', 'CARICOM', 'Caribbean Community')").run();
    expect(() => raw.prepare("DELETE FROM users").run()).toThrow(/FOREIGN KEY/);
    raw.close();
  });
});

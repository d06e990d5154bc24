import type { Db } from "../store/db.js";

/**
 * Which meeting owns the thing an `/api/<kind>/<id>…` path names. Every check is made
 * against the caller's membership in that meeting, so this table lists every kind of
 * thing a route can name by id; a feature adding one registers it with `registerOwner`.
 */
const OWNERS = new Map<string, { noun: string; sql: string }>([
  ["meetings", { noun: "meeting", sql: "SELECT id FROM meetings WHERE id = ?" }],
  ["documents", { noun: "document", sql: "SELECT meeting_id FROM documents WHERE id = ?" }],
  ["amendments", { noun: "amendment", sql: "SELECT d.meeting_id FROM amendments a JOIN documents d ON d.id = a.document_id WHERE a.id = ?" }],
  ["brackets", { noun: "bracket", sql: "SELECT d.meeting_id FROM brackets b JOIN documents d ON d.id = b.document_id WHERE b.id = ?" }],
  ["signing-keys", { noun: "signing key", sql: "SELECT meeting_id FROM signing_keys WHERE id = ?" }],
  [
    "recommendations",
    { noun: "recommendation", sql: "SELECT d.meeting_id FROM recommendations r JOIN documents d ON d.id = r.document_id WHERE r.id = ?" },
  ],
]);

/** Declares that `/api/<segment>/<id>` names a `noun` whose meeting `sql` (one `?`: the id) selects. */
export function registerOwner(segment: string, noun: string, sql: string): void {
  OWNERS.set(segment, { noun, sql });
}

/** What a path names: the kind of thing (`noun`) and its meeting, null when no such thing exists. */
export interface Owned {
  noun: string;
  meetingId: string | null;
}

// Statements prepared once per database: this runs on every API request.
const prepared = new WeakMap<Db, Map<string, ReturnType<Db["prepare"]>>>();
function statement(db: Db, sql: string): ReturnType<Db["prepare"]> {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql).pluck()));
  return stmt;
}

const PATH = /^\/api\/([a-z-]+)\/([^/]+)/;

/** The owned thing an API path names, or null when the path names none (`/api/session`, `/api/meetings`). */
export function ownerOfPath(db: Db, path: string): Owned | null {
  const match = PATH.exec(path);
  const owner = match ? OWNERS.get(match[1]!) : undefined;
  if (!owner) return null;
  let id: string;
  try {
    id = decodeURIComponent(match![2]!);
  } catch {
    return { noun: owner.noun, meetingId: null };
  }
  const meetingId = statement(db, owner.sql).get(id) as string | undefined;
  return { noun: owner.noun, meetingId: meetingId ?? null };
}

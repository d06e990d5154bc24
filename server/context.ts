import type { Config } from "./config.js";
import type { Db } from "./store/db.js";
import type { TextStore } from "./store/text-store.js";
import type { RoomManager } from "./collab/rooms.js";
import type { TextHooks } from "./commands/hooks.js";
import type { Guards } from "./commands/guards.js";
import type { DocumentOwnership } from "./cluster/ownership.js";
import type { Relays } from "./cluster/relay.js";
import type { Limits } from "./auth/limits.js";

/**
 * What every command, route and hook works with. Built once in app.ts; tests build the
 * same through `createAccord`.
 */
export interface AppContext {
  config: Config;
  db: Db;
  texts: TextStore;
  rooms: RoomManager;
  /** Features' reactions to text changes and their extra text rules (brackets, status, …). */
  hooks: TextHooks;
  /** Features' answers to "what keeps this document / paragraph from being agreed?". */
  guards: Guards;
  /** Which documents this process owns, in a cluster (ACCORD_REDIS_URL); null in one process, which owns everything. */
  ownership: DocumentOwnership | null;
  /** In a cluster, this process's clients of documents other processes own; null in one process. */
  relays: Relays | null;
  /** What one person or address may do (requests, sign-ins, open websockets): counted here in one process, in Redis across a cluster. */
  limits: Limits;
}

import type { AppContext } from "../context.js";
import { Ownership } from "./ownership.js";

/**
 * Makes this process one of several sharing the store (ACCORD_REDIS_URL set): documents are
 * owned through leases (see ownership.ts) and the text store refuses writes to a document
 * this process does not own.
 */
export function joinCluster(ctx: AppContext): void {
  const { config } = ctx;
  const url = config.internalUrl ?? (config.port > 0 ? `http://127.0.0.1:${config.port}` : null);
  const ownership = new Ownership(ctx.db, { process: config.processName, url }, config.leaseMs, (documentId) => ctx.rooms.moved(documentId));
  ctx.ownership = ownership;
  ctx.texts.fence = (documentId) => ownership.fence(documentId);
}

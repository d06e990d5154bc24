import { randomBytes } from "node:crypto";
import type { AppContext } from "../context.js";
import { CLOSE_SHUTDOWN } from "../collab/connection.js";
import { Bus } from "./bus.js";
import { shareEvents } from "./events.js";
import { OwnerSide } from "./owner-side.js";
import { Ownership } from "./ownership.js";
import { Relays } from "./relay.js";
import { clusterKeys } from "./signing.js";
import { sharedLimits } from "./shared-limits.js";

// How often a process says it is alive (an owner drops the clients of a relay silent for 5 s).
const ALIVE_MS = 1000;

/** This process's part in a cluster, started with the server and closed with it. */
export interface ClusterNode {
  /** Subscribes to Redis; resolves once messages can arrive. */
  start(): Promise<void>;
  /** Ends relayed clients, releases every lease, closes Redis. */
  close(): void;
  /** Whether another live process of the cluster already did a once-per-cluster act (`what`): its name, or null when this process is to do it. */
  doneElsewhere(what: string): Promise<string | null>;
}

const nodes = new WeakMap<AppContext, ClusterNode>();

/** The cluster node of a context, if it joined one. */
export function clusterNodeOf(ctx: AppContext): ClusterNode | null {
  return nodes.get(ctx) ?? null;
}

/**
 * Makes this process one of several sharing the store (ACCORD_REDIS_URL set): documents
 * are owned through leases (ownership.ts; the text store refuses writes to a document
 * this process does not own), clients of documents owned elsewhere are relayed
 * (relay.ts, owner-side.ts), and events cross processes (events.ts), all through Redis.
 */
export function joinCluster(ctx: AppContext): void {
  const { config } = ctx;
  const url = config.internalUrl ?? (config.port > 0 ? `http://127.0.0.1:${config.port}` : null);
  const holder = `${config.processName}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const ownership = new Ownership(ctx.db, { holder, process: config.processName, url }, config.leaseMs, (documentId) => ctx.rooms.moved(documentId));
  ctx.ownership = ownership;
  ctx.texts.fence = ownership.fence;
  const keys = clusterKeys(config.clusterSecret!);
  const bus = new Bus(config.redisUrl!, holder, keys.bus);
  const limits = sharedLimits(config, config.redisUrl!, holder);
  ctx.limits = limits;
  const relays = new Relays(ctx, bus, ownership);
  ctx.relays = relays;
  const owner = new OwnerSide(ctx, bus, ownership);
  const ownerOpened = ctx.rooms.onOpened;
  ctx.rooms.onOpened = (room) => {
    ownerOpened?.(room);
    relays.opened(room.id);
  };
  const events = shareEvents(ctx, bus);
  bus.onMessage = (m) => {
    owner.handle(m);
    relays.handle(m);
    events(m);
  };
  let alive: NodeJS.Timeout | null = null;
  nodes.set(ctx, {
    async doneElsewhere(what) {
      const held = await limits.claimFirst(what);
      // A holder id is `<process name>:<pid>:<random>`.
      return held === null ? null : held.split(":")[0]!;
    },
    async start() {
      await Promise.all([bus.start(), limits.ready()]);
      const sayAlive = () => {
        bus.toEveryone({ type: "alive", from: holder });
        limits.alive();
      };
      sayAlive();
      alive = setInterval(sayAlive, ALIVE_MS);
      alive.unref();
    },
    close() {
      if (alive) clearInterval(alive);
      relays.close(CLOSE_SHUTDOWN, "server shutting down");
      owner.close();
      ownership.close();
      limits.close();
      // Let the last messages (the relays' ends) leave before the connections close.
      setTimeout(() => bus.close(), 200).unref();
    },
  });
}

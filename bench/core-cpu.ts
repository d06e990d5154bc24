import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import { createContext } from "../server/app.js";
import { personForLogin, memberIn, type User } from "../server/auth/users.js";
import { Connection } from "../server/collab/connection.js";
import type { Room } from "../server/collab/room.js";
import { loadConfig } from "../server/config.js";
import { seedDemo } from "../server/seed/demo.js";
import { placeWriters } from "./load/anchors.js";
import { awarenessMessage, insertUpdate, updateMessage } from "./load/wire.js";

/**
 * `npx tsx bench/core-cpu.ts [--editors=600] [--seconds=12] [--runs=3]`: the CPU time the
 * collaboration core spends per update, in this process, with no socket and no generator:
 * `--editors` connections whose sockets only count what they are sent, each sending a
 * one-character insert and a cursor move 5 times a second (as bench/load's writers do),
 * fed every 10 ms. It leaves out what a real run adds on top (the kernel's socket writes,
 * about a third of the server's time at 600 editors, and reading websocket frames), so
 * that the server's own work per update can be compared between two versions on this
 * shared machine, where the latency and even the cores of a real run move with everyone
 * else's load. Prints, per run, the CPU per update outside deliveries (receiving,
 * validating, storing, presence) and the deliveries' own CPU.
 */
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const editors = Number(arg("editors", "600"));
const seconds = Number(arg("seconds", "12"));
const runs = Number(arg("runs", "3"));
const RATE = 5;
const TURN_MS = 10;
const WARM_UP_PAIRS = RATE;

/** A socket that takes whatever is written to it and counts it. */
function countingSocket(sent: { writes: number }): unknown {
  const take = () => {
    sent.writes += 1;
    return true;
  };
  return { readyState: 1, OPEN: 1, CONNECTING: 0, bufferedAmount: 0, send: take, close: () => {}, _socket: { write: take } };
}

/** One run on a fresh data folder: the CPU per update outside deliveries and per delivery. */
async function run(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), "accord-core-cpu-"));
  const config = loadConfig({ ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent" });
  const ctx = createContext(config);
  try {
    const demo = await seedDemo(ctx, config.demoPassword);
    // A copy of the declaration without its paragraphs' statuses, as bench/servers/accord-data.ts makes.
    const documentId = "dcorecpu";
    ctx.db
      .prepare(
        `INSERT INTO documents (id, meeting_id, body_id, kind, title, symbol, state, created_at, updated_at)
         SELECT ?, meeting_id, body_id, kind, title, symbol || '/core-cpu', state, created_at, updated_at FROM documents WHERE id = ?`,
      )
      .run(documentId, demo.documents.declaration);
    ctx.texts.create(documentId, ctx.texts.load(demo.documents.declaration!).doc);
    const room: Room = ctx.rooms.open(documentId);
    const delegates: User[] = demo.accounts
      .filter((a) => a.role === "delegate")
      .map((a) => memberIn(ctx.db, personForLogin(ctx.db, a.username)!.person, room.meetingId)!);
    const sent = { writes: 0 };
    const { anchors, taken } = placeWriters(Y.encodeStateAsUpdate(room.doc), editors);
    const conns = anchors.map((_, i) => new Connection(countingSocket(sent) as never, delegates[i % delegates.length]!, false, documentId));
    for (const conn of conns) ctx.rooms.attach(room, conn);
    const pairs = WARM_UP_PAIRS + seconds * RATE;
    // Every message is made before the clock starts: what is timed is the server's work.
    const messages = anchors.map((a) => {
      let client: number;
      do client = 1 + Math.floor(Math.random() * 2 ** 30);
      while (taken.has(client));
      taken.add(client);
      const out: Uint8Array[] = [];
      for (let clock = 0; clock < pairs; clock++) {
        const origin = clock === 0 ? a.origin : { client, clock: clock - 1 };
        out.push(updateMessage("y-websocket", documentId, insertUpdate(client, clock, origin, a.right, String.fromCharCode(97 + (clock % 26)))));
        out.push(awarenessMessage("y-websocket", documentId, client, clock + 1, { user: { name: `writer ${client}` }, cursor: { anchor: clock, head: clock } }));
      }
      return out;
    });
    const next = new Array<number>(editors).fill(0);
    let refused = 0;
    const refusedBefore = ctx.rooms.refused.bind(ctx.rooms);
    ctx.rooms.refused = (r, conn, reason) => {
      refused += 1;
      refusedBefore(r, conn, reason);
    };
    // Editor i sends its k-th pair at (k + i / editors) / RATE seconds, in turns of TURN_MS.
    const feed = async (upTo: number) => {
      const start = performance.now() - (next[0]! * 1000) / RATE;
      while (next.some((k) => k < upTo)) {
        const t = performance.now() - start;
        for (let i = 0; i < editors; i++)
          while (next[i]! < upTo && ((next[i]! + i / editors) * 1000) / RATE <= t) {
            room.receive(conns[i]!, messages[i]![2 * next[i]!]!);
            room.receive(conns[i]!, messages[i]![2 * next[i]! + 1]!);
            next[i]! += 1;
          }
        await new Promise((resolve) => setTimeout(resolve, TURN_MS));
      }
    };
    await feed(WARM_UP_PAIRS);
    let deliveryUs = 0;
    let deliveries = 0;
    const deliver = room.deliver.bind(room);
    room.deliver = (updates, durableSeq) => {
      const before = process.cpuUsage();
      deliver(updates, durableSeq);
      const spent = process.cpuUsage(before);
      deliveryUs += spent.user + spent.system;
      deliveries += 1;
    };
    const cpu = process.cpuUsage();
    await feed(pairs);
    ctx.rooms.flushNow();
    const spent = process.cpuUsage(cpu);
    const updates = editors * seconds * RATE;
    const outside = (spent.user + spent.system - deliveryUs) / updates;
    return (
      `${editors} editors, ${updates} updates and as many cursor moves: ${outside.toFixed(1)} µs of CPU per update outside deliveries; ` +
      `${deliveries} deliveries, ${(deliveryUs / Math.max(1, deliveries) / 1000).toFixed(2)} ms each` +
      (refused > 0 ? `; ${refused} refused (the figure is not comparable)` : "")
    );
  } finally {
    ctx.rooms.closeAll();
    ctx.db.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-keys`, { recursive: true, force: true });
  }
}

for (let i = 0; i < runs; i++) console.log(await run());

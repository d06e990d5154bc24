import { now } from "./clock.js";
import type { FromWriters, ToWriters, WritersConfig } from "./messages.js";
import { RawSocket } from "./rawws.js";
import { awarenessMessage, hocuspocusAuth, insertUpdate, step2Message, syncStep1Empty, updateMessage } from "./wire.js";

/**
 * A process of light writers and watchers (forked by the load runner). Each writer types
 * one character after its own last one at `rate` per second and moves its cursor as often;
 * it never decodes what it receives, so its updates stay valid without applying anyone
 * else's. It records when it sent each update; the probes record when it arrived.
 */

let reply: (m: FromWriters) => void = (m) => process.send!(m);
let config: WritersConfig;
let writers: RawSocket[] = [];
let watchers: RawSocket[] = [];
/** What each writer has typed so far (its k-th character has clock k), for re-sending. */
let typed: string[] = [];
/** When each writer's socket first closed (`now()`), by writer index. */
const closedAt = new Map<number, number>();
let stopping = false;

/** The character a writer types at `clock`. */
const charAt = (clock: number) => String.fromCharCode(97 + (clock % 26));

/**
 * With `resend`: writer `i`'s socket answers every sync step 1 with all it typed, and is
 * replaced when it closes (see `WritersConfig.resend`).
 */
function keep(i: number, socket: RawSocket, failures = 0): void {
  const w = config.writers[i]!;
  socket.onSyncStep1 = () => {
    failures = 0;
    if (typed[i]!.length > 0) socket.send(step2Message(config.dialect, config.docName, insertUpdate(w.client, 0, w.origin, w.right, typed[i]!)));
  };
  void socket.closedPromise.then(() => {
    if (stopping) return;
    if (!closedAt.has(i)) closedAt.set(i, now());
    setTimeout(() => {
      if (stopping) return;
      const again = new RawSocket(config.host, config.port, w.path ?? config.path, w.cookie);
      writers[i] = again;
      keep(i, again, failures + 1);
    }, Math.min(100 * 2 ** (failures + 1), 2500));
  });
}

async function connectAll(c: WritersConfig): Promise<void> {
  config = c;
  const openOne = async (cookie: string | null, isWatcher: boolean, path = c.path): Promise<RawSocket> => {
    const socket = new RawSocket(c.host, c.port, path, cookie);
    await socket.open;
    if (c.dialect === "hocuspocus") socket.send(hocuspocusAuth(c.docName, ""));
    if (isWatcher) socket.send(syncStep1Empty(c.dialect, c.docName));
    return socket;
  };
  let failed = 0;
  // Connect in small batches: a thousand simultaneous upgrades measure the accept queue, not the server.
  const batch = 50;
  for (let i = 0; i < c.writers.length; i += batch)
    writers.push(
      ...(await Promise.all(c.writers.slice(i, i + batch).map((w) => openOne(w.cookie, false, w.path).catch(() => (failed++, null))))).filter(
        (s): s is RawSocket => s !== null,
      ),
    );
  for (let i = 0; i < c.watchers.length; i += batch)
    watchers.push(
      ...(await Promise.all(c.watchers.slice(i, i + batch).map((cookie) => openOne(cookie, true).catch(() => (failed++, null))))).filter(
        (s): s is RawSocket => s !== null,
      ),
    );
  typed = c.writers.map(() => "");
  if (c.resend && failed === 0) writers.forEach((socket, i) => keep(i, socket));
  reply({ type: "ready", failed });
}

function run(startAt: number, durationMs: number): void {
  const c = config;
  const period = 1000 / c.rate;
  const order = c.writers.map((w, i) => ({ w, i })).sort((a, b) => a.w.phase - b.w.phase);
  const sent: number[][] = c.writers.map(() => []);
  const endAt = startAt + durationMs;
  let cycle = 0;
  let next = 0;
  const tick = () => {
    const t = now();
    while (true) {
      const slot = order[next]!;
      const due = startAt + cycle * period + slot.w.phase;
      if (due > t || due >= endAt) break;
      const times = sent[slot.i]!;
      const clock = times.length;
      const w = slot.w;
      const origin = clock === 0 ? w.origin : { client: w.client, clock: clock - 1 };
      const update = insertUpdate(w.client, clock, origin, w.right, charAt(clock));
      const cursor = { user: { name: `writer ${w.client}` }, cursor: { anchor: clock, head: clock } };
      times.push(now());
      typed[slot.i] += charAt(clock);
      writers[slot.i]!.send(updateMessage(c.dialect, c.docName, update), awarenessMessage(c.dialect, c.docName, w.client, clock + 1, cursor));
      next += 1;
      if (next === order.length) {
        next = 0;
        cycle += 1;
      }
    }
    if (t < endAt) setTimeout(tick, 1);
    else {
      const result: Record<string, number[]> = {};
      c.writers.forEach((w, i) => (result[w.client] = sent[i]!));
      const ended = [...writers, ...watchers].filter((s) => s.closed);
      const closes: Record<string, number> = {};
      for (const s of ended) closes[s.closeReason || "(none)"] = (closes[s.closeReason || "(none)"] ?? 0) + 1;
      const closedAtByClient: Record<string, number> = {};
      for (const [i, t] of closedAt) closedAtByClient[c.writers[i]!.client] = t;
      reply({ type: "done", sent: result, closed: ended.length, closes, closedAt: closedAtByClient });
    }
  };
  setTimeout(tick, Math.max(0, startAt - now()));
}

/**
 * Handles one message from the load runner, answering through `answer`: the writers'
 * whole protocol, whether this process is theirs alone or shared with the probes
 * (`generator.ts`).
 */
export function handleWriters(m: ToWriters, answer: (m: FromWriters) => void): void {
  reply = answer;
  if (m.type === "config") void connectAll(m.config);
  else if (m.type === "go") run(m.startAt, m.durationMs);
  else if (m.type === "exit") {
    stopping = true;
    for (const s of [...writers, ...watchers]) s.destroy();
    writers = [];
    watchers = [];
    process.exit(0);
  }
}

if (process.argv[1]?.endsWith("writers.ts")) process.on("message", (m: ToWriters) => handleWriters(m, (r) => process.send!(r)));

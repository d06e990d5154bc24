import type { Request, RequestHandler, Response } from "express";
import { performance } from "node:perf_hooks";
import type { AppContext } from "../context.js";
import { readCookie, SESSION_COOKIE, sessionUserId } from "../auth/sessions.js";
import { DEVICE_COOKIE, deviceCookiesOf } from "../auth/device-cookies.js";
import { addressKey } from "../auth/signin-limits.js";
import { clientAddress } from "./proxy.js";

/** How many of one client's requests may run at once (handlers that wait: sign-in's scrypt, exports). */
const IN_FLIGHT_PER_CLIENT = 4;
// The scheduler hands out the main thread in slices this long, then lets the event loop
// accept and read new connections before it goes on.
const SLICE_MS = 5;
/**
 * How long a refusal for going too fast waits before it is sent. An instant 429 is an
 * invitation to send again at once: a client that ignores Retry-After then turns every
 * turn of the event loop into parsing and refusing its requests, which is what starved new
 * connections. A refusal held back keeps that socket quiet meanwhile, for the price of a timer.
 */
export const TARPIT_MS = 1000;

interface Waiting {
  run: () => void;
  /** The client hung up before its turn. */
  cancelled: boolean;
  started: boolean;
}

interface Client {
  key: string;
  waiting: Waiting[];
  inFlight: number;
}

/**
 * Shares the main thread fairly between clients. Node runs every request it reads to the
 * end in the order the sockets became readable, so one user with 200 keep-alive sockets
 * got 200 handler runs for every one of a newcomer, whose request needs two or three such
 * rounds (accept, read, answer): under a flood a new connection waited seconds. Here
 * requests are queued per client (the user, a known device, else the address) and taken round
 * robin, one per client per turn, in slices after which the event loop reads what has
 * arrived. A client may have `IN_FLIGHT_PER_CLIENT` requests running and
 * `ACCORD_MAX_REQUESTS_WAITING` waiting; beyond that it gets a 429, sent after `TARPIT_MS`
 * so its socket stays quiet: its flood only ever slows itself down.
 */
export function fairShare(ctx: AppContext): RequestHandler {
  const maxWaiting = ctx.config.maxRequestsWaitingPerUser;
  const clients = new Map<string, Client>();
  // Clients with a request waiting and room to run it, in round-robin order (Map order): a
  // client that is served goes to the end. Only these are looked at, however many clients
  // are waiting for answers.
  const ready = new Map<string, Client>();
  let scheduled = false;

  const schedule = () => {
    if (scheduled || ready.size === 0) return;
    scheduled = true;
    setImmediate(pump);
  };

  const settle = (client: Client) => {
    while (client.waiting[0]?.cancelled) client.waiting.shift();
    if (client.waiting.length > 0 && client.inFlight < IN_FLIGHT_PER_CLIENT) {
      if (!ready.has(client.key)) ready.set(client.key, client);
    } else {
      ready.delete(client.key);
      if (client.waiting.length === 0 && client.inFlight === 0) clients.delete(client.key);
    }
  };

  const pump = () => {
    scheduled = false;
    const start = performance.now();
    while (ready.size > 0 && performance.now() - start < SLICE_MS) {
      const client = ready.values().next().value as Client;
      ready.delete(client.key);
      while (client.waiting[0]?.cancelled) client.waiting.shift();
      const item = client.waiting.shift();
      if (item) {
        client.inFlight += 1;
        item.started = true;
        item.run();
      }
      settle(client);
    }
    schedule();
  };

  const done = (client: Client) => {
    client.inFlight -= 1;
    settle(client);
    schedule();
  };

  // The client is the signed-in user, or a browser that has signed in before (a genuine
  // device cookie), or else the address. Cookies are checked: made-up ones would make a
  // sprayer a thousand clients.
  const devices = deviceCookiesOf(ctx);
  const clientKey = (req: Request): string => {
    const session = readCookie(req.headers.cookie, SESSION_COOKIE);
    const userId = session ? sessionUserId(ctx.db, session) : null;
    if (userId) return `u:${userId}`;
    const device = devices.open(readCookie(req.headers.cookie, DEVICE_COOKIE));
    if (device) return `d:${device.nonce}`;
    return `a:${addressKey(clientAddress(req, ctx.config.trustProxy))}`;
  };

  return (req, res, next) => {
    const key = clientKey(req);
    let client = clients.get(key);
    if (!client) clients.set(key, (client = { key, waiting: [], inFlight: 0 }));
    if (client.waiting.length >= maxWaiting) return void setTimeout(() => tooMany(res), TARPIT_MS).unref();
    const c = client;
    const item: Waiting = { run: () => next(), cancelled: false, started: false };
    res.once("close", () => {
      // A client that hung up while waiting costs nothing more.
      if (item.started) done(c);
      else item.cancelled = true;
    });
    c.waiting.push(item);
    settle(c);
    schedule();
  };
}

function tooMany(res: Response): void {
  if (res.headersSent || res.destroyed) return;
  res.setHeader("Retry-After", "1");
  res.status(429).json({ error: "too many of your requests are in progress; wait for their answers before sending more" });
}

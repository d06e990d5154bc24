import { Redis } from "ioredis";
import type { Config } from "../config.js";
import { localLimits, LocalConnectionSlots, type ConnectionSlots, type Limits, type RequestRate, type SignInLimiter, signInSettings } from "../auth/limits.js";
import type { SignInLock, SignInTarget } from "../auth/signin-limits.js";

const PREFIX = "accord:";
/** How long a process's "alive" key lives unless renewed: its open websockets stop counting this long after it died. */
const ALIVE_TTL_MS = 5000;
// While the last attempts of a quota are in progress, the next one is asked to wait this long (as in one process).
const IN_PROGRESS_RETRY_MS = 1_000;
/** How long a count may take before this process counts alone (ms). */
const COMMAND_TIMEOUT_MS = 500;

/** One fixed window per key: the first request of a window starts it (as RateLimiter in memory). */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

// A sign-in counter is a hash: f failures, p attempts in progress, s start of the counting
// window, l end of the lock (0: none). KEYS: the username's (or device's) counter, then the
// address's when it applies. The same rules as SignInLimits in memory.
const COUNTER = `
local function counter(k, now, lockout)
  local h = redis.call('HMGET', k, 'f', 'p', 's', 'l')
  local c = { f = tonumber(h[1]) or 0, p = tonumber(h[2]) or 0, s = tonumber(h[3]) or now, l = tonumber(h[4]) or 0 }
  local over
  if c.l > 0 then over = c.l <= now else over = now - c.s >= lockout end
  if over then c.f = 0; c.s = now; c.l = 0 end
  return c
end
local function save(k, c, lockout)
  redis.call('HSET', k, 'f', c.f, 'p', math.max(0, c.p), 's', c.s, 'l', c.l)
  redis.call('PEXPIRE', k, lockout * 2)
end`;

/** Admits an attempt (both counters' `p` + 1) or returns {scope index, until, locked}. ARGV: now, lockout, limits per key, retry. */
const BEGIN = `${COUNTER}
local now, lockout, retry = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local cs = {}
for i, k in ipairs(KEYS) do
  local c = counter(k, now, lockout)
  local limit = tonumber(ARGV[3 + i])
  if c.l > now then return { i, c.l, 1 } end
  if c.f + c.p >= limit then return { i, now + retry, 0 } end
  cs[i] = c
end
for i, k in ipairs(KEYS) do cs[i].p = cs[i].p + 1; save(k, cs[i], lockout) end
return { 0 }`;

/** A failed attempt: each counter's failure counted, its place freed; returns the first lock it started, or {0}. */
const FAIL = `${COUNTER}
local now, lockout = tonumber(ARGV[1]), tonumber(ARGV[2])
local started = { 0 }
for i, k in ipairs(KEYS) do
  local c = counter(k, now, lockout)
  c.p = c.p - 1
  c.f = c.f + 1
  if c.l <= now and c.f >= tonumber(ARGV[2 + i]) then
    c.l = now + lockout
    if started[1] == 0 then started = { i, c.l, 1 } end
  end
  save(k, c, lockout)
end
return started`;

/** A successful attempt: the username's failures forgotten, both places freed. */
const SUCCEED = `${COUNTER}
local now, lockout = tonumber(ARGV[1]), tonumber(ARGV[2])
for i, k in ipairs(KEYS) do
  local c = counter(k, now, lockout)
  c.p = c.p - 1
  if i == 1 then c.f = 0; c.l = 0; c.s = now end
  save(k, c, lockout)
end
return 0`;

/**
 * Takes one of a person's websocket slots. The count is a hash, one field per process: a
 * process that died (its alive key expired) stops counting. KEYS: the person's hash;
 * ARGV: this process, the limit, the alive keys' prefix. (It reads the alive keys by name,
 * which a single Redis allows.)
 */
const ACQUIRE = `
local all = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #all, 2 do
  local holder, n = all[i], tonumber(all[i + 1])
  if holder == ARGV[1] or redis.call('EXISTS', ARGV[3] .. holder) == 1 then total = total + n else redis.call('HDEL', KEYS[1], holder) end
end
if total >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
return 1`;

const RELEASE = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n`;

/**
 * Claims a once-per-cluster act for this process unless a live process holds it: returns
 * the holder that does, or an empty string when it is this process's now. KEYS: the
 * claim; ARGV: this process, the alive keys' prefix.
 */
const CLAIM = `
local h = redis.call('GET', KEYS[1])
if h and h ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. h) == 1 then return h end
redis.call('SET', KEYS[1], ARGV[1])
return ''`;

const SCOPES = ["username", "address"] as const;

/** The limits of a cluster, counted in Redis, and how this process tells Redis it is alive. */
export interface SharedLimits extends Limits {
  /** Renews this process's alive key (its websockets keep counting). */
  alive(): void;
  /**
   * Claims an act done once per cluster (`what`, e.g. issuing the administrator's setup
   * link) for this process, unless another live process claimed it: resolves with that
   * process's holder id, or null when this process is to do it (also when Redis does not
   * answer: then it is done once more rather than not at all).
   */
  claimFirst(what: string): Promise<string | null>;
  /** Resolves once the connection to Redis is up, or after `timeoutMs` (counts are then made here until it is). */
  ready(timeoutMs?: number): Promise<void>;
  /** Closes the connection to Redis. */
  close(): void;
}

/**
 * The limits shared by the processes of a cluster (ACCORD_REDIS_URL): each count is one
 * Redis key changed by one atomic script, so with three processes a person still gets the
 * allowance once. A count that Redis does not answer within COMMAND_TIMEOUT_MS (Redis
 * down, restarting, unreachable) is made by this process in memory, as in one process:
 * the limits then hold per process, so a user or guesser gets at most the allowance once
 * per process until Redis is back. That direction is chosen over refusing: an outage of
 * Redis must not lock every person out of signing in and working, and the in-memory
 * counts still stop a guesser at the process's allowance. Each fallback is logged (at
 * most once every 10 s).
 */
export function sharedLimits(config: Config, redisUrl: string, holder: string): SharedLimits {
  // Its own connection: commands fail at once while Redis is unreachable (no offline queue,
  // no retries) instead of waiting, as the bus's do, for it to come back.
  const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: COMMAND_TIMEOUT_MS });
  redis.on("error", () => {}); // each failed count is reported below
  const local = localLimits(config);
  const localSlots = local.connections as LocalConnectionSlots;
  const settings = signInSettings(config);
  let lastReport = 0;
  const fallback = (what: string, error: unknown) => {
    const now = Date.now();
    if (now - lastReport >= 10_000) {
      lastReport = now;
      console.error(`cluster: Redis did not count ${what} (${error instanceof Error ? error.message : error}); this process counts alone until it answers`);
    }
  };
  const run = (script: string, keys: string[], args: Array<string | number>) => redis.eval(script, keys.length, ...keys, ...args);

  const requests: RequestRate = {
    async take(personId) {
      try {
        const n = Number(await run(TAKE, [`${PREFIX}rate:requests:${personId}`], [60_000]));
        return n <= config.requestsPerMinute;
      } catch (error) {
        fallback("a request", error);
        return local.requests.take(personId);
      }
    },
  };

  const signIns: SignInLimiter = {
    async begin(target: SignInTarget, address: string) {
      const keys = signInKeys(target, address);
      const limits = keys.map((_, i) => (i === 0 ? settings.failuresPerUsername : settings.failuresPerAddress));
      let answer: number[];
      try {
        answer = (await run(BEGIN, keys, [Date.now(), settings.lockoutMs, IN_PROGRESS_RETRY_MS, ...limits])) as number[];
      } catch (error) {
        fallback("a sign-in", error);
        return local.signIns.begin(target, address);
      }
      if (answer[0] !== 0) return { refused: lockOf(answer) };
      let decided = false;
      const settle = async (script: string, args: number[]): Promise<number[] | null> => {
        if (decided) return null;
        decided = true;
        try {
          return (await run(script, keys, [Date.now(), settings.lockoutMs, ...args])) as number[];
        } catch (error) {
          // Its place in the quota is freed when the counter expires (twice the lockout period).
          fallback("a sign-in's outcome", error);
          return null;
        }
      };
      return {
        attempt: {
          async failed() {
            const started = await settle(FAIL, limits);
            return started && started[0] !== 0 ? lockOf(started) : null;
          },
          async succeeded() {
            await settle(SUCCEED, []);
          },
        },
      };
    },
  };

  const aliveKey = `${PREFIX}alive:`;
  const connections: ConnectionSlots = {
    async acquire(personId) {
      const key = `${PREFIX}sockets:${personId}`;
      let taken: number;
      try {
        taken = Number(await run(ACQUIRE, [key], [holder, config.maxConnectionsPerUser, aliveKey]));
      } catch (error) {
        fallback("a websocket", error);
        return localSlots.acquireNow(personId);
      }
      if (taken !== 1) return null;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        // Not counted back when Redis does not answer: the slot is freed when this process's alive key expires (it stops), at the latest.
        run(RELEASE, [key], [holder]).catch((error) => fallback("a closed websocket", error));
      };
    },
  };

  return {
    requests,
    signIns,
    connections,
    alive() {
      redis.set(`${aliveKey}${holder}`, "1", "PX", ALIVE_TTL_MS).catch(() => {});
    },
    ready(timeoutMs = 5000) {
      if (redis.status === "ready") return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          redis.off("ready", done);
          resolve();
        }
        redis.once("ready", done);
      });
    },
    async claimFirst(what) {
      await this.ready();
      try {
        await redis.set(`${aliveKey}${holder}`, "1", "PX", ALIVE_TTL_MS);
        const held = String(await run(CLAIM, [`${PREFIX}first:${what}`], [holder, aliveKey]));
        return held === "" ? null : held;
      } catch (error) {
        fallback(`who is first to ${what}`, error);
        return null;
      }
    },
    close() {
      redis.del(`${aliveKey}${holder}`).catch(() => {}).finally(() => redis.disconnect());
    },
  };
}

/** The Redis keys of a sign-in's counters: its username's (or its device's), then its address's (none for a known device). */
function signInKeys(target: SignInTarget, address: string): string[] {
  const base = `${PREFIX}signin:`;
  if ("device" in target) return [`${base}device:${target.accountId}:${target.device}`];
  const user = "accountId" in target ? `${base}account:${target.accountId}` : `${base}unknown:${target.unknownUsername.normalize("NFC").toLowerCase()}`;
  return [user, `${base}address:${address}`];
}

function lockOf(answer: number[]): SignInLock {
  return { scope: SCOPES[answer[0]! - 1]!, until: Number(answer[1]), locked: answer[2] === 1 };
}

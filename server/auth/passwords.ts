import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { availableParallelism } from "node:os";

// scrypt runs on libuv's thread pool (four threads), which also does the WAL's slow fsyncs
// and file reads. Left alone, a burst of sign-ins takes all four threads: durable writes
// queue behind them, and four hashes on two cores take the CPU from the event loop. So at
// most this many run at once (one per core, at most three); the rest wait in line.
const MAX_HASHING = Math.max(1, Math.min(3, availableParallelism()));
let hashing = 0;
const line: Array<() => void> = [];
// Sign-ins from browsers that have signed in to the account before go first: a spray of
// made-up usernames from many addresses must not make the people who use Accord wait.
const priorityLine: Array<() => void> = [];

async function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions, priority = false): Promise<Buffer> {
  if (hashing >= MAX_HASHING) await new Promise<void>((resolve) => (priority ? priorityLine : line).push(resolve));
  else hashing += 1;
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
    );
  } finally {
    // The slot passes straight to the next in line, if any.
    const next = priorityLine.shift() ?? line.shift();
    if (next) next();
    else hashing -= 1;
  }
}

// N=2^15, r=8, p=1: 32 MiB and ~110 ms per hash on the 2-core reference machine (more
// under load), run on libuv's thread pool so the event loop never waits. OWASP's current
// minimum is N=2^17 (~530 ms here): a plenary of seventy signing in within a minute would
// queue for half a minute on two cores, so we stay at 2^15 and slow guessing with the
// per-username limit instead. ACCORD deployments with more cores can raise N; stored
// hashes carry their own parameters, so old ones keep verifying.
const PARAMS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64), for storage. */
export async function hashPassword(password: string, params: Partial<typeof PARAMS> = {}): Promise<string> {
  const p = { ...PARAMS, ...params };
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFC"), salt, KEYLEN, p);
  return `scrypt$${p.N}$${p.r}$${p.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/**
 * Whether `password` matches a stored hash, in constant time for a given hash. `priority`
 * (a sign-in from a known device) is served before the others waiting for the hasher.
 */
export async function verifyPassword(password: string, stored: string, priority = false): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password.normalize("NFC"), Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  }, priority);
  return timingSafeEqual(expected, actual);
}

let dummyHash: Promise<string> | null = null;

/**
 * The hash of a random password nobody knows, with the default parameters. A sign-in for
 * an unknown username is checked against it, so that it costs the same scrypt run as one
 * for a real account and its answer time does not tell which usernames exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(18).toString("base64"));
  return dummyHash;
}

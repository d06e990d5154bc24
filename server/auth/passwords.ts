import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

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

/** Whether `password` matches a stored hash, in constant time for a given hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scrypt(password.normalize("NFC"), Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: PARAMS.maxmem,
  });
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

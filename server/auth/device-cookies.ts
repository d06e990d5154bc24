import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { clusterKey } from "../cluster/signing.js";

/** Name of the cookie that marks a browser in which an account has signed in before. */
export const DEVICE_COOKIE = "accord_device";

/** How long a device cookie is honoured (days). */
export const DEVICE_COOKIE_DAYS = 365;

/**
 * Device cookies (OWASP's defence against online guessing without locking people out):
 * after a successful sign-in the browser gets a cookie naming the account and a random
 * nonce, signed with a key only this server process holds. A later sign-in to that
 * account presenting it is counted against that device alone, not against the username
 * or the address: a guesser who locks a username, or sprays from the same network as the
 * delegates (a conference venue's one public address), does not keep out the people who
 * have signed in there before. In one process the key lives in memory, so a restart voids
 * every device cookie, as it forgets every lock. The processes of a cluster derive it from
 * their shared secret (ACCORD_CLUSTER_SECRET): a cookie issued by one is genuine on all,
 * whichever process the balancer sends the next sign-in to.
 */
class DeviceCookies {
  constructor(private readonly key: Buffer) {}

  /** A new device cookie value for `userId`. */
  issue(userId: string): string {
    const body = `${randomBytes(16).toString("base64url")}.${Buffer.from(userId).toString("base64url")}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The device's nonce if `value` is a genuine device cookie of `userId`, else null. */
  deviceOf(value: string | undefined, userId: string): string | null {
    const genuine = this.open(value);
    return genuine && genuine.userId === userId ? genuine.nonce : null;
  }

  /** The nonce and account of a genuine device cookie, or null for anything else. */
  open(value: string | undefined): { nonce: string; userId: string } | null {
    if (!value || value.length > 300) return null;
    const parts = value.split(".");
    if (parts.length !== 3) return null;
    const [nonce, user, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${nonce}.${user}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return { nonce, userId: Buffer.from(user, "base64url").toString() };
  }

  private sign(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url");
  }
}

const perServer = new WeakMap<object, DeviceCookies>();

/** The device cookies of a server (one key per context). */
export function deviceCookiesOf(ctx: { config: { clusterSecret: string | null } }): DeviceCookies {
  let d = perServer.get(ctx);
  if (!d) {
    const secret = ctx.config.clusterSecret;
    perServer.set(ctx, (d = new DeviceCookies(secret === null ? randomBytes(32) : clusterKey(secret, "device-cookies"))));
  }
  return d;
}

import { describe, expect, it } from "vitest";
import { addressKey, SignInLimits } from "../server/auth/signin-limits.js";

const settings = { failuresPerUsername: 10, failuresPerAddress: 100, lockoutMs: 60_000 };

function fail(limits: SignInLimits, target: Parameters<SignInLimits["begin"]>[0], address: string, now: number) {
  const r = limits.begin(target, address, now);
  if ("refused" in r) return r.refused;
  r.attempt.failed(now);
  return null;
}

describe("sign-in limits", () => {
  it("a spray of 30,000 unknown usernames (more than the maps hold) from as many addresses leaves a real account's lock in place", () => {
    const limits = new SignInLimits(settings);
    const t0 = 1_000_000;
    for (let i = 0; i < 10; i++) expect(fail(limits, { accountId: "u1" }, "10.0.0.1", t0)).toBeNull();
    expect(fail(limits, { accountId: "u1" }, "10.0.0.1", t0)?.scope).toBe("username");
    for (let i = 0; i < 30_000; i++) fail(limits, { unknownUsername: `spray-${i}` }, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, t0 + 1);
    const after = limits.begin({ accountId: "u1" }, "192.0.2.7", t0 + 2);
    expect("refused" in after && after.refused.locked).toBe(true);
    // The lock ends after its period, and the account may try again.
    const later = limits.begin({ accountId: "u1" }, "192.0.2.7", t0 + 60_001);
    expect("attempt" in later).toBe(true);
  });

  it("a success forgets the username's failures but not the address's", () => {
    const limits = new SignInLimits({ ...settings, failuresPerAddress: 12 });
    for (let i = 0; i < 9; i++) fail(limits, { accountId: "u2" }, "10.0.0.2", 0);
    const ok = limits.begin({ accountId: "u2" }, "10.0.0.2", 0);
    if (!("attempt" in ok)) throw new Error("refused");
    ok.attempt.succeeded();
    for (let i = 0; i < 3; i++) expect(fail(limits, { accountId: "u2" }, "10.0.0.2", 0)).toBeNull();
    expect(fail(limits, { accountId: "u2" }, "10.0.0.2", 0)?.scope).toBe("address");
    expect(fail(limits, { accountId: "u3" }, "10.0.0.2", 0)?.scope).toBe("address");
  });

  it("counts an IPv6 /64 as one address and an IPv4-mapped address as IPv4", () => {
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe(addressKey("2001:0db8:0001:0002:bbbb:cccc:dddd:eeee"));
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(addressKey("192.0.2.1")).toBe("192.0.2.1");
  });
});

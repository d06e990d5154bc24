/**
 * What the lifecycle costs: a transition (with its version), a signature, and the
 * verification of a signed document as the audit chain grows (the chain walk is the part
 * that grows with the meeting). Run: npx tsx bench/lifecycle.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../server/config.js";
import { createContext } from "../server/app.js";
import { seedDemo } from "../server/seed/demo.js";
import { runCommand } from "../server/commands/command.js";
import { Guards } from "../server/commands/guards.js";
import { appendAudit, SYSTEM, verifyAuditChain } from "../server/audit/audit.js";
import { transition } from "../server/lifecycle/transition.js";
import { sign } from "../server/lifecycle/signatures.js";
import { verifyDocument } from "../server/lifecycle/verification.js";
import { adoptedVersion } from "../server/lifecycle/adopted.js";
import { generateKeyPairSync, sign as cryptoSign } from "node:crypto";
import { statementText } from "../schema/signing-statement.js";
import { statementBasis } from "../server/lifecycle/statement.js";
import { confirmSigningKey, registerSigningKey } from "../server/lifecycle/signing-keys.js";

const dataDir = mkdtempSync(join(tmpdir(), "accord-bench-lifecycle-"));
const config = loadConfig({ ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent", ACCORD_SYNC: "full" });
const ctx = createContext(config);
const demo = await seedDemo(ctx, config.demoPassword);
// Measure the lifecycle alone: the other features' "is it clean?" checks are theirs to time.
ctx.guards = new Guards();
const docId = demo.documents.declaration!;
const chair = demo.users.chair!;
const rapporteur = demo.users.rapporteur!;

const time = (fn: () => void): number => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

const moves: Array<[typeof chair, "agreed_ad_ref" | "referred" | "adopted"]> = [
  [chair, "agreed_ad_ref"],
  [rapporteur, "referred"],
  [chair, "adopted"],
];
for (const [who, to] of moves) {
  const ms = time(() => runCommand(ctx, (tx) => transition(tx, who, docId, { to })));
  console.log(`transition → ${to.padEnd(13)} ${ms.toFixed(2)} ms (state, version of the declaration, audit; synchronous=FULL)`);
}

const hash = adoptedVersion(ctx, docId)!.hash;
const ministers = Object.values(demo.users).filter((u) => u.role === "minister");
const secretariat = demo.users.secretariat!;
// Each minister's key, made here as a browser would make it, registered and confirmed.
const keys = new Map(
  ministers.map((m) => {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = pair.publicKey.export({ format: "jwk" }) as { x: string; y: string };
    const key = runCommand(ctx, (tx) => registerSigningKey(tx, m, { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }));
    runCommand(ctx, (tx) => confirmSigningKey(tx, secretariat, key.id));
    return [m.id, pair.privateKey] as const;
  }),
);
const signTimes = ministers.map((m) => {
  const statement = statementText({ ...statementBasis(ctx, docId, { username: m.username, delegation: m.delegation! }), signedAt: new Date().toISOString(), reservation: null });
  const signature = cryptoSign("sha256", Buffer.from(statement), { key: keys.get(m.id)!, dsaEncoding: "ieee-p1363" }).toString("base64");
  return time(() => runCommand(ctx, (tx) => sign(tx, m, docId, { hash, statement, signature })));
});
signTimes.sort((a, b) => a - b);
console.log(
  `sign: ${ministers.length} signatures, median ${signTimes[Math.floor(signTimes.length / 2)]!.toFixed(2)} ms, max ${signTimes.at(-1)!.toFixed(2)} ms (each verifies the minister's ECDSA signature; the last one also moves the document to signed)`,
);

let events = ctx.db.prepare("SELECT COUNT(*) FROM audit_events").pluck().get() as number;
for (const target of [events, 10_000, 100_000]) {
  const add = target - events;
  if (add > 0) {
    ctx.db.transaction(() => {
      for (let i = 0; i < add; i++)
        appendAudit(ctx.db, SYSTEM, { meetingId: demo.meetingId, action: "bench.filler", details: { i, note: "an event of a busy meeting" } });
    })();
    events = target;
  }
  let result = verifyDocument(ctx, docId);
  const runs = 3;
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, time(() => (result = verifyDocument(ctx, docId))));
  const walk = time(() => verifyAuditChain(ctx.db));
  console.log(
    `${events} audit events: verification ${best.toFixed(1)} ms (best of ${runs}; only new events walked), ` +
      `full chain walk ${walk.toFixed(0)} ms (after a restart or a write by another connection); ok=${result.ok}, ${result.signatures.length} signatures`,
  );
}

ctx.rooms.closeAll();
ctx.db.close();
rmSync(dataDir, { recursive: true, force: true });

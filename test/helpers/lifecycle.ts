import { expect } from "vitest";
import { newId, type Block } from "../../schema/index.js";
import { SYSTEM } from "../../server/audit/audit.js";
import { runCommand } from "../../server/commands/command.js";
import { createDocument } from "../../server/documents/documents.js";
import type { ApiClient } from "./api.js";
import type { TestServer } from "./server.js";

/** A small declaration under negotiation, owned by the ad hoc group: clean by construction (no brackets, no amendments). */
export function createTestDeclaration(server: TestServer, title = "Test declaration"): { id: string; blocks: Block[] } {
  const blocks: Block[] = [
    { id: newId("p"), type: "title", kind: "title", level: 0, runs: [{ text: title }] },
    { id: newId("p"), type: "paragraph", kind: "pp", level: 0, runs: [{ text: "RECOGNIZING that trafficking in persons is a grave crime;" }] },
    { id: newId("p"), type: "paragraph", kind: "op", level: 0, runs: [{ text: "To urge member states to ratify the Palermo Protocol;" }] },
    { id: newId("p"), type: "paragraph", kind: "op", level: 0, runs: [{ text: "To strengthen cooperation among national authorities." }] },
  ];
  const id = runCommand(server.ctx, (tx) =>
    createDocument(tx, SYSTEM, {
      meetingId: server.demo.meetingId,
      bodyId: server.demo.bodies.adhoc!,
      kind: "declaration",
      title,
      symbol: `RTP-II/doc.${Math.floor(Math.random() * 1e6)}/09`,
      blocks,
      state: "negotiation",
    }),
  );
  return { id, blocks };
}

const missingRoute = (res: { status: number; body: unknown }) =>
  res.status === 404 && typeof (res.body as { error?: unknown })?.error === "string" && (res.body as { error: string }).error.startsWith("no route");

/**
 * Makes a document clean through the contract's routes, as people would: every holder
 * lifts its hold and the chair resolves every open bracket (choosing the first option of
 * a group), the chair rejects every tabled amendment, and sets every PP and OP yellow.
 * Steps whose routes are not installed are skipped (no such feature, nothing to clean).
 */
export async function makeClean(server: TestServer, docId: string, chair: ApiClient): Promise<void> {
  const register = await chair.get(`/api/documents/${docId}/brackets`);
  if (!missingRoute(register)) {
    expect(register.status).toBe(200);
    const open = (register.body.brackets as Array<{ id: string; group: string | null; holders: string[]; state: string }>).filter((b) => b.state === "open");
    const delegates = new Map<string, ApiClient>();
    for (const b of open) {
      for (const holder of b.holders) {
        const code = holder.toLowerCase();
        if (!delegates.has(code)) delegates.set(code, await server.login(`${code}.delegate`));
        const lifted = await delegates.get(code)!.delete(`/api/brackets/${b.id}/holders`);
        expect(lifted.status, JSON.stringify(lifted.body)).toBeLessThan(300);
      }
    }
    const decidedGroups = new Set<string>();
    for (const b of open) {
      const options = b.group ? open.filter((o) => o.group === b.group) : [b];
      if (b.group && decidedGroups.has(b.group)) continue;
      if (b.group) decidedGroups.add(b.group);
      const action = options.length > 1 ? "choose" : "keep";
      const resolved = await chair.post(`/api/brackets/${b.id}/resolution`, { action, reason: "agreed in the group" });
      expect(resolved.status, JSON.stringify(resolved.body)).toBeLessThan(300);
    }
  }
  const amendments = await chair.get(`/api/documents/${docId}/amendments?state=tabled`);
  if (!missingRoute(amendments)) {
    expect(amendments.status).toBe(200);
    for (const a of amendments.body as Array<{ id: string; state: string }>) {
      if (a.state !== "tabled") continue;
      const decided = await chair.post(`/api/amendments/${a.id}/decision`, { decision: "rejected", reason: "no consensus" });
      expect(decided.status, JSON.stringify(decided.body)).toBeLessThan(300);
    }
  }
  const content = await chair.get(`/api/documents/${docId}/content`);
  for (const p of content.body.canonical.paragraphs as Array<{ id: string; kind: string }>) {
    if (p.kind !== "pp" && p.kind !== "op") continue;
    const set = await chair.put(`/api/documents/${docId}/paragraphs/${p.id}/status`, { status: "yellow" });
    if (missingRoute(set)) break;
    expect(set.status, JSON.stringify(set.body)).toBeLessThan(300);
  }
  await makeTranslationsCurrent(server, docId);
}

/**
 * Marks every paragraph of every language version of the document translated, as the
 * secretariat: what the translators do before adoption. Paragraphs left empty stay
 * missing (and block adoption).
 */
export async function makeTranslationsCurrent(server: TestServer, docId: string): Promise<void> {
  const secretariat = await server.login("secretariat");
  const languages = await secretariat.get(`/api/documents/${docId}/languages`);
  if (missingRoute(languages)) return;
  expect(languages.status).toBe(200);
  for (const version of (languages.body as Array<{ documentId: string; original: boolean }>).filter((l) => !l.original)) {
    const statuses = await secretariat.get(`/api/documents/${version.documentId}/translation-status`);
    for (const p of statuses.body as Array<{ paragraphId: string; status: string }>) {
      if (p.status === "current") continue;
      const done = await secretariat.post(`/api/documents/${version.documentId}/paragraphs/${p.paragraphId}/translated`);
      // An empty paragraph cannot be marked: it stays missing.
      if (p.status === "missing" && done.status === 409) continue;
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }
  }
}

/** Takes a clean document under negotiation to `adopted`: chair agrees ad ref, rapporteur refers, plenary chair adopts. */
export async function adopt(server: TestServer, docId: string, chair: ApiClient): Promise<void> {
  const rapporteur = await server.login("rapporteur");
  const steps: Array<[ApiClient, string]> = [
    [chair, "agreed_ad_ref"],
    [rapporteur, "referred"],
    [chair, "adopted"],
  ];
  for (const [who, to] of steps) {
    const res = await who.post(`/api/documents/${docId}/transitions`, { to });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.state).toBe(to);
  }
}

/** Signs in several demo accounts at once, one client per name, in order. */
export async function logins<T extends readonly string[]>(server: TestServer, names: T): Promise<{ [K in keyof T]: ApiClient }> {
  return (await Promise.all(names.map((n) => server.login(n)))) as { [K in keyof T]: ApiClient };
}

/**
 * What the in-process benches build alike: a fresh data folder with the demo meeting, and
 * a long declaration (a title, 40 preambular paragraphs, then operative ones with a
 * sub-paragraph every fifth) created through the same command the demo uses.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { newId, type Block } from "../schema/index.js";
import { createContext } from "../server/app.js";
import { loadConfig } from "../server/config.js";
import type { AppContext } from "../server/context.js";
import { runCommand } from "../server/commands/command.js";
import { SYSTEM } from "../server/audit/audit.js";
import { createDocument } from "../server/documents/documents.js";
import { seedDemo, type DemoMeeting } from "../server/seed/demo.js";

/** A seeded meeting in a temporary folder; `close` flushes and deletes it. */
export interface BenchMeeting {
  ctx: AppContext;
  demo: DemoMeeting;
  close(): void;
}

/** Seeds the demo meeting into a fresh temporary data folder named after the bench. */
export async function benchMeeting(name: string): Promise<BenchMeeting> {
  const dataDir = mkdtempSync(join(tmpdir(), `accord-bench-${name}-`));
  const config = loadConfig({ ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent", ACCORD_SYNC: "normal" });
  const ctx = createContext(config);
  const demo = await seedDemo(ctx, config.demoPassword);
  return {
    ctx,
    demo,
    close() {
      ctx.rooms.closeAll();
      ctx.db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a declaration of `paragraphs` paragraphs under negotiation, texts from `text`. */
export function longDeclaration(
  bench: BenchMeeting,
  input: { title: string; symbol: string; paragraphs: number; text: (index: number) => string },
): { documentId: string; blocks: Block[] } {
  const blocks: Block[] = [
    { id: newId("p"), type: "title", kind: "title", level: 0, runs: [{ text: input.title }] },
    ...Array.from({ length: input.paragraphs }, (_, i): Block => ({
      id: newId("p"),
      type: "paragraph",
      kind: i < 40 ? "pp" : "op",
      level: i >= 40 && i % 5 === 4 ? 1 : 0,
      runs: [{ text: input.text(i) }],
    })),
  ];
  const documentId = runCommand(bench.ctx, (tx) =>
    createDocument(tx, SYSTEM, {
      meetingId: bench.demo.meetingId,
      bodyId: bench.demo.bodies.adhoc!,
      kind: "declaration",
      title: input.title,
      symbol: input.symbol,
      blocks,
      state: "negotiation",
    }),
  );
  return { documentId, blocks };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { runCommand } from "../server/commands/command.js";
import { documentContent } from "../server/documents/documents.js";
import { documentParagraph, documentText } from "../server/documents/paragraphs.js";
import { bracketRegister } from "../server/brackets/register.js";
import { openBracket } from "../server/brackets/open.js";
import { joinBracketHold } from "../server/brackets/holds.js";
import { blockElement } from "../server/brackets/spans.js";
import type { Connection } from "../server/collab/connection.js";
import { createTestDeclaration } from "./helpers/lifecycle.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

const user = (name: string) => server.demo.users[name]!;

function type(documentId: string, paragraphId: string, text: string): void {
  runCommand(server.ctx, (tx) => tx.changeText(documentId, null, (fragment) => (blockElement(fragment, paragraphId)!.get(0) as Y.XmlText).insert(0, text)));
}

describe("the paragraph read-model", () => {
  it("reads blocks with id, kind, number, ref, NFC text and marks", () => {
    const { id, blocks } = createTestDeclaration(server);
    const text = documentText(server.ctx, id);
    expect(text.paragraphs.map((p) => [p.id, p.kind, p.number, p.ref, p.text, p.index])).toEqual([
      [blocks[0]!.id, "title", null, null, "Test declaration", 0],
      [blocks[1]!.id, "pp", null, "PP1", blocks[1]!.runs[0]!.text, 1],
      [blocks[2]!.id, "op", "1", "OP1", blocks[2]!.runs[0]!.text, 2],
      [blocks[3]!.id, "op", "2", "OP2", blocks[3]!.runs[0]!.text, 3],
    ]);
    expect(text.paragraphs[2]!.block.runs).toEqual(blocks[2]!.runs);
    expect(documentParagraph(server.ctx, id, blocks[3]!.id)?.ref).toBe("OP2");
    expect(documentContent(server.ctx, id).hash).toBe(text.hash);
  });

  it("a stored document is read once per text version", () => {
    const { id, blocks } = createTestDeclaration(server);
    expect(server.ctx.rooms.get(id)).toBeUndefined();
    const first = documentText(server.ctx, id);
    expect(documentText(server.ctx, id)).toBe(first);
    expect(documentContent(server.ctx, id).canonical).toBe(first.canonical);
    // A change through the room, stored, then the room freed: a new version from the store.
    type(id, blocks[2]!.id, "Also ");
    const room = server.ctx.rooms.get(id);
    if (room) server.ctx.rooms.releaseIfIdle(room);
    const second = documentText(server.ctx, id);
    expect(second).not.toBe(first);
    expect(second.byId.get(blocks[2]!.id)!.text).toBe(`Also ${blocks[2]!.runs[0]!.text}`);
    expect(second.hash).not.toBe(first.hash);
    expect(documentText(server.ctx, id)).toBe(second);
  });

  it("a live document is read once per text version, and the register once per version of text and records", () => {
    const { id, blocks } = createTestDeclaration(server);
    const room = server.ctx.rooms.open(id);
    // A stand-in for one connected client, keeping the room open (every method a no-op).
    const keep = new Proxy({ wantsEvents: false, user: user("chair") }, {
      get: (target, key) => (key in target ? target[key as keyof typeof target] : () => undefined),
    }) as unknown as Connection;
    room.conns.add(keep);
    try {
      const before = documentText(server.ctx, id);
      expect(documentText(server.ctx, id)).toBe(before);
      type(id, blocks[1]!.id, "Further ");
      const after = documentText(server.ctx, id);
      expect(after).not.toBe(before);
      expect(after.byId.get(blocks[1]!.id)!.text.startsWith("Further ")).toBe(true);
      // Untouched blocks keep their reading.
      expect(after.byId.get(blocks[3]!.id)!.block).toBe(before.byId.get(blocks[3]!.id)!.block);

      const opened = runCommand(server.ctx, (tx) => openBracket(tx, user("arg.delegate"), id, { paragraphId: blocks[2]!.id, from: 3, to: 7 }));
      const register = bracketRegister(server.ctx, id);
      expect(register.counts.open).toBe(1);
      expect(bracketRegister(server.ctx, id)).toBe(register);
      // A hold joined changes the records, not the text: built again.
      runCommand(server.ctx, (tx) => joinBracketHold(tx, user("can.delegate"), opened.id));
      const joined = bracketRegister(server.ctx, id);
      expect(joined).not.toBe(register);
      expect(joined.brackets[0]!.holders).toEqual(["ARG", "CAN"]);
      expect(bracketRegister(server.ctx, id)).toBe(joined);
      // Typing in the paragraph moves the span: built again, with the new offsets.
      type(id, blocks[2]!.id, "So ");
      const typed = bracketRegister(server.ctx, id);
      expect(typed.brackets[0]).toMatchObject({ from: 6, to: 10 });
    } finally {
      room.conns.delete(keep);
      server.ctx.rooms.releaseIfIdle(room);
    }
  });
});

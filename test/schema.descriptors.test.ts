import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from "y-prosemirror";
import {
  blocksFromPMJSON,
  blocksOfDoc,
  canonicalize,
  documentSchema,
  docToPMJSON,
  insertBlocks,
  MARKS,
  NODES,
  PLAIN_MARKS,
  textFragment,
  type Block,
  type Run,
} from "../schema/index.js";
import { blockProblem, staticProblem } from "../server/collab/validate.js";

/**
 * Every descriptor, whatever it is, must hold through every layer: this suite is what a
 * new block kind or plain mark (docs/model.md) is proved by, without a test of its own.
 */

/** One block of every kind of every node descriptor, each run carrying every plain mark once. */
function everyKind(): Block[] {
  const formatted: Run[] = [{ text: "plain " }, ...PLAIN_MARKS.map((m) => ({ text: `${m.name} `, [m.name]: true }) as Run)];
  const blocks: Block[] = [];
  for (const node of NODES) {
    for (const kind of node.kinds) {
      const id = `${node.name}-${kind}`;
      const level = node.read(node.write({ id, kind, level: 1 })).level;
      blocks.push({ id, type: node.name, kind, level, runs: formatted });
    }
  }
  // The "first" block (the title) opens the document.
  return blocks.sort((a, b) => Number(NODES.find((n) => n.name === b.type)!.placement === "first") - Number(NODES.find((n) => n.name === a.type)!.placement === "first"));
}

describe("node and mark descriptors", () => {
  it("the schema has exactly the described nodes and marks", () => {
    expect(Object.keys(documentSchema.nodes).filter((n) => n !== "doc" && n !== "text")).toEqual(NODES.map((n) => n.name));
    expect(Object.keys(documentSchema.marks)).toEqual(MARKS.map((m) => m.name));
  });

  it("every kind reads back from the Yjs encoding, passes validation and reaches the canonical form", () => {
    const blocks = everyKind();
    const doc = new Y.Doc();
    doc.transact(() => insertBlocks(textFragment(doc), 0, blocks));
    expect(blocksOfDoc(doc)).toEqual(blocks);
    expect(staticProblem(Y.encodeStateAsUpdate(doc))).toBeNull();
    for (const element of textFragment(doc).toArray()) expect(blockProblem("d", element as Y.XmlElement, {})).toBeNull();
    const canonical = canonicalize(blocksOfDoc(doc));
    expect(canonical.paragraphs.map((p) => [p.id, p.kind, p.level])).toEqual(blocks.map((b) => [b.id, b.kind, b.level]));
  });

  it("the editor's ProseMirror document and the server's Yjs encoding are the same", () => {
    const blocks = everyKind();
    const json = docToPMJSON(blocks);
    documentSchema.nodeFromJSON(json).check();
    // What y-prosemirror writes for the editor's document is what the server writes.
    const fromEditor = prosemirrorJSONToYDoc(documentSchema, json);
    expect(blocksOfDoc(fromEditor)).toEqual(blocks);
    const server = new Y.Doc();
    server.transact(() => insertBlocks(textFragment(server), 0, blocks));
    expect(textFragment(server).toJSON()).toBe(textFragment(fromEditor).toJSON());
    expect(yXmlFragmentToProseMirrorRootNode(textFragment(server), documentSchema).toJSON()).toEqual(json);
  });

  it("amendment content accepts every body kind and refuses the opening block", () => {
    const json = docToPMJSON(everyKind()).content!;
    const body = json.filter((n) => NODES.find((d) => d.name === n.type)!.placement === "body");
    const read = blocksFromPMJSON(body);
    expect(read.ok).toBe(true);
    if (read.ok) expect(docToPMJSON(read.blocks).content).toEqual(body);
    const first = json.filter((n) => NODES.find((d) => d.name === n.type)!.placement === "first");
    expect(blocksFromPMJSON(first).ok).toBe(false);
  });

  it("every attribute rule refuses a value of the wrong sort", () => {
    for (const node of NODES) for (const rule of Object.values(node.attributes)) expect(rule.valid({ bogus: true })).toBe(false);
    for (const mark of MARKS) expect(mark.valid({ bogus: "<script>" })).toBe(false);
  });
});

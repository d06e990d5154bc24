import * as Y from "yjs";
import { loadConfig } from "../../server/config.js";
import { createContext } from "../../server/app.js";
import { seedDemo } from "../../server/seed/demo.js";
import { textFragment } from "../../schema/yfragment.js";
import { newId } from "../../schema/ids.js";

/** What the bench prepared in an Accord data folder. */
export interface AccordData {
  /** Copies of the demo declaration, where the editors type: a fresh one for each run. */
  declarations: string[];
  /** A document of about 1 MB (300 paragraphs of 3,400 characters) for the late joiner. */
  large: string;
  /** A 300-paragraph document whose log holds `coldUpdates` keystrokes after its snapshot. */
  cold: string;
  coldUpdates: number;
  /** The 35 delegates' usernames, and the observer's. */
  delegates: string[];
  observer: string;
  password: string;
  /** The declaration's and the large document's initial states (base64), for the peers. */
  seeds: { declaration: string; large: string };
}

function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement("paragraph");
  element.setAttribute("id", newId("p"));
  element.setAttribute("kind", "op");
  element.setAttribute("level", 0 as unknown as string);
  const yText = new Y.XmlText();
  yText.insert(0, text);
  element.insert(0, [yText]);
  return element;
}

/**
 * Seeds the demo meeting into `dataDir` (as `npm start` would on first run; into the
 * PostgreSQL database `env.ACCORD_DATABASE_URL` names, when given), then, through
 * the server's own store, turns two working-group reports into the late joiner's 1 MB
 * document and the cold-open document with a long log. Runs in the bench's process
 * before the server is spawned on the same folder.
 */
export async function prepareAccordData(
  dataDir: string,
  coldUpdates: number,
  copies: number,
  env: Record<string, string> = {},
): Promise<AccordData> {
  const config = loadConfig({ ACCORD_DATA_DIR: dataDir, ACCORD_LOG: "silent", ACCORD_SYNC: "normal", ...env });
  const ctx = createContext(config);
  const demo = await seedDemo(ctx, config.demoPassword);
  const { wg1: large, wg2: cold } = demo.documents as Record<string, string>;

  const big = ctx.texts.load(large!);
  const filler = "The Parties reaffirm their commitment to cooperation in preventing and combating trafficking in persons. ";
  const text = filler.repeat(Math.ceil(3400 / filler.length)).slice(0, 3400);
  big.doc.transact(() => {
    const fragment = textFragment(big.doc);
    fragment.insert(fragment.length, Array.from({ length: 300 }, () => paragraph(text)));
  });
  ctx.texts.compact(large!, big.doc, big.nextSeq - 1);

  const base = ctx.texts.load(cold!);
  base.doc.transact(() => {
    const fragment = textFragment(base.doc);
    fragment.insert(fragment.length, Array.from({ length: 300 }, (_, i) => paragraph(`Operative paragraph ${i + 1} of the cold document. `)));
  });
  ctx.texts.compact(cold!, base.doc, base.nextSeq - 1);
  // Then the log, as people type: 8 delegates each type runs of 25 characters, one logged
  // update per keystroke, then move to another place in another paragraph.
  const updates: Uint8Array[] = [];
  const editors = Array.from({ length: 8 }, () => {
    const d = new Y.Doc();
    Y.applyUpdate(d, Y.encodeStateAsUpdate(base.doc));
    d.on("update", (u: Uint8Array) => updates.push(u));
    return { d, text: null as Y.XmlText | null, at: 0 };
  });
  for (let i = 0; i < coldUpdates; i++) {
    const e = editors[i % editors.length]!;
    const k = Math.floor(i / editors.length);
    if (k % 25 === 0 || e.text === null) {
      const block = textFragment(e.d).get(1 + ((k * 7919 + i) % 300)) as Y.XmlElement;
      e.text = block.get(0) as Y.XmlText;
      e.at = (k * 31) % (e.text.length + 1);
    }
    e.text.insert(e.at, String.fromCharCode(97 + (k % 26)));
    e.at += 1;
  }
  let seq = base.nextSeq;
  ctx.texts.append(updates.map((update) => ({ documentId: cold!, seq: seq++, update, userId: null })));

  const stateOf = (id: string) => Buffer.from(Y.encodeStateAsUpdate(ctx.texts.load(id).doc)).toString("base64");
  const seeds = { declaration: stateOf(demo.documents.declaration!), large: stateOf(large!) };
  // Each run gets a declaration nobody has typed in yet, as the peers get a fresh document:
  // a Yjs document pays per client it has ever seen, and runs would otherwise pile them up.
  const declarations = Array.from({ length: copies }, (_, i) => {
    const id = newId("d");
    ctx.db
      .prepare(
        `INSERT INTO documents (id, meeting_id, body_id, kind, title, symbol, state, created_at, updated_at)
         SELECT ?, meeting_id, body_id, kind, title, symbol || ?, state, created_at, updated_at FROM documents WHERE id = ?`,
      )
      .run(id, `/bench-${i}`, demo.documents.declaration);
    ctx.texts.create(id, ctx.texts.load(demo.documents.declaration!).doc);
    return id;
  });
  const delegates = demo.accounts.filter((a) => a.role === "delegate").map((a) => a.username);
  ctx.db.close();
  return { declarations, large: large!, cold: cold!, coldUpdates, delegates, observer: "observer", password: config.demoPassword, seeds };
}

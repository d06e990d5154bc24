/**
 * Every error answer carries a stable machine `code` beside its English sentence (and the
 * values the sentence names in `params`), so that a client can say it in the person's
 * language; the sentences themselves are unchanged. docs/API.md, "Error codes".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import { WebsocketProvider } from "y-websocket";
import { textFragment } from "../schema/index.js";
import { ACTION_PHRASES, REFUSAL_SENTENCES, refusalOf } from "../server/http/refusals.js";
import { summaryParts } from "../server/lifecycle/blockers.js";
import { startTestServer, type TestServer } from "./helpers/server.js";
import { request } from "./helpers/api.js";
import { cookieWebSocket, eventually } from "./helpers/collab.js";
import { createTestDeclaration } from "./helpers/lifecycle.js";
import en from "../editor/i18n/en.json" with { type: "json" };
import es from "../editor/i18n/es.json" with { type: "json" };

const SERVER = join(import.meta.dirname, "..", "server");

/** Every .ts file of the server. */
function serverSources(dir = SERVER): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? serverSources(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** The JavaScript string or template literal opening at `at` (a quote), with each `${…}` kept as written, and where it ends. */
function literalAt(source: string, at: number): { text: string; end: number } {
  const quote = source[at]!;
  let text = "";
  let i = at + 1;
  while (i < source.length && source[i] !== quote) {
    if (source[i] === "\\") {
      text += source[i + 1];
      i += 2;
    } else if (quote === "`" && source.startsWith("${", i)) {
      let depth = 1;
      let j = i + 2;
      while (depth > 0) {
        if (source[j] === "{") depth += 1;
        else if (source[j] === "}") depth -= 1;
        else if (source[j] === '"' || source[j] === "`") j = literalAt(source, j).end;
        j += 1;
      }
      text += source.slice(i, j);
      i = j;
    } else text += source[i++];
  }
  return { text, end: i };
}

/**
 * The values an interpolation of a refusal may take where the sentence's code depends on
 * them (a word chosen in the code, a noun from a table); anything else is a value the
 * sentence names and stands as "x".
 */
const CHOSEN_WORDS: Record<string, string[]> = {
  "t.noun": ["holds", "supports"],
  "TABLES[other].noun": ["holds", "supports"],
  "t.verb": ["hold", "support"],
  verb: ["pull", "decline"],
  // What a capped list of reasons counts (server/commands/guards.ts), as its callers name it.
  what: [...new Set(serverSources().flatMap((file) => [...readFileSync(file, "utf8").matchAll(/\bcapped\([^;]*?, "([a-z ]+)"\)/g)].map((m) => m[1]!)))],
};

/** Every sentence a template may produce, with "x" for each value it names. */
function samples(template: string): string[] {
  const at = template.indexOf("${");
  if (at < 0) return [template];
  let depth = 0;
  let close = at + 2;
  for (; close < template.length; close++) {
    if (template[close] === "{") depth += 1;
    else if (template[close] === "}" && depth-- === 0) break;
  }
  const expression = template.slice(at + 2, close).trim();
  const choice = /^[\w.!= ]+ \? "([^"]*)" : "([^"]*)"$/.exec(expression);
  const values = CHOSEN_WORDS[expression] ?? (choice ? [choice[1]!, choice[2]!] : ["x"]);
  // The same expression twice says the same word twice.
  return values.flatMap((value) => samples(template.split(`\${${template.slice(at + 2, close)}}`).join(value)));
}

/** The sentences written in the server's source as the first words of an HttpError (through its helpers), with where each is. */
function refusalSentences(): Array<{ where: string; sentence: string }> {
  const found: Array<{ where: string; sentence: string }> = [];
  const call = /\b(badRequest|conflict|forbidden|notFound|tooLarge|unavailable|new HttpError)\(\s*/g;
  for (const file of serverSources()) {
    if (file.endsWith(join("http", "errors.ts"))) continue;
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(call)) {
      let at = match.index + match[0].length;
      if (match[1] === "new HttpError") {
        at = source.indexOf(",", at) + 1;
        while (/\s/.test(source[at]!)) at += 1;
      }
      // A sentence built elsewhere (a denial, a list of problems) is checked where it is written, or at run time below.
      if (!['"', "`"].includes(source[at]!)) continue;
      const { text, end } = literalAt(source, at);
      // An error given its code where it is thrown needs no sentence here.
      const rest = source.slice(end + 1, source.indexOf(";", end));
      if (/^\s*\)?,\s*(undefined|\[[^\]]*\]|[\w.]+),\s*"[a-z_]+\.[a-z_.]+"/.test(rest) || /^[^;]*\),\s*"[a-z_]+\.[a-z_.]+"/.test(rest)) continue;
      const concatenated = /^\s*\+\s*(\w+)/.exec(rest)?.[1];
      const template = concatenated ? `${text}\${${concatenated}}` : text;
      const where = `${file.slice(SERVER.length + 1)}:${source.slice(0, match.index).split("\n").length}`;
      const sentence = match[1] === "notFound" ? `${template} not found` : template;
      // A plain noun's 404 has its code from the noun (errors.ts).
      if (match[1] === "notFound" && /^[a-z]+( [a-z]+)?$/.test(template)) continue;
      for (const sample of samples(sentence)) found.push({ where, sentence: sample });
    }
  }
  return found;
}

/**
 * The reasons written in the server's source beside the sentence of an HttpError (its
 * second argument: a list of reasons, or a list made by a function of each), with where
 * each is: every string or template literal there that is no code.
 */
function reasonSentences(): Array<{ where: string; sentence: string }> {
  const found: Array<{ where: string; sentence: string }> = [];
  const call = /\b(badRequest|conflict|forbidden|notFound|tooLarge|unavailable|new HttpError)\(/g;
  for (const file of serverSources()) {
    if (file.endsWith(join("http", "errors.ts"))) continue;
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(call)) {
      // The call's arguments, and where its first (or, for new HttpError, its second) ends.
      let depth = 1;
      let i = match.index + match[0].length;
      const commas: number[] = [];
      for (; i < source.length && depth > 0; i++) {
        const c = source[i]!;
        if (c === '"' || c === "`") i = literalAt(source, i).end;
        else if ("([{".includes(c)) depth += 1;
        else if (")]}".includes(c)) depth -= 1;
        else if (c === "," && depth === 1) commas.push(i);
      }
      const from = commas[match[1] === "new HttpError" ? 1 : 0];
      if (from === undefined) continue;
      const args = source.slice(from, i - 1);
      const where = `${file.slice(SERVER.length + 1)}:${source.slice(0, match.index).split("\n").length}`;
      for (let at = 0; at < args.length; at++) {
        if (!['"', "`"].includes(args[at]!)) continue;
        const { text, end } = literalAt(args, at);
        at = end;
        if (/^[a-z_]+\.[a-z_.]+$/.test(text) || !/[ :]/.test(text)) continue;
        for (const sentence of samples(text)) found.push({ where, sentence });
      }
    }
  }
  return found;
}

/** Every code the server names literally: given where an error is thrown, a read-only reason's, a 404's noun (not an action's: see blockedActions). */
function literalCodes(): string[] {
  const codes = new Set<string>(REFUSAL_SENTENCES.map(([code]) => code));
  for (const file of [...serverSources(), join(SERVER, "..", "schema", "roles.ts")]) {
    const source = actionCalls(readFileSync(file, "utf8")).reduce((text, { call }) => text.replace(call, ""), readFileSync(file, "utf8"));
    for (const m of source.matchAll(/\bcoded\([\s\S]*?,\s*"([a-z_]+\.[a-z_.]+)"/g)) codes.add(m[1]!);
    for (const m of source.matchAll(/new HttpError\([^;]*?"([a-z_]+\.[a-z_]+)"(?:,|\))/g)) codes.add(m[1]!);
    for (const m of source.matchAll(/\bcode: "([a-z_]+\.[a-z_.]+)"/g)) codes.add(m[1]!);
    for (const m of source.matchAll(/\bnotFound\("([a-z]+(?: [a-z]+)?)"\)/g)) codes.add(`${m[1]!.replace(" ", "_")}.not_found`);
  }
  return [...codes].sort();
}

/**
 * Where the reasons guards give are written (server/commands/guards.ts: what keeps a
 * document clean, a paragraph agreed, its text from changing, a document adopted): each
 * file with the functions that write them. A file that registers a guard and is not listed
 * fails the test, so a new guard's sentences are checked too.
 */
const GUARD_SOURCES: Record<string, string[]> = {
  "amendments/feature.ts": [],
  "amendments/guards.ts": ["sentence"],
  "brackets/feature.ts": [],
  "brackets/register.ts": ["openBracketReasons"],
  "brackets/typed.ts": ["typedBracketReasons"],
  "commands/guards.ts": ["capped"],
  "consolidation/guards.ts": ["pendingSentence"],
  "languages/feature.ts": ["hooks"],
  "languages/status.ts": ["languageAdoptionBlockers"],
  "status/feature.ts": [],
  "status/lock.ts": ["agreedTextLock"],
  "status/status.ts": ["whiteParagraphReasons"],
};

/**
 * Where the problems a verification finds are written (a signature's, a version's, the
 * adopted text's): each file with the functions that write them.
 */
const VERIFICATION_SOURCES: Record<string, string[]> = {
  "lifecycle/verification.ts": ["keyProblem", "versionProblems", "verifyDocument"],
};

/** Where the reasons an update over the websocket is refused with are written (the text's own rules; features' rules are guards). */
const UPDATE_SOURCES: Record<string, string[]> = {
  "collab/validate.ts": ["staticProblemOf", "blockProblem", "documentProblem"],
  "../schema/rules.ts": ["attributeProblem"],
};

/** The body of the function (or method) `name` in `source`, from its first line-ending brace to its match. */
function functionBody(source: string, name: string): string {
  const at = new RegExp(`(function ${name}\\(|^\\s+${name}\\()`, "m").exec(source)?.index;
  if (at === undefined) throw new Error(`no function ${name}`);
  const open = source.indexOf("{\n", at);
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === "{") depth += 1;
    else if (source[i] === "}" && --depth === 0) return source.slice(open, i + 1);
  }
  return source.slice(open);
}

/** Every sentence the functions of `sources` write (their string and template literals with a space), with where each is. */
function guardSentences(sources: Record<string, string[]> = GUARD_SOURCES): Array<{ where: string; sentence: string }> {
  const found: Array<{ where: string; sentence: string }> = [];
  for (const [name, functions] of Object.entries(sources)) {
    const file = readFileSync(join(SERVER, name), "utf8");
    for (const fn of functions) {
      // Comments hold apostrophes that would open a literal.
      const body = functionBody(file, fn).replace(/\/\/.*$/gm, "");
      for (let at = 0; at < body.length; at++) {
        if (!['"', "`"].includes(body[at]!)) continue;
        const { text, end } = literalAt(body, at);
        // A key a result is remembered by is no sentence.
        const memoKey = body.slice(0, at).endsWith("memo(ctx, ");
        at = end;
        if (memoKey || !text.includes(" ") || /^(SELECT|INSERT|UPDATE|DELETE)\b/.test(text)) continue;
        for (const sentence of samples(text)) found.push({ where: `${name} ${fn}`, sentence });
      }
    }
  }
  return found;
}

/** Each call in `source` that blocks an action (`blockedBy`, `requireUnlocked`, `requireOwnStructure`): where it starts, and its text. */
function actionCalls(source: string): Array<{ at: number; call: string }> {
  const calls: Array<{ at: number; call: string }> = [];
  for (const match of source.matchAll(/(?<!function )\b(blockedBy|requireUnlocked|requireOwnStructure)\(/g)) {
    let depth = 1;
    let end = match.index + match[0].length;
    for (; end < source.length && depth > 0; end++) {
      if (source[end] === "(") depth += 1;
      else if (source[end] === ")") depth -= 1;
    }
    calls.push({ at: match.index, call: source.slice(match.index, end) });
  }
  return calls;
}

/**
 * Every action the server's source blocks, with where it is: the code its call names, or
 * null for a call that names none (a phrase a client could not word).
 */
function blockedActions(): Array<{ where: string; code: string | null }> {
  const found: Array<{ where: string; code: string | null }> = [];
  for (const file of serverSources()) {
    const source = readFileSync(file, "utf8");
    for (const { at, call } of actionCalls(source)) {
      // Inside the guards, `doing` is the caller's action, passed on.
      if (/\(doing, reasons\)$/.test(call)) continue;
      const where = `${file.slice(SERVER.length + 1)}:${source.slice(0, at).split("\n").length}`;
      found.push({ where, code: /\bcode: "([a-z_]+\.[a-z_]+)"/.exec(call)?.[1] ?? null });
    }
  }
  return found;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("every refusal has a stable code", () => {
  it("every sentence the server writes into an error has a code of its own, not only its status's", () => {
    const sentences = refusalSentences();
    expect(sentences.length).toBeGreaterThan(150);
    expect(sentences.filter(({ sentence }) => refusalOf(sentence) === null).map(({ where, sentence }) => `${where}: ${sentence}`)).toEqual([]);
  });

  it("every reason the server writes beside an error's sentence (a field's, a list's) has a code of its own", () => {
    const reasons = reasonSentences();
    expect(reasons.length).toBeGreaterThan(30);
    expect(reasons.filter(({ sentence }) => refusalOf(sentence) === null).map(({ where, sentence }) => `${where}: ${sentence}`)).toEqual([]);
    // A field's own sentence wins over the general ones.
    expect(refusalOf("content: required")).toEqual({ code: "validation.required", params: { field: "content" } });
    expect(refusalOf("content: paragraph id p1 is used twice")).toEqual({ code: "validation.paragraph_id_twice", params: { id: "p1" } });
    expect(refusalOf("content: a heading holds no brackets")).toEqual({ code: "validation.content_problem", params: { problem: "a heading holds no brackets" } });
    expect(refusalOf("ARG signed 9f86d0, not the adopted text")).toEqual({ code: "verification.signed_other_text", params: { delegation: "ARG", hash: "9f86d0" } });
    expect(refusalOf("from negotiation you may move it to: agreed_ad_ref, withdrawn")).toEqual({ code: "reason.may_move_to", params: { state: "negotiation", states: "agreed_ad_ref, withdrawn" } });
  });

  it("every code the server uses has an English and a Spanish message; each table sentence is the English message", () => {
    const has = (catalogue: Record<string, string>, code: string) => `error.${code}` in catalogue || `error.${code}_other` in catalogue;
    const codes = literalCodes();
    expect(codes.length).toBeGreaterThan(200);
    expect(codes.filter((code) => !has(en, code))).toEqual([]);
    expect(codes.filter((code) => !has(es, code))).toEqual([]);
    const english = en as Record<string, string>;
    const unlike = REFUSAL_SENTENCES.filter(([code, sentence]) => ![english[`error.${code}`], english[`error.${code}_one`], english[`error.${code}_other`]].includes(sentence));
    expect(unlike).toEqual([]);
  });

  it("every reason a guard gives has a code of its own, with an English and a Spanish message", () => {
    const registering = serverSources()
      .filter((file) => /\bguards\.add[A-Z]\w*\(/.test(readFileSync(file, "utf8")))
      .map((file) => file.slice(SERVER.length + 1).split("\\").join("/"));
    expect(registering.filter((file) => !(file in GUARD_SOURCES))).toEqual([]);
    const sentences = guardSentences();
    expect(sentences.length).toBeGreaterThan(15);
    expect(sentences.filter(({ sentence }) => refusalOf(sentence) === null).map(({ where, sentence }) => `${where}: ${sentence}`)).toEqual([]);
    const has = (catalogue: Record<string, string>, code: string) => `error.${code}` in catalogue || `error.${code}_other` in catalogue;
    const codes = [...new Set(sentences.map(({ sentence }) => refusalOf(sentence)?.code ?? ""))];
    expect(codes.filter((code) => !has(en, code) || !has(es, code))).toEqual([]);
    expect(refusalOf("OP3 is agreed in plenary by chair and locked; the chair must reopen it before its text can change")).toEqual({
      code: "status.locked_by",
      params: { paragraph: "OP3", status: "agreed in plenary", username: "chair" },
    });
    expect(refusalOf("es: PP2 is outdated")).toEqual({ code: "translation.outdated", params: { language: "es", paragraph: "PP2" } });
  });

  it("every action a guard blocks has a code in the table, with an English and a Spanish phrase", () => {
    const english = en as Record<string, string>;
    const spanish = es as Record<string, string>;
    const phrases = Object.entries(ACTION_PHRASES);
    expect(phrases.filter(([code, phrase]) => english[`action.${code}`] !== phrase).map(([code]) => code)).toEqual([]);
    expect(phrases.filter(([code]) => !spanish[`action.${code}`]).map(([code]) => code)).toEqual([]);
    const actions = blockedActions();
    expect(actions.length).toBeGreaterThan(12);
    expect(actions.filter(({ code }) => code === null || !(code in ACTION_PHRASES)).map(({ where, code }) => `${where}: ${code}`)).toEqual([]);
  });

  it("every part of the summary of a document not clean has a code, with an English and a Spanish message", () => {
    // Each kind the summary counts, as blockers.ts writes it, with and without what it names.
    const nouns = [...readFileSync(join(SERVER, "lifecycle", "blockers.ts"), "utf8").matchAll(/noun: \(n\) => `([^`]*)`/g)].flatMap((m) => samples(m[1]!.replace("${n}", "2")));
    expect(nouns.length).toBeGreaterThanOrEqual(3);
    const parts = nouns.flatMap((noun) => [noun, `${noun} (PP8, OP4(a))`]);
    expect(parts.filter((part) => refusalOf(part) === null)).toEqual([]);
    const has = (catalogue: Record<string, string>, code: string) => `error.${code}` in catalogue;
    expect(parts.map((part) => refusalOf(part)!.code).filter((code) => !has(en, code) || !has(es, code))).toEqual([]);
    expect(refusalOf("3 brackets open (PP8, OP4(a))")).toEqual({ code: "not_clean.brackets_open_in", params: { count: 3, paragraphs: "PP8, OP4(a)" } });
    expect(summaryParts(["amendment A1 tabled on OP5", "amendment A2 tabled on PP6", "OP9 is still white (not agreed)"]).map(refusalOf)).toEqual([
      { code: "not_clean.amendments_undecided_named", params: { count: 2, amendments: "A1, A2" } },
      { code: "status.still_white", params: { paragraph: "OP9" } },
    ]);
  });

  it.each([
    { what: "problem a verification finds", sources: VERIFICATION_SOURCES, least: 20, prefix: "verification." },
    { what: "reason the text's rules refuse an update with", sources: UPDATE_SOURCES, least: 10, prefix: "text." },
  ])("every $what has a code of its own, with an English and a Spanish message", ({ sources, least, prefix }) => {
    const sentences = guardSentences(sources);
    expect(sentences.length).toBeGreaterThan(least);
    expect(sentences.filter(({ sentence }) => refusalOf(sentence) === null).map(({ where, sentence }) => `${where}: ${sentence}`)).toEqual([]);
    const has = (catalogue: Record<string, string>, code: string) => `error.${code}` in catalogue;
    const codes = [...new Set(sentences.map(({ sentence }) => refusalOf(sentence)!.code))];
    expect(codes.filter((code) => !code.startsWith(prefix))).toEqual([]);
    expect(codes.filter((code) => !has(en, code) || !has(es, code))).toEqual([]);
  });

  it("a sentence's values come back as params, counts as numbers; a specific sentence wins over a general one", () => {
    expect(refusalOf("the document already has a fr version")).toEqual({ code: "language.version_exists", params: { language: "fr" } });
    expect(refusalOf("the document is written in en; it is its own en text")).toEqual({ code: "language.own_language", params: { language: "en" } });
    expect(refusalOf("the document is written in en; it is its own es text")).toBeNull();
    expect(refusalOf("the clean text exists once no bracket is open; 3 are open")).toEqual({ code: "bracket.clean_text_open", params: { count: 3 } });
    expect(refusalOf("the DOCX cannot be read: it has no document body")).toEqual({ code: "import.docx_unreadable" });
    expect(refusalOf("the DOCX cannot be read: bad zip")).toEqual({ code: "import.docx_damaged", params: { detail: "bad zip" } });
    expect(refusalOf("no sentence the server writes")).toBeNull();
  });
});

describe("error codes", () => {
  it("sign-in, sessions and malformed requests answer with their codes", async () => {
    const wrong = await request(server.url, "POST", "/api/session", { body: { username: "arg.delegate", password: "nope" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: "wrong username or password", code: "session.wrong_password" });
    expect((await request(server.url, "GET", "/api/session")).body.code).toBe("session.required");
    const invalid = await request(server.url, "POST", "/api/session", { body: { username: "x" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe("request.invalid");
    expect(invalid.body.reasons.join(" ")).toMatch(/password/);
    // Each validation reason has its code, naming the field.
    expect(invalid.body.reasonCodes).toEqual([{ code: "validation.required", params: { field: "password" } }]);
    const long = await request(server.url, "POST", "/api/session", { body: { username: "x".repeat(5000), password: "p" } });
    expect(long.status).toBe(400);
    expect(long.body.reasonCodes).toEqual([{ code: "validation.too_long", params: { field: "username", maximum: expect.any(Number) } }]);
    const res = await fetch(`${server.url}/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(await res.json()).toMatchObject({ error: "the request body is not valid JSON", code: "request.not_json" });
    const api = await server.login("arg.delegate");
    expect((await api.get("/api/no-such-route")).body).toMatchObject({ code: "route.not_found" });
  });

  it("a missing thing is <noun>.not_found; a refusal names its code and the values its sentence names", async () => {
    const chair = await server.login("chair");
    const missing = await chair.get("/api/documents/no-such-document");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: "document not found", code: "document.not_found" });

    const declaration = server.demo.documents.declaration!;
    const state = (await chair.get(`/api/documents/${declaration}`)).body.state as string;
    const same = await chair.post(`/api/documents/${declaration}/transitions`, { to: state });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ error: `the document is already ${state}`, code: "transition.already", params: { state } });

    const delegate = await server.login("arg.delegate");
    const forbidden = await delegate.post(`/api/documents/${declaration}/transitions`, { to: "agreed_ad_ref" });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: "transition.forbidden", params: { to: "agreed_ad_ref" } });
    expect(forbidden.body.error).toMatch(/^only .* may agree ad referendum this document$/);
  });

  it("the reason a text is read-only has a code too", async () => {
    const observer = await server.login("observer");
    const doc = (await observer.get(`/api/documents/${server.demo.documents.declaration}`)).body;
    expect(doc.access).toMatchObject({ canWrite: false, reason: "observers have read-only access", reasonCode: "text.observer" });
    const delegate = await server.login("arg.delegate");
    expect((await delegate.get(`/api/documents/${server.demo.documents.declaration}`)).body.access).toEqual({ canWrite: true, reason: null, chair: false });
  });
});

/** A stock client that also asks for Accord's events, collecting them. */
function eventClient(documentId: string, cookie: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, "ws")}/collab`, documentId, doc, {
    WebSocketPolyfill: cookieWebSocket(cookie) as never,
    params: { events: "1" },
    disableBc: true,
  });
  const events: Array<{ type: string; data: any }> = [];
  (provider as unknown as { messageHandlers: unknown[] }).messageHandlers[100] = (_e: unknown, decoder: decoding.Decoder) => {
    events.push(JSON.parse(decoding.readVarString(decoder)));
  };
  // The stock client only logs a refusal; the event carries it with its code.
  (provider as unknown as { messageHandlers: unknown[] }).messageHandlers[2] = (_e: unknown, decoder: decoding.Decoder) => {
    decoding.readVarUint(decoder);
    decoding.readVarString(decoder);
  };
  const synced = new Promise<void>((resolve) => provider.once("sync", (s: boolean) => s && resolve()));
  return { doc, provider, events, synced, destroy: () => (provider.destroy(), doc.destroy()) };
}

describe("codes of language versions and of the live text", () => {
  it("adding a language and marking a paragraph done are refused with their codes and the values they name", async () => {
    const secretariat = await server.login("secretariat");
    const original = createTestDeclaration(server, "Codes of languages");
    const version = await secretariat.post(`/api/documents/${original.id}/languages`, { language: "es" });
    expect(version.status).toBe(201);
    expect((await secretariat.post(`/api/documents/${original.id}/languages`, { language: "es" })).body).toMatchObject({
      error: "the document already has a es version",
      code: "language.version_exists",
      params: { language: "es" },
    });
    expect((await secretariat.post(`/api/documents/${original.id}/languages`, { language: "de" })).body).toMatchObject({ code: "language.not_in_meeting", params: { language: "de" } });
    const translator = await server.login("translator.es");
    const empty = await translator.post(`/api/documents/${version.body.id}/paragraphs/${original.blocks[1]!.id}/translated`);
    expect(empty.status).toBe(409);
    expect(empty.body).toMatchObject({ code: "translation.empty", params: { paragraph: expect.any(String) } });
    const chair = await server.login("chair");
    const governed = await chair.put(`/api/documents/${version.body.id}/paragraphs/${original.blocks[1]!.id}/status`, { status: "yellow" });
    expect(governed.body).toMatchObject({ code: "action.blocked", params: { doing: "paragraph statuses cannot be set here", reason: expect.stringMatching(/its original .* governs/) } });
    // What was blocked has its code too.
    expect(governed.body.doingCode).toEqual({ code: "status.set" });
    // The reason inside has its own code, beside the English reasons.
    expect(governed.body.reasons).toEqual([governed.body.params.reason]);
    expect(governed.body.reasonCodes).toEqual([{ code: "language.original_governs", params: { document: original.id } }]);
  });

  it("each reason a guard gives comes with its code: a refusal's reasonCodes, a transition's blockerCodes, a status batch's refusals", async () => {
    const chair = await server.login("chair");
    const declaration = server.demo.documents.declaration!;
    const offered = (await chair.get(`/api/documents/${declaration}/transitions`)).body.transitions as Array<{ to: string; blockers: string[]; blockerCodes?: unknown[] }>;
    const agree = offered.find((t) => t.to === "agreed_ad_ref")!;
    expect(agree.blockers.length).toBeGreaterThan(2);
    expect(agree.blockerCodes).toEqual(agree.blockers.map((reason) => refusalOf(reason)));
    expect(agree.blockerCodes!.filter((c) => c === null)).toEqual([]);
    const refused = await chair.post(`/api/documents/${declaration}/transitions`, { to: "agreed_ad_ref" });
    expect(refused.status).toBe(409);
    expect(refused.body.reasonCodes).toEqual(refused.body.reasons.map((reason: string) => refusalOf(reason)));
    expect(refused.body.reasonCodes.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(["status.still_white"]));
    // The summary the sentence gives, part by part, each with its code.
    expect(refused.body.code).toBe("document.not_clean");
    expect(refused.body.error).toBe(`the document is not clean: ${refused.body.summary.join("; ")}`);
    expect(refused.body.summaryCodes).toEqual(refused.body.summary.map((part: string) => refusalOf(part)));
    expect(refused.body.summaryCodes).not.toContain(null);
    const statuses = (await chair.get(`/api/documents/${declaration}/paragraph-statuses`)).body as Array<{ paragraphId: string }>;
    const batch = await chair.post(`/api/documents/${declaration}/paragraph-statuses`, { paragraphIds: statuses.map((s) => s.paragraphId), status: "yellow" });
    expect(batch.status).toBe(200);
    expect(batch.body.refused.length).toBeGreaterThan(0);
    for (const r of batch.body.refused) {
      expect(r.reasonCodes).toEqual(r.reasons.map((reason: string) => refusalOf(reason)));
      expect(r.reasonCodes).not.toContain(null);
    }
    const one = batch.body.refused[0] as { paragraphId: string; ref: string };
    const turned = await chair.put(`/api/documents/${declaration}/paragraphs/${one.paragraphId}/status`, { status: "green" });
    expect(turned.status).toBe(409);
    expect(turned.body.params.doing).toBe(`${one.ref} cannot turn green`);
    expect(turned.body.doingCode).toEqual({ code: "status.turn", params: { paragraph: one.ref, status: "green" } });
  });

  it("a refused update and a closed connection carry their codes in the events beside the sentence", async () => {
    const secretariat = await server.login("secretariat");
    const original = createTestDeclaration(server, "Codes over the websocket");
    const version = (await secretariat.post(`/api/documents/${original.id}/languages`, { language: "fr" })).body.id as string;
    const client = eventClient(version, secretariat.cookie);
    try {
      await client.synced;
      client.doc.transact(() => textFragment(client.doc).delete(1, 1));
      await eventually(() => client.events.some((e) => e.type === "update.refused"), 5000, "the refusal");
      expect(client.events.find((e) => e.type === "update.refused")!.data).toEqual({
        reason: "update refused: a language version follows its original's paragraphs; translators change only the text inside them",
        code: "language.structure_follows",
      });
    } finally {
      client.destroy();
    }
    const translator = await server.login("translator.es");
    const other = eventClient(version, translator.cookie);
    try {
      await other.synced;
      const access = other.events.find((e) => e.type === "access.changed")!.data;
      expect(access).toMatchObject({ canWrite: false, reasonCode: "language.other_language", reasonParams: { languages: "es", language: "fr" } });
    } finally {
      other.destroy();
    }
    const missing = eventClient("no-such-document", secretariat.cookie);
    try {
      await eventually(() => missing.events.some((e) => e.type === "connection.closing"), 5000, "the closing event");
      expect(missing.events.find((e) => e.type === "connection.closing")!.data).toEqual({ closeCode: 4404, reason: "document not found", code: "document.not_found" });
    } finally {
      missing.destroy();
    }
  });
});

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The editor reads the server's answers by the contract's types (schema/), never by a shape
 * it declares itself: every call of the API client with a type argument (`api.get<T>(…)`,
 * `post`, `put`, `patch`, `delete`, `upload`, `send`) names its answer with types imported
 * from schema/ (directly, or through an editor module that re-exports them from there) and
 * the language's own (`Array`, `Record`…). An object type written at the call, or a type
 * declared in editor/, is a copy that can drift from what the server sends.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const CLIENT_CALL = /\.(?:get|post|put|patch|delete|upload|send)</g;
/** The language's own generic and utility types, which say nothing about the server's shapes. */
const BUILT_IN = new Set(["Array", "ReadonlyArray", "Record", "Partial", "Required", "Readonly", "Pick", "Omit", "Exclude", "Extract", "NonNullable", "Promise"]);

/** A source file, by its path from the repository's root. */
type Sources = ReadonlyMap<string, string>;

/** The editor's and the contract's source files (editor/dist is built from them). */
function repositorySources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path !== "editor/dist") walk(path);
      } else if (/\.tsx?$/.test(entry.name)) files.set(path, readFileSync(join(root, path), "utf8"));
    }
  };
  walk("editor");
  walk("schema");
  return files;
}

/** The type argument of every API client call in a text, with its line. */
function clientCallTypes(text: string): Array<{ line: number; type: string }> {
  const calls: Array<{ line: number; type: string }> = [];
  for (const match of text.matchAll(CLIENT_CALL)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === "<") depth += 1;
      // The ">" of an arrow (`=>`) closes nothing.
      else if (text[i] === ">" && text[i - 1] !== "=") depth -= 1;
    }
    // A comparison (`a.get < b`) is no call: a call's type argument is followed by its arguments.
    if (depth !== 0 || !/^\s*\(/.test(text.slice(i, i + 20))) continue;
    calls.push({ line: text.slice(0, match.index).split("\n").length, type: text.slice(start, i - 1) });
  }
  return calls;
}

/** The names a file takes from other modules (`import`) or passes on (`export … from`), each with the module's path from the root. */
function namedModules(path: string, text: string): Map<string, { module: string; name: string }> {
  const names = new Map<string, { module: string; name: string }>();
  for (const m of text.matchAll(/(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
    const spec = m[2]!;
    if (!spec.startsWith(".")) continue;
    const target = relative(root, resolve(root, dirname(path), spec)).split(sep).join("/").replace(/\.js$/, "");
    for (const part of m[1]!.split(",")) {
      const [original, local] = part.replace(/^\s*type\s+/, "").split(/\s+as\s+/).map((s) => s.trim());
      if (original) names.set(local ?? original, { module: target, name: original });
    }
  }
  return names;
}

/** The file a module path names (`editor/api/types` → `editor/api/types.ts`). */
function moduleFile(sources: Sources, module: string): string | null {
  for (const candidate of [`${module}.ts`, `${module}.tsx`, `${module}/index.ts`]) if (sources.has(candidate)) return candidate;
  return null;
}

/** Where a type name used in `path` is declared: the file, or null when it cannot be followed. */
function declarationOf(sources: Sources, path: string, name: string, seen = new Set<string>()): string | null {
  const text = sources.get(path);
  if (text === undefined || seen.has(`${path}#${name}`)) return null;
  seen.add(`${path}#${name}`);
  // An `interface X`, `class X`, `enum X` or `type X =` of its own (not `type X,` in a list of imports).
  const own = new RegExp(`^\\s*(?:export\\s+)?(?:(?:interface|class|enum)\\s+${name}\\b|type\\s+${name}\\s*(?:<[^=]*>)?\\s*=)`, "m");
  if (own.test(text)) return path;
  const from = namedModules(path, text).get(name);
  if (!from) return null;
  const file = moduleFile(sources, from.module);
  return file ? declarationOf(sources, file, from.name, seen) : null;
}

/** Every answer type of an API client call in the editor that is not the contract's, as "path:line what". */
function handDeclaredAnswers(sources: Sources): string[] {
  const found: string[] = [];
  for (const [path, text] of sources) {
    // The client itself passes its callers' type on (`send<T>`).
    if (!path.startsWith("editor/") || path === "editor/api/client.ts") continue;
    for (const { line, type } of clientCallTypes(text)) {
      const at = `${path}:${line}`;
      if (type.includes("{")) found.push(`${at} an answer shape written at the call: ${type.replace(/\s+/g, " ")}`);
      // Type names (a `T` of the function around the call included), not property names of indexed access.
      for (const [name] of type.replace(/\[\s*"[^"]*"\s*\]/g, "").matchAll(/\b[A-Z]\w*\b/g)) {
        if (BUILT_IN.has(name)) continue;
        const declared = declarationOf(sources, path, name);
        if (declared === null) found.push(`${at} ${name}: its declaration cannot be followed from the imports`);
        else if (!declared.startsWith("schema/")) found.push(`${at} ${name} is declared in ${declared}, not in schema/`);
      }
    }
  }
  return found;
}

describe("the contract between editor and server", () => {
  it("every answer the editor reads through the API client is typed by schema/, not by a shape of its own", () => {
    const sources = repositorySources();
    expect(sources.size).toBeGreaterThan(50);
    const found = handDeclaredAnswers(sources);
    expect(found, found.join("\n")).toEqual([]);
    // The check saw the calls it is about.
    const calls = [...sources].filter(([path]) => path.startsWith("editor/")).flatMap(([, text]) => clientCallTypes(text));
    expect(calls.length).toBeGreaterThan(40);
  });

  it("the check finds a shape written at the call, a type declared in the editor, and follows re-exports to schema/", () => {
    const sources = repositorySources();
    const page = [
      'import type { ApiClient } from "../panels/context.js";',
      'import type { DocumentInfo } from "../../schema/api/documents.js";',
      'import type { BracketRegister } from "../panels/ui/types.js";',
      "interface Member { username: string }",
      "export async function load(api: ApiClient) {",
      '  await api.get<DocumentInfo>("/api/documents/1");',
      '  await api.get<Array<{ language: string }>>("/api/documents/1/languages");',
      '  await api.post<Member[]>("/api/meetings/1/members");',
      '  await api.get<Record<string, BracketRegister["brackets"]>>("/api/x");',
      "}",
    ].join("\n");
    sources.set("editor/app/contract-example.tsx", page);
    const found = handDeclaredAnswers(sources);
    expect(found).toEqual([
      "editor/app/contract-example.tsx:7 an answer shape written at the call: Array<{ language: string }>",
      "editor/app/contract-example.tsx:8 Member is declared in editor/app/contract-example.tsx, not in schema/",
    ]);
    expect(existsSync(join(root, "editor/app/contract-example.tsx"))).toBe(false);
  });
});

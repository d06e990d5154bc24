import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const biome = join(root, "node_modules", ".bin", "biome");

/** One Biome diagnostic, as its JSON reporter prints it. */
interface Diagnostic {
  severity: string;
  category?: string;
  description?: string;
  message?: string;
  location?: { path?: string; start?: { line: number; column: number } };
}

/** Runs Biome's linter with biome.json over the repository and returns every finding, one line each. */
async function biomeFindings(): Promise<string[]> {
  // Biome exits non-zero when it finds something; its JSON report is on stdout either way.
  const stdout = await promisify(execFile)(biome, ["lint", "--reporter=json", "--max-diagnostics=none", "."], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).then(
    (done) => done.stdout,
    (failed: { stdout?: string; stderr?: string; message: string }) => {
      if (!failed.stdout) throw new Error(`biome did not run: ${failed.stderr || failed.message}`);
      return failed.stdout;
    },
  );
  const report = JSON.parse(stdout) as { diagnostics: Diagnostic[] };
  return report.diagnostics
    .filter((d) => d.severity === "error" || d.severity === "warning" || d.severity === "fatal")
    .map((d) => {
      const at = d.location?.start ? `${d.location.start.line}:${d.location.start.column}` : "";
      return `${d.location?.path ?? "?"}:${at} ${d.category ?? "biome"} ${d.description ?? d.message ?? ""}`.trim();
    });
}

/** Files in git, text only: the code, the documents and the configuration a reader reads. */
function trackedTextFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
  return listed
    .split("\0")
    .filter((path) => /\.(ts|tsx|mjs|js|json|md|sql|css|html)$/.test(path))
    // Third-party schemas and lock files are not ours to word.
    .filter((path) => !path.startsWith("test/fixtures/") && path !== "package-lock.json");
}

/**
 * What points outside the repository: the product's design files and their folder, and
 * issue numbers. A reader of the repository alone cannot follow them.
 */
const OUTSIDE = [
  { pattern: /\.\.\/shared\b|\/work\/shared\b|(?<![\w/.-])shared\/(?:seed|standards|API\.md|DESIGN)/, what: "the design folder outside the repository" },
  { pattern: /\bDESIGN(?:\.md)?\b/, what: "a design file outside the repository" },
  { pattern: /\bissue\s*#?\d+|\b(?:the|this|that) issue(?:'s)?\b(?! of)/i, what: "an issue" },
];
/** An issue number ("#19"), looked for in comments and documents only: CSS colours are no issues. */
const ISSUE_NUMBER = /(?<![&\w])#\d{1,4}\b(?![0-9a-fA-F])/;

/** Whether a line is (or ends in) a comment, or belongs to a document. */
function isProse(path: string, line: string): boolean {
  if (path.endsWith(".md")) return true;
  const trimmed = line.trimStart();
  return /^(?:\/\/|\/\*|\*|--)/.test(trimmed) || /\s\/\/\s/.test(line);
}

/** Every line of the repository that points outside it, as "path:line what: text". */
function outsideReferences(): string[] {
  const found: string[] = [];
  for (const path of trackedTextFiles()) {
    // The check itself names what it looks for.
    if (path === "test/lint.test.ts") continue;
    let text: string;
    try {
      text = readFileSync(join(root, path), "utf8");
    } catch {
      continue; // listed by git but deleted in the work tree
    }
    text.split("\n").forEach((line, i) => {
      for (const { pattern, what } of OUTSIDE) if (pattern.test(line)) found.push(`${path}:${i + 1} ${what}: ${line.trim()}`);
      if (isProse(path, line) && ISSUE_NUMBER.test(line)) found.push(`${path}:${i + 1} an issue number: ${line.trim()}`);
    });
  }
  return found;
}

describe("lint", () => {
  it("Biome finds nothing (biome.json: unused code, unreachable code, suspicious constructs)", async () => {
    const findings = await biomeFindings();
    expect(findings, `run \`npx biome lint .\` for the details:\n${findings.join("\n")}`).toEqual([]);
  });

  it("no comment or document points outside the repository (design files, issue numbers)", () => {
    const found = outsideReferences();
    expect(found, found.join("\n")).toEqual([]);
  });

  it("zod stays out of the editor: only schema/api/requests imports it, and the editor imports only types from there", () => {
    const found: string[] = [];
    for (const path of trackedTextFiles()) {
      let text: string;
      try {
        text = readFileSync(join(root, path), "utf8");
      } catch {
        continue;
      }
      if (path.startsWith("schema/") && !path.startsWith("schema/api/requests/") && /from "zod"/.test(text)) found.push(`${path} imports zod`);
      if (path.startsWith("editor/"))
        for (const m of text.matchAll(/^import (?!type\b)[^;]*from "[./]*schema\/api\/requests\/[^"]+";/gm)) found.push(`${path} imports values from requests/: ${m[0]}`);
    }
    expect(found, found.join("\n")).toEqual([]);
  });

  it("the checks find what they look for", () => {
    expect(OUTSIDE.some(({ pattern }) => pattern.test(["see ..", "shared", "DESIGN.md"].join("/")))).toBe(true);
    expect(OUTSIDE.some(({ pattern }) => pattern.test(`// as ${"issue"} 19 asks`))).toBe(true);
    const fixedFor = `  // fixed for ${"#"}19`;
    expect(isProse("x.ts", fixedFor) && ISSUE_NUMBER.test(fixedFor)).toBe(true);
    expect(ISSUE_NUMBER.test("border-top: 1px solid #111;")).toBe(true);
    expect(isProse("x.ts", 'const css = "border-top: 1px solid #111;";')).toBe(false);
    expect(ISSUE_NUMBER.test("&#39;")).toBe(false);
  });
});

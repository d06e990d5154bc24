/**
 * Vitest global setup: builds the editor bundle once per run, before any test server starts
 * (the server serves `editor/dist` only if it exists when the app is created).
 *
 * A failed build does not stop the whole run (server and unit tests do not need the
 * bundle, and another engineer may be mid-edit): it is recorded in `editor/dist/`, and
 * `launchBrowser` refuses to start with the build's error instead of testing a stale bundle.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where a failed build leaves its error for the browser tests to report. */
export const BUILD_FAILURE = join(ROOT, "editor", "dist", "BUILD_FAILED.txt");

/** Runs `scripts/build-editor.mjs`, the same build `npm start` does. */
export default function setup(): void {
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts", "build-editor.mjs")], { cwd: ROOT, stdio: ["ignore", "inherit", "pipe"] });
    rmSync(BUILD_FAILURE, { force: true });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    mkdirSync(dirname(BUILD_FAILURE), { recursive: true });
    writeFileSync(BUILD_FAILURE, stderr);
    console.error(`editor: the bundle did not build; browser tests will fail.\n${stderr}`);
  }
}

/**
 * Vitest global setup: builds the editor bundle once per run, before any test server starts
 * (the server serves `editor/dist` only if it exists when the app is created).
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Runs `scripts/build-editor.mjs`, the same build `npm start` does. */
export default function setup(): void {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build-editor.mjs")], { cwd: ROOT, stdio: "inherit" });
}

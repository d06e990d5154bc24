// Builds the editor bundle into editor/dist (run by `npm start` and by the browser tests).
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "editor", "main.ts");
const dist = join(root, "editor", "dist");
mkdirSync(dist, { recursive: true });
if (!existsSync(entry)) {
  console.log("editor: no editor/main.ts yet; skipping the bundle");
  process.exit(0);
}
const started = Date.now();
await build({
  entryPoints: [entry],
  bundle: true,
  format: "esm",
  target: "es2022",
  outfile: join(dist, "app.js"),
  sourcemap: true,
  // Always minified: a third of the bytes to parse is a large part of opening a document
  // (bench/editor-open.ts); the source map keeps it debuggable.
  minify: process.env.ACCORD_EDITOR_MINIFY !== "0",
  logLevel: "warning",
  loader: { ".css": "css" },
});
for (const file of ["index.html", "styles.css"]) {
  const src = join(root, "editor", file);
  if (existsSync(src)) cpSync(src, join(dist, file));
}
console.log(`editor: built in ${Date.now() - started} ms`);

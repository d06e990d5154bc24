// Builds the editor bundle into editor/dist (run by `npm start` and by the browser tests).
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
const styles = join(root, "editor", "styles.css");
if (existsSync(styles)) cpSync(styles, join(dist, "styles.css"));
// The server lets browsers cache the bundle for an hour; a version in each URL of the page
// (which is never cached) makes a new build reach everyone at once.
const version = (file) => {
  const path = join(dist, file);
  return existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 10) : "0";
};
const page = readFileSync(join(root, "editor", "index.html"), "utf8").replace(
  /(href|src)="\/(app\.js|app\.css|styles\.css)"/g,
  (_match, attr, file) => `${attr}="/${file}?v=${version(file)}"`,
);
writeFileSync(join(dist, "index.html"), page);
console.log(`editor: built in ${Date.now() - started} ms`);

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { documentForUser, documentLanguage, type DocumentRow } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { badRequest, HttpError } from "../http/errors.js";
import { parse } from "../http/validate.js";
import { emptyModel, exportModel } from "./model.js";
import { PAPERS } from "./paper.js";
import { symbolSlug } from "./pieces.js";
import { EXPORT_FORMATS, type RenderedFile, type RenderJob } from "./render.js";
import { EXPORT_VIEWS } from "./types.js";
import { RenderWorker, type ExportThread } from "./worker.js";

export { EXPORT_FORMATS } from "./render.js";

const ExportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default("html"),
  view: z.enum(EXPORT_VIEWS).default("current"),
  version: z.string().min(1).max(64).optional(),
  compareTo: z.string().min(1).max(64).optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "a language code such as en, es, fr or pt")
    .optional(),
  paper: z.enum(PAPERS).default("a4"),
});

/** A file name for `Content-Disposition` from a symbol: `RTP-II/doc.5/09 rev. 1` → `RTP-II-doc.5-09-rev.1.docx`. */
export function exportFileName(symbol: string, extension: string): string {
  return `${symbolSlug(symbol)}.${extension}`;
}

// The page shows delegates' words from Accord's own origin. Everything in it is escaped;
// this policy is the second line: no script, no fetch, no form, no frame may run even if
// something slipped through, and only the inline style sheet applies.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// HTML and text open in the browser; the office and archival formats are files to keep.
const INLINE = new Set(["html", "text"]);

function sendExport(res: Response, file: RenderedFile, fileName: string, inline: boolean): void {
  res.setHeader("Content-Type", file.type);
  res.setHeader("Content-Disposition", `${inline ? "inline" : "attachment"}; filename="${fileName}"`);
  // The text changes with every keystroke and carries negotiation state: never from a cache.
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.send(typeof file.body === "string" ? file.body : Buffer.from(file.body.buffer, file.body.byteOffset, file.body.byteLength));
}

// Every format is rendered on the worker thread: a Word file or a PDF of a large document
// is hundreds of milliseconds of CPU, Akoma Ntoso and HTML tens, and any of them on the
// event loop would be felt by every editor of every document the server holds.
const worker = new RenderWorker();

/** Renders a job on the export thread, so that it does not hold up the event loop. */
function renderOffThread(job: RenderJob): Promise<RenderedFile> {
  return worker.render(job);
}

/** The export thread as the operating system sees it (thread id, nice value), starting it if need be. */
export function exportThread(): Promise<ExportThread> {
  return worker.thread();
}

/** Loads the export worker in the background (`npm start` calls it; tests do not pay for it). */
export function warmExportWorker(): void {
  const model = emptyModel();
  worker.warm({ model, format: "docx", paper: "a4" });
  worker.warm({ model, format: "pdf", paper: "a4" });
}

/**
 * CPU milliseconds the calling thread has run so far (Linux: the scheduler's own count in
 * /proc/thread-self/schedstat), or null elsewhere. Unlike a clock it does not count the
 * time the thread waited for a core, so it measures what an export takes from the event
 * loop on a busy machine as well as on a quiet one.
 */
function threadCpuMs(): number | null {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}

const originOf = (req: Request) => `${req.protocol}://${req.get("host") ?? "localhost"}`;

/**
 * The document whose text is `document`'s in `language`: itself, its original, or one of
 * the original's language versions (each its own document, with its own text). 404 with
 * the languages it has otherwise.
 */
function textInLanguage(ctx: AppContext, document: DocumentRow, language: string): DocumentRow {
  const originalId = document.original_id ?? document.id;
  const family = ctx.db.prepare("SELECT * FROM documents WHERE id = ? OR original_id = ?").all(originalId, originalId) as DocumentRow[];
  const found = family.find((d) => documentLanguage(ctx, d).toLowerCase() === language);
  if (found) return found;
  throw new HttpError(404, `this document has no text in "${language}"`, [`its texts are in ${family.map((d) => `"${documentLanguage(ctx, d)}"`).join(", ")}`]);
}

/** `GET /api/documents/:id/export`: the document as HTML, text, Word, PDF or Akoma Ntoso, in one of three views (docs/API.md, Exports). */
export function exportRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/documents/:id/export", requireSession(ctx));

  router.get("/api/documents/:id/export", async (req, res) => {
    const started = performance.now();
    const cpuStarted = threadCpuMs();
    const asked = documentForUser(ctx, userOf(res), req.params.id);
    const query = parse(ExportQuery, req.query);
    const doc = query.language === undefined ? asked : textInLanguage(ctx, asked, query.language.toLowerCase());
    if (query.compareTo !== undefined && query.format !== "docx")
      throw badRequest("compareTo is for format=docx: the changes are shown as Word tracked changes", [`format is ${query.format}`]);
    if (query.compareTo !== undefined && query.view !== "current")
      throw badRequest("compareTo compares the texts as negotiated: use view=current", [`view is ${query.view}`]);
    const model = exportModel(ctx, doc, { versionId: query.version, view: query.view, compareTo: query.compareTo, origin: originOf(req) });
    const modelMs = performance.now() - started;
    const cpuModelled = threadCpuMs();
    // Handing the model over copies it on this thread, a few milliseconds for a large text:
    // in a turn of its own, so that the editors' updates waiting since the model was read go first.
    await new Promise((resolve) => setImmediate(resolve));
    const posting = performance.now();
    const cpuPosting = threadCpuMs();
    const rendering = renderOffThread({ model, format: query.format, paper: query.paper });
    const posted = performance.now();
    const cpuPosted = threadCpuMs();
    const file = await rendering;
    // What the export cost the event loop (reading the store, assembling and handing over
    // the model) and how long the export thread took, for whoever measures it.
    const postMs = posted - posting;
    const cpu =
      cpuStarted !== null && cpuModelled !== null && cpuPosting !== null && cpuPosted !== null
        ? `, cpu;dur=${(cpuModelled - cpuStarted + (cpuPosted - cpuPosting)).toFixed(2)}`
        : "";
    res.setHeader(
      "Server-Timing",
      `main;dur=${(modelMs + postMs).toFixed(2)}, model;dur=${modelMs.toFixed(2)}, post;dur=${postMs.toFixed(2)}, render;dur=${(performance.now() - posted).toFixed(2)}${cpu}`,
    );
    sendExport(res, file, exportFileName(model.meta.symbol, file.extension), INLINE.has(query.format));
  });

  return router;
}

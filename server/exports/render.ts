import type { Paper } from "./paper.js";
import type { ExportModel } from "./types.js";

/** The formats a document exports to. */
export const EXPORT_FORMATS = ["html", "text", "docx", "pdf", "akn"] as const;
/** One export format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a renderer is given: the model, the format, and the paper of the paged formats. */
export interface RenderJob {
  model: ExportModel;
  format: ExportFormat;
  paper: Paper;
}

/** A rendered export: its bytes (or text), content type and file extension. */
export interface RenderedFile {
  body: Uint8Array | string;
  type: string;
  extension: string;
}

/**
 * Each format's content type, extension and renderer: a new format is one entry here. A
 * renderer is loaded on its format's first export: the Word and PDF libraries take seconds
 * of CPU to load, which an HTML export should not pay.
 */
const FORMATS: Record<ExportFormat, { type: string; extension: string; render: (job: RenderJob) => Promise<Uint8Array | string> }> = {
  html: { type: "text/html; charset=utf-8", extension: "html", render: async (job) => (await import("./render-html.js")).renderHtml(job.model) },
  text: { type: "text/plain; charset=utf-8", extension: "txt", render: async (job) => (await import("./render-text.js")).renderText(job.model) },
  akn: { type: "application/akn+xml; charset=utf-8", extension: "xml", render: async (job) => (await import("./render-akn.js")).renderAkn(job.model) },
  docx: {
    type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extension: "docx",
    render: async (job) => (await import("./render-docx.js")).renderDocx(job.model, { paper: job.paper }),
  },
  pdf: { type: "application/pdf", extension: "pdf", render: async (job) => (await import("./render-pdf.js")).renderPdf(job.model, { paper: job.paper }) },
};

/** Renders an export model in one format; pure (no store, no clock), so it runs as well in a worker thread. */
export async function renderExport(job: RenderJob): Promise<RenderedFile> {
  const format = FORMATS[job.format];
  return { body: await format.render(job), type: format.type, extension: format.extension };
}

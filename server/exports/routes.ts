import { Router, type Response } from "express";
import { z } from "zod";
import type { AppContext } from "../context.js";
import { documentForUser } from "../documents/documents.js";
import { requireSession, userOf } from "../http/auth.js";
import { parse } from "../http/validate.js";
import { exportModel } from "./model.js";
import { renderHtml } from "./render-html.js";
import { renderText } from "./render-text.js";

/** The formats a document exports to. */
export const EXPORT_FORMATS = ["html", "text"] as const;

const ExportQuery = z.object({
  format: z.enum(EXPORT_FORMATS).default("html"),
  version: z.string().min(1).max(64).optional(),
});

/**
 * A file name for `Content-Disposition` from a symbol: `RTP-II/doc.5/09 rev. 1` →
 * `RTP-II_doc.5_09 rev. 1`. Symbols contain slashes, which no file system takes, and
 * anything outside printable ASCII or a quote would break the header's quoted string.
 */
export function exportFileName(symbol: string, extension: string): string {
  const base = symbol.replace(/[^A-Za-z0-9 ._()-]/g, "_").replace(/^[ .]+|[ .]+$/g, "") || "document";
  return `${base}.${extension}`;
}

// The page shows delegates' words from Accord's own origin. Everything in it is escaped;
// this policy is the second line: no script, no fetch, no form, no frame may run even if
// something slipped through, and only the inline style sheet applies.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function sendExport(res: Response, body: string, type: string, fileName: string): void {
  res.setHeader("Content-Type", `${type}; charset=utf-8`);
  res.setHeader("Content-Disposition", `inline; filename="${fileName}"`);
  // The text changes with every keystroke and carries negotiation state: never from a cache.
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.send(body);
}

/** `GET /api/documents/:id/export`: the document as a printable HTML page or as plain text (docs/API.md, Exports). */
export function exportRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use("/api/documents/:id/export", requireSession(ctx));

  router.get("/api/documents/:id/export", (req, res) => {
    const doc = documentForUser(ctx, userOf(res), req.params.id);
    const query = parse(ExportQuery, req.query);
    const model = exportModel(ctx, doc, { versionId: query.version });
    if (query.format === "text") sendExport(res, renderText(model), "text/plain", exportFileName(model.meta.symbol, "txt"));
    else sendExport(res, renderHtml(model), "text/html", exportFileName(model.meta.symbol, "html"));
  });

  return router;
}

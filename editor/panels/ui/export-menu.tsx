/**
 * The Export menu of a document or of one of its versions: a format (Word, PDF, Akoma
 * Ntoso, a printable page, plain text), a view (as negotiated, clean, compilation), the
 * paper, and for a version the earlier version whose changes Word shows as tracked
 * changes. Word, PDF and XML are downloaded under the file name the server gives (built
 * from the symbol) with a progress bar, since a large document takes a while to build;
 * the printable page and the text open in a new tab. A refusal (clean text while brackets
 * are open) is shown with every reason.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ProblemNotice, useUniqueId, type Problem } from "./common.js";
import { codeSentence, t, formatNumber } from "../../i18n/index.js";

const FORMATS = [
  { value: "docx", label: "Word (.docx)" },
  { value: "pdf", label: "PDF" },
  { value: "akn", label: t("export.akn") },
  { value: "html", label: t("export.html") },
  { value: "text", label: t("export.text") },
] as const;
const VIEWS = [
  { value: "current", label: t("export.current") },
  { value: "clean", label: t("export.clean") },
  { value: "compilation", label: t("export.compilation") },
] as const;
const PAGED = new Set(["docx", "pdf"]);
const OPENED = new Set(["html", "text"]);

/** An earlier version a version can be compared with. */
export interface ExportVersionChoice {
  id: string;
  label: string;
}

/** Where the download stands: building on the server, then bytes arriving. */
type Progress = { phase: "building" } | { phase: "receiving"; received: number; total: number | null } | null;

/** The file name from `Content-Disposition: attachment; filename="…"`, or a fallback. */
function fileNameOf(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? fallback;
}

/** Reads a response's body while reporting how much has arrived. */
async function readWithProgress(response: Response, onProgress: (received: number, total: number | null) => void): Promise<Blob> {
  const total = Number(response.headers.get("content-length")) || null;
  if (!response.body) return response.blob();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received, total);
  }
  return new Blob(chunks as BlobPart[], { type: response.headers.get("content-type") ?? "application/octet-stream" });
}

/** The Export menu; `versionId` exports that stored version, `compareChoices` offers tracked changes against another. */
export function ExportMenu({
  documentId,
  versionId,
  compareChoices = [],
  label = t("export.export"),
}: {
  documentId: string;
  versionId?: string;
  compareChoices?: readonly ExportVersionChoice[];
  label?: string;
}): JSX.Element {
  const id = useUniqueId("export");
  const [format, setFormat] = useState<string>("docx");
  const [view, setView] = useState<string>("current");
  const [paper, setPaper] = useState<string>("a4");
  const [compareTo, setCompareTo] = useState<string>("");
  const [progress, setProgress] = useState<Progress>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const tracked = format === "docx" && view === "current" && compareTo !== "";
  const url = () => {
    const q = new URLSearchParams({ format, view });
    if (versionId) q.set("version", versionId);
    if (PAGED.has(format)) q.set("paper", paper);
    if (tracked) q.set("compareTo", compareTo);
    return `/api/documents/${encodeURIComponent(documentId)}/export?${q}`;
  };

  const run = async () => {
    setProblem(null);
    setSaved(null);
    if (OPENED.has(format)) {
      window.open(url(), "_blank", "noopener");
      return;
    }
    setProgress({ phase: "building" });
    try {
      const response = await fetch(url(), { credentials: "same-origin" });
      if (!response.ok) {
        const answer = (await response.json().catch(() => ({}))) as { error?: string; reasons?: string[]; code?: string; params?: Record<string, string | number> };
        const sentence = codeSentence(answer.code, answer.params) ?? answer.error ?? t("export.failed", { status: response.status });
        setProblem({ message: sentence, reasons: answer.reasons ?? [], status: response.status });
        return;
      }
      const blob = await readWithProgress(response, (received, total) => setProgress({ phase: "receiving", received, total }));
      const name = fileNameOf(response.headers.get("content-disposition"), `document.${format}`);
      const href = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = href;
      a.download = name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      setSaved(name);
    } catch {
      setProblem({ message: t("error.net.unreachable"), reasons: [] });
    } finally {
      setProgress(null);
    }
  };

  // A menu closes as menus do, on Escape or a click elsewhere; it stays while a file is being built.
  const menu = useRef<HTMLDetailsElement>(null);
  const busy = progress !== null;
  useEffect(() => {
    const close = (focusSummary: boolean) => {
      const details = menu.current;
      if (!details?.open || busy) return;
      details.open = false;
      if (focusSummary) details.querySelector("summary")?.focus();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && menu.current?.open) close(menu.current.contains(document.activeElement));
    };
    const onDown = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) close(false);
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", onDown);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", onDown);
    };
  }, [busy]);

  return (
    <details ref={menu} class="export-menu" data-export-menu={versionId ?? "current"}>
      <summary>{label}</summary>
      <form
        class="export-form"
        aria-label={versionId ? t("export.thisVersion") : t("export.theDocument")}
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label for={`${id}-format`}>{t("export.format")}</label>
        <select id={`${id}-format`} name="format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <label for={`${id}-view`}>{t("newDocument.text")}</label>
        <select id={`${id}-view`} name="view" value={view} onChange={(e) => setView(e.currentTarget.value)}>
          {VIEWS.map((v) => (
            <option key={v.value} value={v.value}>
              {v.label}
            </option>
          ))}
        </select>
        {PAGED.has(format) && (
          <>
            <label for={`${id}-paper`}>{t("export.paper")}</label>
            <select id={`${id}-paper`} name="paper" value={paper} onChange={(e) => setPaper(e.currentTarget.value)}>
              <option value="a4">A4</option>
              <option value="letter">{t("export.letter")}</option>
            </select>
          </>
        )}
        {format === "docx" && view === "current" && compareChoices.length > 0 && (
          <>
            <label for={`${id}-compare`}>{t("export.changesSince")}</label>
            <select id={`${id}-compare`} name="compareTo" value={compareTo} onChange={(e) => setCompareTo(e.currentTarget.value)}>
              <option value="">{t("export.noTracked")}</option>
              {compareChoices.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="submit" class="pn-primary" disabled={progress !== null}>
          {OPENED.has(format) ? t("export.open") : t("export.download")}
        </button>
        {progress && (
          <div class="export-progress" role="status" aria-live="polite">
            {progress.phase === "building" ? (
              <>
                <progress aria-label={t("export.building")} /> {t("export.building")}…
              </>
            ) : (
              <>
                <progress aria-label={t("export.downloading")} value={progress.received} max={progress.total ?? undefined} />{" "}
                {progress.total
                  ? t("export.receivedOf", { received: formatNumber(Math.ceil(progress.received / 1024)), total: formatNumber(Math.ceil(progress.total / 1024)) })
                  : t("export.received", { received: formatNumber(Math.ceil(progress.received / 1024)) })}
              </>
            )}
          </div>
        )}
        {saved && (
          <p class="export-saved" role="status">
            {t("export.saved", { name: saved })}
          </p>
        )}
        <ProblemNotice problem={problem} />
      </form>
    </details>
  );
}

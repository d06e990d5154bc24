import { useEffect, useState } from "preact/hooks";
import type { SessionUser } from "../panels/context.js";
import type { HttpApiClient } from "../api/client.js";
import type { BodyInfo } from "../../schema/api/meetings.js";
import type { ImportCreated, ImportDryRun, MastheadField } from "../../schema/api/imports.js";
import type { CanonicalParagraph } from "../../schema/canonical.js";
import type { DocumentKind } from "../../schema/roles.js";
import { describeError } from "../api/client.js";
import { Link } from "./link.js";
import { documentPath, navigate } from "./router.js";
import { KIND_LABELS } from "./words.js";
import { t, formatList, formatNumber } from "../i18n/index.js";

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const MASTHEAD_LABELS: Record<MastheadField, string> = {
  series: t("import.series"),
  symbol: t("home.symbol"),
  date: t("import.date"),
  originalLanguage: t("import.original"),
  distribution: t("import.distribution"),
  agendaItem: t("import.agendaItem"),
  sponsors: t("import.sponsors"),
};
/** The masthead's named fields in the order they are shown. */
const MASTHEAD_FIELDS = Object.keys(MASTHEAD_LABELS) as MastheadField[];
const KIND_NAMES: Record<string, string> = {
  title: t("paragraph.title"),
  chapeau: t("paragraph.chapeau"),
  heading: t("paragraph.heading"),
  pp: t("paragraph.pp"),
  op: t("paragraph.op"),
};

/** A paragraph's text with its brackets drawn as square brackets. */
function bracketed(p: CanonicalParagraph): string {
  const marks: Array<[number, string]> = [];
  for (const b of p.brackets) marks.push([b.from, "["], [b.to, "]"]);
  marks.sort((a, b) => a[0] - b[0] || (a[1] === "]" ? -1 : 1));
  let out = "";
  let at = 0;
  for (const [offset, mark] of marks) {
    out += p.text.slice(at, offset) + mark;
    at = offset;
  }
  return out + p.text.slice(at);
}

/** The content type to send a chosen file with. */
function contentTypeOf(file: File): string {
  if (/\.docx$/i.test(file.name)) return DOCX_TYPE;
  if (/\.(txt|text)$/i.test(file.name)) return "text/plain";
  return file.type || "application/octet-stream";
}

/**
 * "Import from Word": the secretariat chooses a .docx or a plain text, sees the structure
 * found (lead-ins, preambular and operative paragraphs with their numbers, headings,
 * brackets with their holders, footnotes, the masthead) and every warning, and only then
 * creates the document in a body of the meeting.
 */
export function ImportPage(props: { api: HttpApiClient; user: SessionUser }) {
  const { api, user } = props;
  const [bodies, setBodies] = useState<BodyInfo[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [bodyId, setBodyId] = useState("");
  const [kind, setKind] = useState<DocumentKind>("declaration");
  const [symbol, setSymbol] = useState("");
  const [dryRun, setDryRun] = useState<ImportDryRun | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t("home.import")} · Accord`;
    api
      .get<BodyInfo[]>(`/api/meetings/${user.meetingId}/bodies`)
      .then((b) => {
        setBodies(b);
        setBodyId((current) => current || b[0]?.id || "");
      })
      .catch((e) => setError(describeError(e)));
  }, [api, user.meetingId]);

  if (user.role !== "secretariat")
    return (
      <main class="home-page" data-page="import" id="main">
        <h1>{t("home.import")}</h1>
        <p>{t("import.onlySecretariat")}</p>
        <Link href="/">{t("app.backToDocuments")}</Link>
      </main>
    );

  const base = `/api/meetings/${user.meetingId}/documents/import`;
  const check = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setDryRun(null);
    try {
      const answer = await api.upload<ImportDryRun>(`${base}?dryRun=1`, file, contentTypeOf(file));
      setDryRun(answer);
      if (!symbol && answer.symbol) setSymbol(answer.symbol);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const create = async () => {
    if (!file || !dryRun) return;
    setBusy(true);
    setError(null);
    try {
      const query = new URLSearchParams({ bodyId, kind, ...(symbol.trim() ? { symbol: symbol.trim() } : {}) });
      const answer = await api.upload<ImportCreated>(`${base}?${query}`, file, contentTypeOf(file));
      navigate(documentPath(answer.document.id));
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  return (
    <main class="home-page import-page" data-page="import" id="main">
      <p>
        <Link href="/">← {t("import.documents")}</Link>
      </p>
      <h1>{t("home.import")}</h1>
      <p class="muted">
        {t("import.intro")}
      </p>
      <form
        class="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <label>
          {t("import.file")}{" "}
          <input
            type="file"
            name="file"
            accept=".docx,.txt,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            onChange={(e) => {
              setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
              setDryRun(null);
            }}
          />
        </label>
        <button type="submit" disabled={!file || busy}>
          {busy && !dryRun ? t("import.reading") : t("import.check")}
        </button>
      </form>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {dryRun && (
        <section class="import-result" aria-label={t("import.found")}>
          <h2>{dryRun.title}</h2>
          <p data-counts>
            {t("import.counts", {
              leadIns: formatNumber(dryRun.counts.leadIns),
              headings: formatNumber(dryRun.counts.headings),
              pp: formatNumber(dryRun.counts.preambular),
              op: formatNumber(dryRun.counts.operative),
              brackets: formatNumber(dryRun.counts.brackets),
              footnotes: formatNumber(dryRun.footnotes.length),
            })}
          </p>
          {MASTHEAD_FIELDS.some((k) => dryRun.masthead[k]) && (
            <dl class="masthead">
              {MASTHEAD_FIELDS.map((k) => [k, MASTHEAD_LABELS[k]] as const)
                .filter(([k]) => dryRun.masthead[k])
                .map(([k, label]) => (
                  <>
                    <dt>{label}</dt>
                    <dd>{dryRun.masthead[k]}</dd>
                  </>
                ))}
            </dl>
          )}
          <h3>{t("import.warnings", { n: formatNumber(dryRun.warnings.length) })}</h3>
          {dryRun.warnings.length === 0 ? (
            <p class="muted">{t("import.noWarnings")}</p>
          ) : (
            <ul class="import-warnings" data-warnings>
              {dryRun.warnings.map((w, i) => (
                <li key={i}>
                  <strong>{w.paragraph ?? t("import.theFile")}</strong>: {w.warning}
                </li>
              ))}
            </ul>
          )}
          <h3>{t("import.structure")}</h3>
          <table class="import-structure">
            <thead>
              <tr>
                <th scope="col">{t("import.citedAs")}</th>
                <th scope="col">{t("body.kind")}</th>
                <th scope="col">{t("newDocument.text")}</th>
              </tr>
            </thead>
            <tbody>
              {dryRun.canonical.paragraphs.map((p) => (
                <tr key={p.id} data-kind={p.kind}>
                  <td>{p.ref ?? ""}</td>
                  <td>{KIND_NAMES[p.kind] ?? p.kind}</td>
                  <td class={`level-${p.level}`}>
                    {p.number ? `${p.number}${/^\d/.test(p.number) ? "." : ""} ` : ""}
                    {bracketed(p)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {dryRun.brackets.length > 0 && (
            <>
              <h3>{t("import.brackets", { n: formatNumber(dryRun.brackets.length) })}</h3>
              <ul class="import-brackets">
                {dryRun.brackets.map((b, i) => (
                  <li key={i}>
                    {b.paragraph}: [{b.text}] — {b.holders.length ? t("import.heldBy", { holders: formatList(b.holders) }) : t("import.heldByNobody")}
                    {b.group ? ` ${t("import.alternative")}` : ""}
                  </li>
                ))}
              </ul>
            </>
          )}
          <form
            class="import-create"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <label>
              {t("newDocument.body")}{" "}
              <select value={bodyId} onChange={(e) => setBodyId((e.currentTarget as HTMLSelectElement).value)}>
                {bodies.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("body.kind")}{" "}
              <select value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as DocumentKind)}>
                {Object.entries(KIND_LABELS).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("home.symbol")} <input name="symbol" value={symbol} required onInput={(e) => setSymbol((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <button type="submit" disabled={busy || !bodyId || !symbol.trim()}>
              {t("newDocument.create")}
            </button>
          </form>
        </section>
      )}
    </main>
  );
}

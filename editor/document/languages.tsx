import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../panels/context.js";
import { isMissingRoute } from "../api/client.js";
import { Link } from "../app/link.js";
import { documentPath, sideBySidePath } from "../app/router.js";
import { t } from "../i18n/index.js";
import type { LanguageEntry } from "../../schema/api/languages.js";


/**
 * The languages of a document at a glance: each language's paragraphs current, outdated
 * and missing, with links to each text and to its side-by-side view with the original.
 * Nothing is shown for a document in one language only.
 */
export function LanguageCounts(props: { api: ApiClient; documentId: string; current?: string }) {
  const { api, documentId } = props;
  const [entries, setEntries] = useState<LanguageEntry[] | null>(null);
  useEffect(() => {
    let live = true;
    api
      .get<LanguageEntry[]>(`/api/documents/${documentId}/languages`)
      .then((e) => live && setEntries(e))
      .catch((error) => {
        if (!isMissingRoute(error)) console.warn(`languages of ${documentId}: ${String(error)}`);
      });
    return () => {
      live = false;
    };
  }, [api, documentId]);
  if (!entries || entries.length < 2) return null;
  return (
    <span class="language-counts" data-languages-of={documentId}>
      {entries.map((e) => (
        <span key={e.language} class="language-count" data-language={e.language} data-outdated={String(e.paragraphs.outdated)} data-missing={String(e.paragraphs.missing)}>
          {e.documentId === props.current ? <strong>{e.language.toUpperCase()}</strong> : <Link href={documentPath(e.documentId)}>{e.language.toUpperCase()}</Link>}
          {e.original ? (
            <span class="muted small"> {t("languages.original")}</span>
          ) : (
            <>
              {" "}
              <span class="small" title={t("languages.countsTitle", { current: e.paragraphs.current, outdated: e.paragraphs.outdated, missing: e.paragraphs.missing })}>
                {t("languages.counts", { current: e.paragraphs.current, outdated: e.paragraphs.outdated, missing: e.paragraphs.missing })}
              </span>{" "}
              <Link href={sideBySidePath(e.documentId)} class="small">
                {t("languages.sideBySide")}
              </Link>
            </>
          )}
        </span>
      ))}
    </span>
  );
}

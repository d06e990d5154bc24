import { useEffect, useState } from "preact/hooks";
import type { ApiClient, SessionUser } from "../panels/context.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import type { Amendment, Bracket, BracketRegister } from "../panels/ui/types.js";
import { describeError } from "../api/client.js";
import { Link } from "./link.js";
import { documentPlacePath, meetingPath } from "./router.js";
import { t } from "../i18n/index.js";

/** One document's amendments and open brackets that concern the delegation (put together here from three answers). */
interface DocumentWork {
  document: DocumentSummary;
  amendments: Amendment[];
  brackets: Bracket[];
}

/**
 * Reads every document of the meeting and keeps what concerns `delegation`: the amendments
 * it sponsors or co-sponsors, and the open brackets it holds. The per-document routes do
 * the authorisation; a meeting has tens of documents, not thousands.
 */
async function workOf(api: ApiClient, meetingId: string, delegation: string): Promise<DocumentWork[]> {
  const documents = await api.get<DocumentSummary[]>(`/api/meetings/${meetingId}/documents`);
  const all = await Promise.all(
    documents
      .filter((d) => d.state !== "withdrawn")
      .map(async (document) => {
        const [amendments, register] = await Promise.all([
          api.get<Amendment[]>(`/api/documents/${document.id}/amendments`),
          api.get<BracketRegister>(`/api/documents/${document.id}/brackets?state=open`),
        ]);
        return {
          document,
          amendments: amendments.filter((a) => a.sponsor === delegation || a.cosponsors.includes(delegation)),
          brackets: register.brackets.filter((b) => b.state === "open" && b.holders.includes(delegation)),
        };
      }),
  );
  return all.filter((w) => w.amendments.length > 0 || w.brackets.length > 0);
}

/**
 * "My amendments" and "my brackets": what a delegation has proposed and what it holds open,
 * across every document of the meeting, each linking to its place in the document.
 */
export function MinePage(props: { api: ApiClient; user: SessionUser; meetingId: string }) {
  const { api, user, meetingId } = props;
  const delegation = user.delegation;
  const [work, setWork] = useState<DocumentWork[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    document.title = `${t("mine.title", { delegation: delegation ?? "" })} · Accord`;
    if (!delegation) return;
    let live = true;
    workOf(api, meetingId, delegation)
      .then((w) => live && setWork(w))
      .catch((e) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [api, meetingId, delegation]);

  const amendments = work?.flatMap((w) => w.amendments.map((a) => ({ a, d: w.document }))) ?? [];
  const brackets = work?.flatMap((w) => w.brackets.map((b) => ({ b, d: w.document }))) ?? [];
  return (
    <main class="home-page mine-page" data-page="mine" id="main">
      <nav class="breadcrumbs">
        <Link href={meetingPath(meetingId)}>{t("mine.back")}</Link>
      </nav>
      <h1>{t("mine.title", { delegation: delegation ?? "" })}</h1>
      {!delegation && <p class="muted">{t("mine.noDelegation")}</p>}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {delegation && !work && !error && <p class="muted">{t("mine.loading")}</p>}
      {work && (
        <>
          <section aria-labelledby="mine-amendments">
            <h2 id="mine-amendments">{t("mine.amendments", { count: amendments.length })}</h2>
            {amendments.length === 0 ? (
              <p class="muted">{t("mine.noAmendments")}</p>
            ) : (
              <table class="documents mine-amendments">
                <thead>
                  <tr>
                    <th scope="col">{t("mine.document")}</th>
                    <th scope="col">{t("mine.amendment")}</th>
                    <th scope="col">{t("mine.paragraph")}</th>
                    <th scope="col">{t("mine.state")}</th>
                    <th scope="col">{t("mine.role")}</th>
                  </tr>
                </thead>
                <tbody>
                  {amendments.map(({ a, d }) => (
                    <tr key={a.id} data-amendment-id={a.id}>
                      <td>{d.symbol}</td>
                      <td>
                        <Link href={documentPlacePath(d.id, { panel: "amendments", item: a.id, paragraphId: a.paragraphId })}>{a.number ?? t("mine.draft")}</Link>
                      </td>
                      <td>{a.paragraphRef ?? "—"}</td>
                      <td>{t(`badge.${a.state}`)}</td>
                      <td>{a.sponsor === delegation ? t("mine.sponsor") : t("mine.cosponsor")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="mine-brackets">
            <h2 id="mine-brackets">{t("mine.brackets", { count: brackets.length })}</h2>
            {brackets.length === 0 ? (
              <p class="muted">{t("mine.noBrackets")}</p>
            ) : (
              <table class="documents mine-brackets">
                <thead>
                  <tr>
                    <th scope="col">{t("mine.document")}</th>
                    <th scope="col">{t("mine.bracket")}</th>
                    <th scope="col">{t("mine.paragraph")}</th>
                    <th scope="col">{t("mine.text")}</th>
                    <th scope="col">{t("mine.heldWith")}</th>
                  </tr>
                </thead>
                <tbody>
                  {brackets.map(({ b, d }) => (
                    <tr key={b.id} data-bracket-id={b.id}>
                      <td>{d.symbol}</td>
                      <td>
                        <Link href={documentPlacePath(d.id, { panel: "brackets", item: b.id, paragraphId: b.paragraphId })}>{b.label}</Link>
                      </td>
                      <td>{b.paragraphRef ?? "—"}</td>
                      <td class="mine-text">{b.text}</td>
                      <td>{b.holders.filter((h) => h !== delegation).join(", ") || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </main>
  );
}

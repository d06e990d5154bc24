/**
 * The versions panel: every named state of the document (Rev.1, Corr.1, "as adopted"),
 * saving a named version (secretariat or chair of the owning body), opening one read-only
 * as an official document, and comparing two — or a version and the current text — with
 * the difference shown inline per paragraph (added, deleted, moved with both numbers,
 * changed with underline and strike-through); and the secretariat's one renumbering of a
 * document under negotiation (every "bis" and gap goes; a version is stored).
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { chairsDocument } from "../../schema/roles.js";
import type { DocumentInfo, Panel, PanelContext } from "./context.js";
import {
  DiffText,
  Field,
  OfficialText,
  ProblemNotice,
  mountComponent,
  shortHash,
  useAction,
  useDocument,
  useLoaded,
  useUniqueId,
  when,
  type Problem,
  problemOf,
  SelectField,
} from "./ui/common.js";
import type { CanonicalDocument } from "./ui/types.js";
import type { ParagraphComparison } from "../../schema/compare.js";
import type { DocumentComparison, VersionDetail, VersionInfo } from "../../schema/api/versions.js";
import { ExportMenu } from "./ui/export-menu.js";
import { ChangesSinceView } from "./changes-since.js";
import type { ChangesSince } from "../../schema/api/changes.js";
import type { Renumbering } from "../../schema/api/numbering.js";
import { t, tRich, formatNumber } from "../i18n/index.js";

const ASPECT_LABELS: Record<string, string> = { kind: t("aspect.kind"), level: t("aspect.level"), brackets: t("aspect.brackets") };

const CHANGE_LABELS: Record<ParagraphComparison["change"], string> = {
  added: t("change.added"),
  deleted: t("change.deleted"),
  moved: t("change.moved"),
  changed: t("change.changed"),
  same: t("change.same"),
};

/** How a paragraph is cited in one of the compared texts. */
function cite(canonical: CanonicalDocument | null, id: string, number: string | null | undefined, ref: string | null | undefined): string {
  const p = canonical?.paragraphs.find((q) => q.id === id);
  return ref ?? p?.ref ?? (number ? `OP${number}` : (p?.kind ?? "—"));
}

/** "2 changed, 1 added, 1 moved" from the comparison's counts. */
function summaryText(summary: unknown): string {
  if (!summary || typeof summary !== "object") return "";
  const parts = (["changed", "added", "deleted", "moved"] as const)
    .map((k) => [k, (summary as Record<string, unknown>)[k]] as const)
    .filter((e): e is readonly [typeof e[0], number] => typeof e[1] === "number" && e[1] > 0)
    .map(([k, n]) => `${formatNumber(n)} ${CHANGE_LABELS[k]}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

/** The comparison of two texts, one entry per paragraph, the unchanged ones folded away. */
function ComparisonView({ comparison, from, to, labels }: { comparison: DocumentComparison; from: CanonicalDocument | null; to: CanonicalDocument | null; labels: [string, string] }): JSX.Element {
  const [showSame, setShowSame] = useState(false);
  const changed = comparison.paragraphs.filter((p) => p.change !== "same");
  const shown = showSame ? comparison.paragraphs : changed;
  const textOf = (p: ParagraphComparison): string => p.text;
  return (
    <div class="pn-compare" aria-label={t("versions.comparisonOf", { from: labels[0], to: labels[1] })}>
      <p class="pn-meta">
        {labels[0]} → {labels[1]}: {changed.length === 0 ? t("versions.noneDiffers") : t("versions.differ", { count: changed.length, n: formatNumber(changed.length) })}
        {summaryText(comparison.summary)}
      </p>
      <label class="pn-check">
        <input type="checkbox" checked={showSame} onChange={(e) => setShowSame(e.currentTarget.checked)} /> {t("versions.showSame")}
      </label>
      <ol class="pn-list">
        {shown.map((p) => {
          const before = cite(from, p.id, p.fromNumber, p.fromRef);
          const after = cite(to, p.id, p.toNumber, p.toRef);
          return (
            <li key={p.id} class={`pn-item pn-change-${p.change}`} data-change={p.change}>
              <p class="pn-item-head">
                <span class="pn-badge">
                  {CHANGE_LABELS[p.change]}
                  {p.aspects && p.aspects.some((a) => a !== "text") ? ` (${p.aspects
                        .filter((a) => a !== "text")
                        .map((a) => ASPECT_LABELS[a] ?? a)
                        .join(", ")})` : ""}
                </span>{" "}
                {p.change === "added" ? after : p.change === "deleted" ? before : before === after ? after : `${before} → ${after}`}
              </p>
              <p class="pn-diff-block">
                {p.diff && p.diff.length > 0 ? (
                  <DiffText runs={p.diff} />
                ) : p.change === "added" ? (
                  <ins>{textOf(p)}</ins>
                ) : p.change === "deleted" ? (
                  <del>{textOf(p)}</del>
                ) : (
                  textOf(p)
                )}
              </p>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function VersionsView({ ctx }: { ctx: PanelContext }): JSX.Element {
  const doc: DocumentInfo = useDocument(ctx);
  const versions = useLoaded(ctx, () => ctx.api.get<VersionInfo[]>(`/api/documents/${doc.id}/versions`), ["version.created", "document.transitioned"], [doc.id]);
  const [label, setLabel] = useState("");
  const save = useAction(ctx);
  const renumber = useAction(ctx);
  const [opened, setOpened] = useState<VersionDetail | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("current");
  const [comparison, setComparison] = useState<{ result: DocumentComparison; from: CanonicalDocument | null; to: CanonicalDocument | null; labels: [string, string] } | null>(null);
  const [changes, setChanges] = useState<ChangesSince | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useUniqueId("versions");
  const list = versions.data ?? [];
  // What was just opened or compared is brought into view in the panel.
  const result = useRef<HTMLDivElement>(null);
  useEffect(() => result.current?.scrollIntoView({ block: "start", behavior: "smooth" }), [opened?.id, comparison, changes?.since.versionId]);
  const nameOf = (vid: string) => (vid === "current" ? t("versions.currentTextName") : (list.find((v) => v.id === vid)?.label ?? vid));

  const open = async (v: VersionInfo) => {
    setProblem(null);
    try {
      setOpened(await ctx.api.get<VersionDetail>(`/api/documents/${doc.id}/versions/${v.id}`));
      setComparison(null);
      setChanges(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  };
  // Who wrote what since a version: attributed by the server, which knows who sent each change.
  const changesSince = async (versionId: string) => {
    setProblem(null);
    try {
      setChanges(await ctx.api.get<ChangesSince>(`/api/documents/${doc.id}/changes?since=${encodeURIComponent(versionId)}`));
      setOpened(null);
      setComparison(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  };
  // While open, the changes view follows the text: after each change the server has
  // stored (anyone's), it asks again, one request at a time; changes stored meanwhile are
  // asked for once more when it returns.
  const followed = changes?.since.versionId ?? null;
  useEffect(() => {
    if (followed === null) return;
    let asking = false;
    let again = false;
    let stopped = false;
    const ask = async () => {
      if (asking) {
        again = true;
        return;
      }
      asking = true;
      try {
        do {
          again = false;
          const next = await ctx.api.get<ChangesSince>(`/api/documents/${doc.id}/changes?since=${encodeURIComponent(followed)}`);
          if (!stopped) setChanges(next);
        } while (again && !stopped);
      } catch {
        // The next stored change asks again; Refresh shows the reason if it persists.
      } finally {
        asking = false;
      }
    };
    const off = ctx.view.onServerText(() => void ask());
    return () => {
      stopped = true;
      off();
    };
  }, [ctx, doc.id, followed]);
  const canonicalOf = async (vid: string): Promise<CanonicalDocument | null> => {
    if (vid === "current") return ctx.view.canonical();
    return (await ctx.api.get<VersionDetail>(`/api/documents/${doc.id}/versions/${vid}`)).canonical;
  };
  const compare = async () => {
    const fromId = from || list[list.length - 1]?.id || "";
    if (!fromId) return;
    setBusy(true);
    setProblem(null);
    try {
      const [result, a, b] = await Promise.all([
        ctx.api.get<DocumentComparison>(`/api/documents/${doc.id}/compare?from=${encodeURIComponent(fromId)}&to=${encodeURIComponent(to)}`),
        canonicalOf(fromId),
        canonicalOf(to),
      ]);
      setComparison({ result, from: a, to: b, labels: [nameOf(fromId), nameOf(to)] });
      setOpened(null);
      setChanges(null);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="pn-panel pn-versions">
      {chairsDocument(ctx.user, doc) && (
        <form
          class="pn-form pn-inline"
          aria-label={t("versions.saveNamed")}
          onSubmit={(e) => {
            e.preventDefault();
            void save.run(async () => {
              await ctx.api.post(`/api/documents/${doc.id}/versions`, { label: label.trim() });
              setLabel("");
              await versions.reload();
              await ctx.refreshDocument();
            }, t("versions.saved", { label: label.trim() }));
          }}
        >
          <Field id={`${id}-label`} label={t("versions.name")}>
            <input id={`${id}-label`} value={label} placeholder={t("versions.namePlaceholder")} required maxLength={100} onInput={(e) => setLabel(e.currentTarget.value)} />
          </Field>
          <button type="submit" class="pn-primary" disabled={save.busy || !label.trim()}>
            {t("versions.save")}
          </button>
          <ProblemNotice problem={save.problem} />
        </form>
      )}
      {ctx.user.role === "secretariat" && !["draft", "adopted", "signed", "withdrawn"].includes(doc.state) && (
        <div class="pn-form pn-inline" data-action="renumber">
          <p class="pn-hint">{t("versions.renumberHint")}</p>
          <button
            type="button"
            disabled={renumber.busy}
            onClick={() => {
              if (!window.confirm(t("versions.renumberConfirm"))) return;
              void renumber.run(async () => {
                const done = await ctx.api.post<Renumbering>(`/api/documents/${doc.id}/renumber`);
                await versions.reload();
                await ctx.refreshDocument();
                ctx.notify(t("versions.renumbered", { count: done.changed.length }), "info");
              });
            }}
          >
            {t("versions.renumber")}
          </button>
          <ProblemNotice problem={renumber.problem} />
        </div>
      )}
      <ProblemNotice problem={versions.problem ?? problem} />
      <table class="pn-table">
        <caption>{t("versions.of", { symbol: doc.symbol })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("versions.version")}</th>
            <th scope="col">{t("home.symbol")}</th>
            <th scope="col">{t("versions.savedAt")}</th>
            <th scope="col">{t("versions.hash")}</th>
            <th scope="col">
              <span class="pn-sr">{t("members.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((v) => (
            <tr key={v.id} data-version-id={v.id}>
              <td>{v.label}</td>
              <td>{v.symbol}</td>
              <td>{when(v.createdAt)}</td>
              <td>
                <code class="pn-hash" title={v.hash}>
                  {shortHash(v.hash)}
                </code>
              </td>
              <td>
                <button type="button" class="pn-link" onClick={() => void open(v)}>
                  {t("export.open")}
                </button>
                <button type="button" class="pn-link" data-action="changes-since" onClick={() => void changesSince(v.id)}>
                  {t("changes.since")}
                </button>
                <ExportMenu
                  documentId={doc.id}
                  versionId={v.id}
                  compareChoices={list.filter((o) => o.id !== v.id).map((o) => ({ id: o.id, label: `${o.label} (${o.symbol})` }))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length > 0 && (
        <form
          class="pn-form pn-inline"
          aria-label={t("versions.compareVersions")}
          onSubmit={(e) => {
            e.preventDefault();
            void compare();
          }}
        >
          <SelectField id={`${id}-from`} label={t("versions.compare")} value={from || list[list.length - 1]?.id} onChange={setFrom}>
            {list.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </SelectField>
          <SelectField id={`${id}-to`} label={t("versions.with")} value={to} onChange={setTo}>
            <option value="current">{t("versions.currentText")}</option>
            {list.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </SelectField>
          <button type="submit" disabled={busy}>
            {t("versions.compare")}
          </button>
        </form>
      )}
      <div ref={result} />
      {opened && (
        <div class="pn-opened">
          <div class="pn-item-head">
            <h3 class="pn-subhead">
              {opened.label} — {opened.symbol} {t("versions.readOnly")}
            </h3>
            <button type="button" onClick={() => setOpened(null)}>
              {t("panel.close")}
            </button>
          </div>
          <p class="pn-meta">
            {tRich("versions.savedHash", { when: when(opened.createdAt), hash: <code class="pn-hash">{opened.hash}</code> })}
          </p>
          <OfficialText canonical={opened.canonical} label={t("versions.labelReadOnly", { label: opened.label })} />
        </div>
      )}
      {changes && <ChangesSinceView changes={changes} close={() => setChanges(null)} refresh={() => void changesSince(changes.since.versionId)} />}
      {comparison && <ComparisonView comparison={comparison.result} from={comparison.from} to={comparison.to} labels={comparison.labels} />}
    </section>
  );
}

/** The versions panel of the document page. */
export const versionsPanel: Panel = {
  id: "versions",
  title: t("versions.panel"),
  mount: (el, ctx) => mountComponent(el, <VersionsView ctx={ctx} />),
};

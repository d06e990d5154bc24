import { useCallback, useEffect, useState } from "preact/hooks";
import type { ApiClient, DocumentInfo } from "../panels/context.js";
import type { BodyInfo, MeetingInfo, MemberInfo } from "../../schema/api/meetings.js";
import type { DocumentSummary } from "../../schema/api/documents.js";
import { describeError } from "../api/client.js";
import { documentPath, navigate } from "./router.js";
import { KIND_LABELS } from "./words.js";
import { t, formatList, languageName } from "../i18n/index.js";

const BODY_KINDS: Record<BodyInfo["kind"], string> = {
  plenary: t("body.plenary"),
  working_group: t("body.working_group"),
  ad_hoc_group: t("body.ad_hoc_group"),
};

/** The bodies of a meeting and the form with which the secretariat creates one with its chairs. */
export function MeetingBodies(props: { api: ApiClient; meetingId: string }) {
  const { api, meetingId } = props;
  const [bodies, setBodies] = useState<BodyInfo[] | null>(null);
  const [members, setMembers] = useState<Array<{ username: string; displayName: string; active: boolean }>>([]);
  const [form, setForm] = useState({ kind: "working_group" as BodyInfo["kind"], name: "", shortName: "", chairs: [] as string[] });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      const [b, m] = await Promise.all([
        api.get<BodyInfo[]>(`/api/meetings/${meetingId}/bodies`),
        api.get<MemberInfo[]>(`/api/meetings/${meetingId}/members`),
      ]);
      setBodies(b);
      setMembers(m.filter((x) => x.active));
      if (!b.some((x) => x.kind === "plenary")) setForm((f) => ({ ...f, kind: "plenary", name: f.name || t("body.plenaryName"), shortName: f.shortName || t("body.plenaryName") }));
    } catch (e) {
      setError(describeError(e));
    }
  }, [api, meetingId]);
  useEffect(() => void reload(), [reload]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/meetings/${meetingId}/bodies`, form);
      setForm({ kind: "working_group", name: "", shortName: "", chairs: [] });
      await reload();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="setup-columns">
      <ul class="body-list" aria-label={t("home.bodies")}>
        {(bodies ?? []).map((b) => (
          <li key={b.id} data-body={b.shortName}>
            <strong>{b.name}</strong> <span class="muted small">{BODY_KINDS[b.kind]}</span>
            <span class="muted small">{b.chairs.length ? t("home.chairs", { names: formatList(b.chairs.map((c) => c.displayName)) }) : t("body.noChair")}</span>
          </li>
        ))}
        {bodies?.length === 0 && <li class="muted">{t("body.none")}</li>}
      </ul>
      <form class="setup-form" name="new-body" onSubmit={submit} noValidate>
        <h3>{t("body.new")}</h3>
        <label>
          {t("body.kind")}
          <select name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: (e.target as HTMLSelectElement).value as BodyInfo["kind"] })}>
            {(Object.keys(BODY_KINDS) as Array<BodyInfo["kind"]>).map((k) => (
              <option key={k} value={k}>
                {BODY_KINDS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("body.name")}
          <input name="name" value={form.name} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("body.shortName")}
          <input name="shortName" value={form.shortName} onInput={(e) => setForm({ ...form, shortName: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("body.chairs")}
          <select
            name="chairs"
            multiple
            size={Math.min(8, Math.max(3, members.length))}
            onChange={(e) => setForm({ ...form, chairs: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value) })}
          >
            {members.map((m) => (
              <option key={m.username} value={m.username} selected={form.chairs.includes(m.username)}>
                {m.displayName} ({m.username})
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || !form.name || !form.shortName}>
          {t("body.create")}
        </button>
      </form>
    </div>
  );
}

const NEW_KINDS: Array<DocumentInfo["kind"]> = ["declaration", "resolution", "decision", "report", "group_report", "work_programme", "rapporteur_report"];

/** "New document": a blank document (its title and one empty operative paragraph) or one from pasted text, in a body of the meeting. */
export function NewDocument(props: { api: ApiClient; meetingId: string }) {
  const { api, meetingId } = props;
  const [bodies, setBodies] = useState<BodyInfo[]>([]);
  const [languages, setLanguages] = useState<string[]>([]);
  const [form, setForm] = useState({ bodyId: "", kind: "resolution" as DocumentInfo["kind"], title: "", symbol: "", language: "", text: "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    Promise.all([api.get<BodyInfo[]>(`/api/meetings/${meetingId}/bodies`), api.get<MeetingInfo>(`/api/meetings/${meetingId}`)])
      .then(([b, m]) => {
        setBodies(b);
        setLanguages(m.languages);
        setForm((f) => ({ ...f, bodyId: f.bodyId || b[0]?.id || "", language: f.language || m.languages[0] || "" }));
      })
      .catch((e) => setError(describeError(e)));
  }, [api, meetingId]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<DocumentSummary>(`/api/meetings/${meetingId}/documents`, {
        bodyId: form.bodyId,
        kind: form.kind,
        title: form.title,
        ...(form.symbol.trim() ? { symbol: form.symbol.trim() } : {}),
        language: form.language,
        ...(form.text.trim() ? { content: { text: form.text } } : {}),
      });
      navigate(documentPath(created.id));
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  if (bodies.length === 0 && !error) return <p class="muted">{t("newDocument.noBody")}</p>;
  return (
    <form class="setup-form" name="new-document" onSubmit={submit} noValidate>
      <label>
        {t("newDocument.body")}
        <select name="bodyId" value={form.bodyId} onChange={(e) => setForm({ ...form, bodyId: (e.target as HTMLSelectElement).value })}>
          {bodies.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("body.kind")}
        <select name="kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: (e.target as HTMLSelectElement).value as DocumentInfo["kind"] })}>
          {NEW_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("settings.title")}
        <input name="title" value={form.title} onInput={(e) => setForm({ ...form, title: (e.target as HTMLInputElement).value })} />
      </label>
      <label>
        {t("home.symbol")} <span class="muted small">{t("newDocument.symbolHint")}</span>
        <input name="symbol" value={form.symbol} onInput={(e) => setForm({ ...form, symbol: (e.target as HTMLInputElement).value })} />
      </label>
      <label>
        {t("newDocument.language")}
        <select name="language" value={form.language} onChange={(e) => setForm({ ...form, language: (e.target as HTMLSelectElement).value })}>
          {languages.map((l) => (
            <option key={l} value={l}>
              {languageName(l)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("newDocument.text")} <span class="muted small">{t("newDocument.textHint")}</span>
        <textarea name="text" rows={6} value={form.text} onInput={(e) => setForm({ ...form, text: (e.target as HTMLTextAreaElement).value })} />
      </label>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy || !form.title.trim() || !form.bodyId}>
        {t("newDocument.create")}
      </button>
    </form>
  );
}

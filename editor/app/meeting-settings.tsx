import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "../panels/context.js";
import type { DelegationInfo, MeetingInfo } from "../../schema/api/meetings.js";
import { describeError } from "../api/client.js";
import { KNOWN_DELEGATIONS, MEETING_LANGUAGES } from "../../schema/delegations.js";
import { meetingPath, navigate } from "./router.js";
import { t, formatNumber, language, languageName } from "../i18n/index.js";

const KIND_HEADINGS = {
  state: t("settings.states"),
  observer_state: t("settings.observerStates"),
  group: t("settings.groups"),
  organisation: t("settings.organisations"),
} as const;

interface Fields {
  title: string;
  seriesSymbol: string;
  venue: string;
  startsOn: string;
  endsOn: string;
  languages: string[];
  delegations: string[];
}

const EMPTY: Fields = { title: "", seriesSymbol: "", venue: "", startsOn: "", endsOn: "", languages: ["en"], delegations: [] };

/**
 * A meeting's settings: title, series symbol, venue, dates, languages and the delegations
 * picked from the built-in list (every UN member state, observer states, groups and
 * organisations). Creates a meeting (administrator) when no `meetingId` is given.
 */
export function MeetingSettings(props: { api: ApiClient; meetingId: string | null }) {
  const { api, meetingId } = props;
  const [fields, setFields] = useState<Fields | null>(meetingId ? null : EMPTY);
  const [filter, setFilter] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!meetingId) return;
    Promise.all([api.get<MeetingInfo>(`/api/meetings/${meetingId}`), api.get<DelegationInfo[]>(`/api/meetings/${meetingId}/delegations`)])
      .then(([m, d]) =>
        setFields({
          title: m.title,
          seriesSymbol: m.seriesSymbol,
          venue: m.venue,
          startsOn: m.startsOn ?? "",
          endsOn: m.endsOn ?? "",
          languages: m.languages,
          delegations: d.map((x) => x.code),
        }),
      )
      .catch((e) => setError(describeError(e)));
  }, [api, meetingId]);

  if (!fields) return <p class="muted">{error ?? t("settings.loading")}</p>;
  const set = (patch: Partial<Fields>) => {
    setSaved(false);
    setFields({ ...fields, ...patch });
  };
  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const needle = filter.trim().toLowerCase();
  const shown = KNOWN_DELEGATIONS.filter(
    (d) => !needle || d.code.toLowerCase().includes(needle) || d.name.toLowerCase().includes(needle) || d.nameEs.toLowerCase().includes(needle),
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = { ...fields, startsOn: fields.startsOn || null, endsOn: fields.endsOn || null };
    try {
      if (meetingId) {
        await api.patch(`/api/meetings/${meetingId}`, body);
        setSaved(true);
      } else {
        const created = await api.post<MeetingInfo>("/api/meetings", body);
        navigate(meetingPath(created.id, "members"));
      }
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="setup-form" name="meeting" onSubmit={submit} noValidate>
      <label>
        {t("settings.title")}
        <input name="title" required value={fields.title} onInput={(e) => set({ title: (e.target as HTMLInputElement).value })} />
      </label>
      <div class="row">
        <label>
          {t("settings.seriesSymbol")}
          <input name="seriesSymbol" required value={fields.seriesSymbol} onInput={(e) => set({ seriesSymbol: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("settings.venue")}
          <input name="venue" value={fields.venue} onInput={(e) => set({ venue: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("settings.startsOn")}
          <input name="startsOn" type="date" value={fields.startsOn} onInput={(e) => set({ startsOn: (e.target as HTMLInputElement).value })} />
        </label>
        <label>
          {t("settings.endsOn")}
          <input name="endsOn" type="date" value={fields.endsOn} onInput={(e) => set({ endsOn: (e.target as HTMLInputElement).value })} />
        </label>
      </div>
      <fieldset>
        <legend>{t("settings.languages")}</legend>
        {MEETING_LANGUAGES.map((code) => (
          <label key={code} class="check">
            <input
              type="checkbox"
              name="language"
              value={code}
              checked={fields.languages.includes(code)}
              onChange={() => set({ languages: toggle(fields.languages, code) })}
            />
            {languageName(code)}
          </label>
        ))}
      </fieldset>
      <fieldset class="delegation-picker">
        <legend>
          {t("settings.delegations")} <span class="muted small">{t("settings.chosen", { count: fields.delegations.length, n: formatNumber(fields.delegations.length) })}</span>
        </legend>
        <input
          type="search"
          name="delegation-filter"
          aria-label={t("settings.find")}
          placeholder={t("settings.findPlaceholder")}
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
        />
        <div class="delegation-columns">
          {(Object.keys(KIND_HEADINGS) as Array<keyof typeof KIND_HEADINGS>).map((kind) => {
            const list = shown.filter((d) => d.kind === kind);
            if (list.length === 0) return null;
            return (
              <div key={kind}>
                <h3>{KIND_HEADINGS[kind]}</h3>
                {list.map((d) => (
                  <label key={d.code} class="check" title={language() === "es" ? d.name : d.nameEs}>
                    <input
                      type="checkbox"
                      name="delegation"
                      value={d.code}
                      checked={fields.delegations.includes(d.code)}
                      onChange={() => set({ delegations: toggle(fields.delegations, d.code) })}
                    />
                    <span class="code">{d.code}</span> {language() === "es" ? d.nameEs : d.name}
                  </label>
                ))}
              </div>
            );
          })}
        </div>
      </fieldset>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {saved && (
        <p class="pn-ok" role="status">
          {t("settings.saved")}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {meetingId ? t("settings.save") : t("settings.create")}
      </button>
    </form>
  );
}

import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, type ApiClient, type SessionUser } from "../panels/context.js";
import { describeError } from "../api/client.js";
import { ROLE_LABELS } from "./words.js";
import { t, tRich } from "../i18n/index.js";
import type { DelegationInfo, MemberAdded, MemberInfo, MemberLineError, MembersImported, SetupLinkIssued } from "../../schema/api/meetings.js";

/** A setup link just issued, to show (and print) for the person it is for. */
interface IssuedLink {
  username: string;
  displayName: string;
  setupUrl: string;
}

// Every role a member's row offers; a translator is given languages before the change is sent.
const ROLES = Object.keys(ROLE_LABELS) as Array<SessionUser["role"]>;

/** A translator's languages as typed, codes separated by commas or spaces ("es, fr"). */
function languageCodes(text: string): string[] {
  return text.split(/[\s,]+/).map((l) => l.trim().toLowerCase()).filter(Boolean);
}
const CSV_HEADER = "username,displayName,role,delegation,email";

/** Setup links as a list to print or hand over; no e-mail server is needed. */
function IssuedLinks(props: { links: IssuedLink[]; onClear: () => void }) {
  if (props.links.length === 0) return null;
  return (
    <section class="issued-links" aria-label={t("members.setupLinks")}>
      <h3>{t("members.setupLinks")}</h3>
      <p class="muted small">{t("members.linksHint")}</p>
      <table class="members">
        <tbody>
          {props.links.map((l) => (
            <tr key={l.setupUrl} data-setup-for={l.username}>
              <td>{l.displayName}</td>
              <td class="code">{l.username}</td>
              <td>
                <a href={l.setupUrl} class="setup-url">
                  {l.setupUrl}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => window.print()}>
        {t("members.print")}
      </button>{" "}
      <button type="button" class="link-button" onClick={props.onClear}>
        {t("members.hideLinks")}
      </button>
    </section>
  );
}

/**
 * The members of a meeting for its secretariat: add one, import a CSV file (all or
 * nothing, every wrong line named), change a role or delegation, deactivate, and hand out
 * setup links to choose or reset a password.
 */
export function MeetingMembers(props: { api: ApiClient; meetingId: string }) {
  const { api, meetingId } = props;
  const base = `/api/meetings/${meetingId}`;
  const [members, setMembers] = useState<MemberInfo[] | null>(null);
  const [delegations, setDelegations] = useState<Array<{ code: string; name: string }>>([]);
  const [links, setLinks] = useState<IssuedLink[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [lineErrors, setLineErrors] = useState<MemberLineError[]>([]);
  const [form, setForm] = useState({ username: "", displayName: "", role: "delegate", delegation: "", email: "", languages: "" });
  const [csv, setCsv] = useState("");
  const [busy, setBusy] = useState(false);
  // The member being made a translator: the server needs their languages with the role.
  const [languagesFor, setLanguagesFor] = useState<{ userId: string; text: string } | null>(null);

  const reload = useCallback(async () => {
    try {
      const [m, d] = await Promise.all([api.get<MemberInfo[]>(`${base}/members`), api.get<DelegationInfo[]>(`${base}/delegations`)]);
      setMembers(m);
      setDelegations(d);
    } catch (e) {
      setError(describeError(e));
    }
  }, [api, base]);
  useEffect(() => void reload(), [reload]);

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setLineErrors([]);
    try {
      await what();
      await reload();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const add = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      const { languages, ...fields } = form;
      const codes = languageCodes(languages);
      const body = { ...fields, delegation: form.delegation || null, email: form.email || null, ...(form.role === "translator" ? { languages: codes } : {}) };
      const res = await api.post<MemberAdded>(`${base}/members`, body);
      if (res.setupUrl) setLinks((l) => [...l, { username: res.member.username, displayName: res.member.displayName, setupUrl: res.setupUrl! }]);
      setForm({ ...form, username: "", displayName: "", email: "" });
    });
  };

  const importCsv = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      // The JSON client cannot send text/csv; this one call goes by fetch with the same token.
      const token = (api as { csrfToken?: string | null }).csrfToken ?? "";
      const response = await fetch(`${base}/members/import`, {
        method: "POST",
        headers: { "content-type": "text/csv", "x-csrf-token": token, accept: "application/json" },
        credentials: "same-origin",
        body: csv,
      });
      if (!response.ok) {
        // A refused list (400) names every wrong line beside its sentence; other error answers have only the sentence.
        const refused = (await response.json().catch(() => ({}))) as { error?: string; errors?: MemberLineError[] };
        setLineErrors(refused.errors ?? []);
        throw new ApiError(response.status, refused.error ?? "the import failed");
      }
      const { created } = (await response.json()) as MembersImported;
      setLinks((l) => [
        ...l,
        ...created.filter((c) => c.setupUrl).map((c) => ({ username: c.member.username, displayName: c.member.displayName, setupUrl: c.setupUrl! })),
      ]);
      setCsv("");
    });
  };

  const readFile = async (event: Event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) setCsv(await file.text());
  };

  const change = (member: MemberInfo, patch: Record<string, unknown>) =>
    act(async () => {
      const res = await api.patch<MemberInfo | SetupLinkIssued>(`${base}/members/${member.userId}`, patch);
      if ("setupUrl" in res && res.setupUrl) setLinks((l) => [...l, { username: member.username, displayName: member.displayName, setupUrl: res.setupUrl! }]);
    });

  return (
    <div class="members-section">
      <IssuedLinks links={links} onClear={() => setLinks([])} />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {lineErrors.length > 0 && (
        <ul class="line-errors" aria-label={t("members.wrongLines")}>
          {lineErrors.map((e) => (
            <li key={e.line}>
              {t("members.line", { line: e.line, error: e.error })}
            </li>
          ))}
        </ul>
      )}
      <div class="setup-columns">
        <form class="setup-form" name="add-member" onSubmit={add} noValidate>
          <h3>{t("members.add")}</h3>
          <label>
            {t("login.username")}
            <input name="username" autocapitalize="none" value={form.username} onInput={(e) => setForm({ ...form, username: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            {t("body.name")}
            <input name="displayName" value={form.displayName} onInput={(e) => setForm({ ...form, displayName: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            {t("members.role")}
            <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: (e.target as HTMLSelectElement).value })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </label>
          {form.role === "translator" && (
            <label>
              {t("members.languages")}
              <input name="languages" placeholder="es, fr" value={form.languages} onInput={(e) => setForm({ ...form, languages: (e.target as HTMLInputElement).value })} />
            </label>
          )}
          <label>
            {t("members.delegation")}
            <select name="delegation" value={form.delegation} onChange={(e) => setForm({ ...form, delegation: (e.target as HTMLSelectElement).value })}>
              <option value="">{t("members.none")}</option>
              {delegations.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.code} · {d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("members.email")}
            <input name="email" type="email" value={form.email} onInput={(e) => setForm({ ...form, email: (e.target as HTMLInputElement).value })} />
          </label>
          <button type="submit" class="primary" disabled={busy || !form.username || !form.displayName}>
            {t("members.addButton")}
          </button>
        </form>
        <form class="setup-form" name="import-members" onSubmit={importCsv} noValidate>
          <h3>{t("members.importCsv")}</h3>
          <p class="muted small">
            {tRich("members.csvHint", { header: <code>{CSV_HEADER}</code> })}
          </p>
          <input type="file" name="csv-file" accept=".csv,text/csv" aria-label={t("members.csvFile")} onChange={readFile} />
          <textarea name="csv" rows={8} aria-label={t("members.csvText")} placeholder={CSV_HEADER} value={csv} onInput={(e) => setCsv((e.target as HTMLTextAreaElement).value)} />
          <button type="submit" class="primary" disabled={busy || csv.trim() === ""}>
            {t("members.import")}
          </button>
        </form>
      </div>
      <table class="members" aria-label={t("home.members")}>
        <thead>
          <tr>
            <th scope="col">{t("body.name")}</th>
            <th scope="col">{t("login.username")}</th>
            <th scope="col">{t("members.role")}</th>
            <th scope="col">{t("members.delegation")}</th>
            <th scope="col">{t("login.password")}</th>
            <th scope="col">{t("members.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(members ?? []).map((m) => (
            <tr key={m.userId} data-member={m.username} class={m.active ? "" : "inactive"}>
              <td>{m.displayName}</td>
              <td class="code">{m.username}</td>
              <td>
                <select
                  aria-label={t("members.roleOf", { username: m.username })}
                  value={languagesFor?.userId === m.userId ? "translator" : m.role}
                  disabled={busy}
                  onChange={(e) => {
                    const role = (e.target as HTMLSelectElement).value;
                    if (role === "translator") setLanguagesFor({ userId: m.userId, text: m.languages.join(", ") });
                    else {
                      setLanguagesFor(null);
                      void change(m, { role });
                    }
                  }}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {languagesFor?.userId === m.userId ? (
                  <form
                    name="member-languages"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void change(m, { role: "translator", delegation: null, languages: languageCodes(languagesFor.text) }).then(() => setLanguagesFor(null));
                    }}
                  >
                    <input
                      name="languages"
                      aria-label={t("members.languagesOf", { username: m.username })}
                      placeholder="es, fr"
                      value={languagesFor.text}
                      onInput={(e) => setLanguagesFor({ userId: m.userId, text: (e.target as HTMLInputElement).value })}
                    />
                    <button type="submit" disabled={busy}>
                      {t("members.makeTranslator")}
                    </button>
                  </form>
                ) : (
                  (m.delegation ?? (m.languages.length ? t("members.translatesInto", { languages: m.languages.join(", ").toUpperCase() }) : ""))
                )}
              </td>
              <td class="muted small">{m.active ? (m.hasPassword ? t("members.passwordChosen") : t("members.awaitingSetup")) : t("members.deactivated")}</td>
              <td>
                <button type="button" class="link-button" disabled={busy} onClick={() => void change(m, { resetPassword: true })}>
                  {t("members.setupLink")}
                </button>
                <button type="button" class="link-button" disabled={busy} onClick={() => void change(m, { active: !m.active })}>
                  {m.active ? t("members.deactivate") : t("members.reactivate")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

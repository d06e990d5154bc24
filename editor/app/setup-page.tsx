import { useEffect, useState } from "preact/hooks";
import type { HttpApiClient } from "../api/client.js";
import { MIN_PASSWORD_LENGTH, type SessionAnswer, type SetupLinkAnswer } from "../../schema/api/session.js";
import { describeError } from "../api/client.js";
import { t, tRich, formatDate } from "../i18n/index.js";

/**
 * The page a setup link opens: the person sees whose account it is and chooses a
 * password (a new member, or one who forgot theirs); the link works once, for 7 days.
 */
export function SetupPage(props: { api: HttpApiClient; token: string; onSignedIn: (answer: SessionAnswer) => void }) {
  const { api, token } = props;
  const [account, setAccount] = useState<{ username: string; displayName: string; expiresAt: string } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `${t("setup.title")} · Accord`;
    api
      .get<SetupLinkAnswer>(`/api/setup/${token}`)
      .then(setAccount)
      .catch((e) => setLoadError(describeError(e)));
  }, [api, token]);

  const problem =
    password.length > 0 && password.length < MIN_PASSWORD_LENGTH
      ? t("setup.tooShort", { min: MIN_PASSWORD_LENGTH, n: password.length })
      : repeat.length > 0 && repeat !== password
        ? t("setup.differ")
        : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await api.post<SessionAnswer>(`/api/setup/${token}`, { password }));
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  return (
    <main class="login-page" data-page="setup">
      <div class="login-card">
        <p class="brand-mark" aria-hidden="true">
          Accord
        </p>
        <h1>{t("setup.title")}</h1>
        {loadError && (
          <p class="form-error" role="alert">
            {loadError}
          </p>
        )}
        {account && (
          <form name="setup" onSubmit={submit} noValidate>
            <p class="muted">
              {tRich("setup.forAccount", {
                name: <strong>{account.displayName}</strong>,
                username: <strong data-username>{account.username}</strong>,
                date: formatDate(account.expiresAt, "long"),
              })}
            </p>
            <input type="text" name="username" autocomplete="username" value={account.username} hidden readOnly />
            <label for="new-password">{t("setup.newPassword")}</label>
            <input
              id="new-password"
              name="password"
              type="password"
              autocomplete="new-password"
              required
              minLength={MIN_PASSWORD_LENGTH}
              value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            />
            <label for="repeat-password">{t("setup.repeat")}</label>
            <input
              id="repeat-password"
              name="repeat"
              type="password"
              autocomplete="new-password"
              required
              value={repeat}
              onInput={(e) => setRepeat((e.target as HTMLInputElement).value)}
            />
            {problem && <p class="muted small">{problem}</p>}
            {error && (
              <p class="form-error" role="alert">
                {error}
              </p>
            )}
            <button type="submit" class="primary" disabled={busy || problem !== null || password.length < MIN_PASSWORD_LENGTH || repeat !== password}>
              {busy ? t("setup.saving") : t("setup.save")}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}

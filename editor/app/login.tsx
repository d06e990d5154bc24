import { useEffect, useState } from "preact/hooks";
import type { HttpApiClient } from "../api/client.js";
import type { SessionAnswer } from "../../schema/api/session.js";
import { describeError } from "../api/client.js";
import { t } from "../i18n/index.js";
import { LanguagePicker } from "../i18n/picker.js";

/**
 * The sign-in page. Errors are announced to screen readers; the password field is a real
 * password field so that password managers and the browser's own protections apply.
 */
export function LoginPage(props: { api: HttpApiClient; onSignedIn: (answer: SessionAnswer) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = `${t("login.title")} · Accord`;
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await props.api.post<SessionAnswer>("/api/session", { username: username.trim(), password });
      props.onSignedIn(answer);
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  return (
    <main class="login-page" data-page="login">
      <div class="login-card">
        <p class="brand-mark" aria-hidden="true">Accord</p>
        <h1>{t("login.title")}</h1>
        <p class="muted">{t("login.tagline")}</p>
        <form name="login" onSubmit={submit} noValidate>
          <label for="username">{t("login.username")}</label>
          <input
            id="username"
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            value={username}
            onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
          />
          <label for="password">{t("login.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
          {error && (
            <p class="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy || !username || !password}>
            {busy ? t("login.signingIn") : t("login.signIn")}
          </button>
        </form>
        <LanguagePicker class="language-picker login-language" />
      </div>
    </main>
  );
}

import { OFFERED_LANGUAGES, chooseLanguage, language, t, type Language } from "./index.js";

/**
 * The interface language chooser (in the app bar and on the sign-in page); each language
 * named in itself. `keep` remembers the choice with the signed-in person on the server.
 */
export function LanguagePicker(props: { class?: string; keep?: (code: Language) => Promise<unknown> }) {
  if (OFFERED_LANGUAGES.length < 2) return null;
  return (
    <select
      class={props.class ?? "language-picker"}
      name="language"
      aria-label={t("app.language")}
      title={t("app.language")}
      value={language()}
      onChange={(e) => void chooseLanguage((e.target as HTMLSelectElement).value as Language, props.keep)}
    >
      {OFFERED_LANGUAGES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

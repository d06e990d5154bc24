/**
 * The interface's language: one i18next instance holding every message catalogue of the
 * editor (en, es, fr, pt), the person's choice remembered in this browser, and dates and
 * numbers formatted for that language through Intl.
 *
 * Catalogues are flat JSON ("area.what": "sentence"), with i18next's `{{name}}`
 * interpolation and `_one`/`_other` plural forms. English is complete and is the fallback:
 * a key missing from another catalogue shows in English. A language is offered in the
 * picker only while its catalogue has every English key (test/i18n.test.ts keeps es, fr
 * and pt equal to en, placeholders and plural forms included).
 *
 * Changing language reloads the page: the document page mounts panels and ProseMirror
 * decorations outside Preact's tree, and a reload redraws every string at once.
 */
import i18next from "i18next";
import type { ComponentChild } from "preact";
import { PARAGRAPH_STATUSES, STATUS_WORDS, type ParagraphStatus } from "../../schema/status.js";
import type { ReasonCode } from "../../schema/lifecycle.js";
import en from "./en.json" with { type: "json" };
import es from "./es.json" with { type: "json" };
import fr from "./fr.json" with { type: "json" };
import pt from "./pt.json" with { type: "json" };

/** The interface languages, each named in itself. */
const LANGUAGES = [
  { code: "en", name: "English" },
  { code: "es", name: "Español" },
  { code: "fr", name: "Français" },
  { code: "pt", name: "Português" },
] as const;

/** One interface language. */
export type Language = (typeof LANGUAGES)[number]["code"];

/** Where this browser remembers the person's choice. */
const LANGUAGE_STORAGE_KEY = "accord.language";

/** The catalogues, by language. */
const CATALOGUES: Record<Language, Record<string, string>> = { en, es, fr, pt };

/** A catalogue key without its plural suffix: what `t()` is called with. */
type BaseKey<K extends string> = K extends `${infer Base}_${"zero" | "one" | "two" | "few" | "many" | "other"}` ? Base : K;

/** A message of the English catalogue (the one every other follows). */
export type MessageKey = BaseKey<keyof typeof en & string>;

/** Values put into a message: `{{name}}` placeholders, and `count` for plural forms. */
type MessageValues = Record<string, string | number>;

/** Whether a catalogue has every English message (only those are offered). */
function complete(language: Language): boolean {
  const own = CATALOGUES[language];
  return Object.keys(en).every((key) => key in own);
}

/** The languages offered in the picker: those whose catalogue is complete. */
export const OFFERED_LANGUAGES = LANGUAGES.filter((l) => complete(l.code));

function isOffered(code: string | null | undefined): code is Language {
  return OFFERED_LANGUAGES.some((l) => l.code === code);
}

function stored(): string | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The language to start in: the remembered choice, else the browser's first offered language, else English. */
function initialLanguage(): Language {
  const remembered = stored();
  if (isOffered(remembered)) return remembered;
  const wanted = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of wanted) {
    const base = tag?.toLowerCase().split("-")[0];
    if (isOffered(base)) return base;
  }
  return "en";
}

/**
 * A catalogue as i18next reads it. Spanish, French and Portuguese have a "many" plural
 * form (a million: "1 millón de documentos"); where a message gives none, its "other"
 * form serves, rather than i18next falling back to English.
 */
function withManyForms(catalogue: Record<string, string>): Record<string, string> {
  const forms = { ...catalogue };
  for (const [key, message] of Object.entries(catalogue)) {
    const many = key.replace(/_other$/, "_many");
    if (many !== key && !(many in forms)) forms[many] = message;
  }
  return forms;
}

const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(LANGUAGES.map((l) => [l.code, { translation: withManyForms(CATALOGUES[l.code]) }])),
  lng: initialLanguage(),
  fallbackLng: "en",
  // Keys are flat and sentences may hold ":" or "."; nothing is split.
  keySeparator: false,
  nsSeparator: false,
  // Preact escapes what it renders; escaping here would show "&amp;" on screen.
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** The language the interface speaks now. */
export function language(): Language {
  const current = i18n.language;
  return isOffered(current) ? current : "en";
}

/** The message `key` in the current language, with `values` put in. */
export function t(key: MessageKey, values?: MessageValues): string {
  return i18n.t(key, values as Record<string, unknown>) as string;
}

/** Whether the English catalogue has `key` (for keys built at run time, such as an error code). */
export function hasMessage(key: string): key is MessageKey {
  return i18n.exists(key, { lng: "en" }) || i18n.exists(`${key}_other`, { lng: "en" });
}

/** Sets `<html lang>` to the interface language, for screen readers, hyphenation and spelling. */
export function applyDocumentLanguage(): void {
  if (typeof document !== "undefined") document.documentElement.lang = language();
}

function remember(code: Language): void {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, code);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

/**
 * Remembers `code` in this browser, and with the person on the server through `keep`
 * when they are signed in (so that another browser speaks it at sign-in), then reloads
 * the page in it.
 */
export async function chooseLanguage(code: Language, keep?: (code: Language) => Promise<unknown>): Promise<void> {
  remember(code);
  // The server failing to keep it must not keep the person from reading their language here.
  await keep?.(code).catch(() => undefined);
  if (code === language()) return;
  void i18n.changeLanguage(code);
  location.reload();
}

/**
 * Once the signed-in person is known: the language they chose, as the server remembers it
 * (`user.language`), wins over this browser's, and the page reloads in it if it is another
 * (returns "reloading"). With none on the server, the choice made in this browser (on the
 * sign-in page, say) is returned for the server to remember.
 */
export function settleLanguage(chosen: string | null | undefined): "reloading" | { keep: Language | null } {
  if (isOffered(chosen)) {
    if (chosen === language()) {
      remember(chosen);
      return { keep: null };
    }
    remember(chosen);
    void i18n.changeLanguage(chosen);
    location.reload();
    return "reloading";
  }
  const here = stored();
  return { keep: isOffered(here) ? here : null };
}

function asDate(value: string | number | Date): Date | null {
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A calendar day ("2027-05-10") names no time zone: it is read, and shown, as that day in UTC. */
function dayOnly(value: string | number | Date): boolean {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** A day in the interface language, e.g. "2 Dec 2026" / "2 dic 2026" (`style` as Intl's dateStyle). */
export function formatDate(value: string | number | Date, style: "short" | "medium" | "long" | "full" = "medium"): string {
  const d = asDate(value);
  const timeZone = dayOnly(value) ? "UTC" : undefined;
  return d ? new Intl.DateTimeFormat(language(), { dateStyle: style, timeZone }).format(d) : String(value);
}

/** From one day to another in the interface language, e.g. "10–12 May 2027" / "10–12 de mayo de 2027". */
export function formatDateRange(from: string, to: string | null | undefined): string {
  const a = asDate(from);
  const b = to ? asDate(to) : null;
  if (!a) return from;
  const format = new Intl.DateTimeFormat(language(), { dateStyle: "long", timeZone: dayOnly(from) ? "UTC" : undefined });
  return b && b.getTime() !== a.getTime() ? format.formatRange(a, b) : format.format(a);
}

/** A day and time in the interface language, e.g. "2 Dec 2026, 09:45". */
export function formatDateTime(value: string | number | Date): string {
  const d = asDate(value);
  return d ? new Intl.DateTimeFormat(language(), { dateStyle: "medium", timeStyle: "short" }).format(d) : String(value);
}

/** A number in the interface language, e.g. "1,234" / "1234" / "12 345". */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(language(), options).format(value);
}

/** A list in the interface language, e.g. "A, B and C" / "A, B y C". */
export function formatList(items: readonly string[], type: "conjunction" | "disjunction" = "conjunction"): string {
  return new Intl.ListFormat(language(), { style: "long", type }).format(items);
}

/**
 * The message `key` with some values that are elements rather than words (a name in
 * bold, a link): the sentence stays whole in the catalogue, and the elements are put in
 * where its `{{name}}` placeholders are.
 */
export function tRich(key: MessageKey, values: Record<string, ComponentChild>): ComponentChild[] {
  const marks = Object.fromEntries(Object.keys(values).map((name) => [name, `\u0000${name}\u0000`]));
  const message = i18n.t(key, marks) as string;
  return message.split("\u0000").map((part, i) => (i % 2 === 1 ? values[part] : part));
}

/** A language's name in the interface language, e.g. "Spanish" / "español" (Intl's own names). */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([language()], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A document state's name in the interface language (`state.<state>`), or the state itself if the catalogue has none. */
export function stateLabel(state: string): string {
  return hasMessage(`state.${state}`) ? t(`state.${state}` as MessageKey) : state.replace(/_/g, " ");
}

/** How the server names a paragraph status in a sentence ("agreed in plenary", "green", "ad ref"), by its key. */
const STATUS_PHRASES: Record<ParagraphStatus, MessageKey> = {
  white: "status.phrase.white",
  yellow: "status.phrase.yellow",
  green: "status.phrase.green",
  ad_ref: "status.phrase.ad_ref",
};

/** A paragraph status the server named (by its words or its key) in the interface language, or as it came if it is none. */
function statusPhrase(named: string): string {
  const status = PARAGRAPH_STATUSES.find((s) => STATUS_WORDS[s] === named || s === named.replace(" ", "_"));
  return status ? t(STATUS_PHRASES[status]) : named;
}

/**
 * A reason the server gave (a guard's sentence: "amendment A1 tabled on OP5") in the
 * interface language, by the code and values it sent beside it (`reasonCodes`,
 * `blockerCodes`), else the server's English sentence.
 */
export function reasonSentence(reason: string, code: ReasonCode | null | undefined): string {
  return codeSentence(code?.code, code?.params) ?? reason;
}

/**
 * The catalogue's sentence for a stable code of the API (an error's, an access reason's:
 * `error.<code>`), with the values the server named put in, states in the interface
 * language, languages by their names; null in English or if the catalogue has none, so that
 * the server's sentence shows.
 */
export function codeSentence(code: string | null | undefined, params: Record<string, string | number> = {}): string | null {
  return code ? catalogueSentence(`error.${code}`, params) : null;
}

/**
 * An action the server said a guard blocked (`doingCode`: `amendment.accept` {amendment:
 * "A3"}) in the interface language, from the catalogue's `action.<code>`; null in English or
 * if the catalogue has none, so that the server's phrase shows.
 */
export function actionSentence(code: ReasonCode | null | undefined): string | null {
  return code ? catalogueSentence(`action.${code.code}`, code.params) : null;
}

/** The catalogue's message `key` with the server's values put in (see `codeSentence`), or null. */
function catalogueSentence(key: string, params: Record<string, string | number> = {}): string | null {
  // The server's own sentence is the English one, and more precise than the catalogue's:
  // a language whose catalogue lacks the code shows it too.
  const own = CATALOGUES[language()];
  if (language() === "en" || !(key in own || `${key}_other` in own) || !hasMessage(key)) return null;
  const values: MessageValues = { ...params };
  for (const name of ["state", "to"]) if (typeof params[name] === "string") values[name] = stateLabel(params[name]);
  if (typeof params.status === "string") values.status = statusPhrase(params.status);
  // Languages are named by their codes ("es", "fr, pt"): said as the interface names them.
  if (typeof params.language === "string" && params.language) values.language = languageName(params.language);
  if (typeof params.languages === "string" && /^[a-z]{2,3}(, [a-z]{2,3})*$/.test(params.languages)) values.languages = formatList(params.languages.split(", ").map(languageName));
  return t(key, values);
}

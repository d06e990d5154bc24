/**
 * The message catalogues of the editor: Spanish, French and Portuguese hold exactly
 * English's keys (French and Portuguese in English's order) with the same placeholders and
 * every plural form their language needs, every key the source asks for exists, and every
 * key exists because the source uses it. At run time each language is offered, and speaks
 * its own words, plural forms, dates, numbers and lists.
 */
import { describe, expect, it, vi } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import en from "../editor/i18n/en.json" with { type: "json" };
import es from "../editor/i18n/es.json" with { type: "json" };
import fr from "../editor/i18n/fr.json" with { type: "json" };
import pt from "../editor/i18n/pt.json" with { type: "json" };

/** The catalogues translated from English, by language. */
const TRANSLATIONS: Record<string, Record<string, string>> = { es, fr, pt };
const EDITOR = join(import.meta.dirname, "..", "editor");
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every .ts/.tsx file of the editor's source (the bundle in dist/ left out). */
function sources(dir = EDITOR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "dist" ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const code = sources()
  .map((file) => readFileSync(file, "utf8"))
  .join("\n");
const base = (key: string) => key.replace(PLURAL, "");
const placeholders = (message: string) => [...message.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

/**
 * Keys the editor builds at run time rather than writes out, by prefix: an API error code
 * is looked up as `error.<code>` and a blocked action's as `action.<code>`
 * (editor/i18n/index.ts), a state shown as a badge as `badge.<state>`
 * (editor/panels/ui/common.tsx).
 */
const BUILT_AT_RUN_TIME = ["error.", "action.", "badge."];

describe("message catalogues", () => {
  it("Spanish, French and Portuguese have English's keys, no more and no fewer", () => {
    for (const [language, catalogue] of Object.entries(TRANSLATIONS)) {
      expect(Object.keys(catalogue).filter((k) => !(k in en)).map((k) => `${language}: ${k}`)).toEqual([]);
      expect(Object.keys(en).filter((k) => !(k in catalogue)).map((k) => `${language}: ${k}`)).toEqual([]);
    }
  });

  it("French and Portuguese keep English's key order, so that the files read side by side", () => {
    expect(Object.keys(fr)).toEqual(Object.keys(en));
    expect(Object.keys(pt)).toEqual(Object.keys(en));
  });

  it("every plural message has each form its language's plural rules ask for", () => {
    const missing: string[] = [];
    // A plural message is one with an "other" form ("error.comment.too_many" is no plural).
    const plurals = Object.keys(en).filter((k) => k.endsWith("_other")).map(base);
    for (const [language, catalogue] of Object.entries(TRANSLATIONS)) {
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const key of plurals)
        for (const category of categories) {
          // The "many" form (a million) falls back to "other" in editor/i18n/index.ts.
          const form = category === "many" ? "other" : category;
          if (!(`${key}_${form}` in catalogue)) missing.push(`${language}: ${key}_${form}`);
        }
    }
    expect(missing).toEqual([]);
  });

  it("every translation has the English message's placeholders and is not empty", () => {
    const wrong: string[] = [];
    for (const [language, catalogue] of Object.entries(TRANSLATIONS)) {
      for (const [key, message] of Object.entries(catalogue)) {
        const english = placeholders((en as Record<string, string>)[key] ?? "");
        const own = placeholders(message);
        // The server's sentence may name an English word (the act refused, a list of states)
        // that a translation of its code leaves out; it names no value the sentence lacks.
        const fits = key.startsWith("error.") ? own.every((name) => english.includes(name)) : own.join() === english.join();
        if (!message.trim() || !fits) wrong.push(`${language} ${key}: ${message}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("every key the source asks t() for exists in English", () => {
    const asked = [...code.matchAll(/\b(?:t|tRich)\(\s*["'`]([^"'`$]+)["'`]/g)].map((m) => m[1] as string);
    expect(asked.length).toBeGreaterThan(0);
    const known = new Set(Object.keys(en).map(base));
    expect([...new Set(asked.filter((key) => !known.has(key)))]).toEqual([]);
  });

  it("every English key is used by the source", () => {
    const unused = [...new Set(Object.keys(en).map(base))].filter(
      (key) => !BUILT_AT_RUN_TIME.some((prefix) => key.startsWith(prefix)) && !code.includes(`"${key}"`),
    );
    expect(unused).toEqual([]);
  });
});

describe("the interface language at run time", () => {
  it("a remembered Spanish choice gives Spanish messages, plural forms (a million included), and Intl's dates, numbers and lists", async () => {
    vi.stubGlobal("localStorage", { getItem: (key: string) => (key === "accord.language" ? "es" : null), setItem: () => undefined });
    vi.resetModules();
    const i18n = await import("../editor/i18n/index.js");
    expect(i18n.language()).toBe("es");
    expect(i18n.t("state.agreed_ad_ref")).toBe("Aprobado ad referéndum");
    expect(i18n.t("meetings.documents", { count: 1, n: "1" })).toBe("1 documento");
    expect(i18n.t("meetings.documents", { count: 3, n: "3" })).toBe("3 documentos");
    expect(i18n.t("meetings.documents", { count: 1_000_000, n: i18n.formatNumber(1_000_000) })).toMatch(/documentos$/);
    expect(i18n.formatDateRange("2009-03-25", "2009-03-27")).toBe("25–27 de marzo de 2009");
    expect(i18n.formatList(["ARG", "BRA", "CHL"])).toBe("ARG, BRA y CHL");
    expect(i18n.codeSentence("text.frozen", { state: "adopted" })).toBe("el documento está en estado «Aprobado»; su texto ya no puede cambiar");
    expect(i18n.codeSentence("no.such_code", {})).toBeNull();
    // A count picks the plural form; a language code is said by its name.
    expect(i18n.codeSentence("bracket.clean_text_open", { count: 1 })).toBe("el texto limpio existe cuando no queda ningún corchete abierto; queda 1");
    expect(i18n.codeSentence("bracket.clean_text_open", { count: 3 })).toBe("el texto limpio existe cuando no queda ningún corchete abierto; quedan 3");
    expect(i18n.codeSentence("language.other_language", { languages: "es, pt", language: "fr" })).toBe("usted traduce al español y portugués; esta es la versión en francés");
    // A guard's reason is worded by its code; a status the server names in words is said in Spanish; without a code the English shows.
    expect(i18n.reasonSentence("es: PP2 is outdated", { code: "translation.outdated", params: { language: "es", paragraph: "PP2" } })).toBe("español: PP2 está desactualizado");
    expect(i18n.reasonSentence("x", { code: "status.locked_by", params: { paragraph: "OP3", status: "agreed in plenary", username: "chair" } })).toBe(
      "OP3 está acordado en el plenario por chair y bloqueado; la Presidencia debe reabrirlo para que su texto pueda cambiar",
    );
    expect(i18n.reasonSentence("OP3 is white", null)).toBe("OP3 is white");
    vi.unstubAllGlobals();
  });

  it("every language is offered in the picker, each named in itself", async () => {
    vi.resetModules();
    const i18n = await import("../editor/i18n/index.js");
    expect(i18n.OFFERED_LANGUAGES.map((l) => `${l.code} ${l.name}`)).toEqual(["en English", "es Español", "fr Français", "pt Português"]);
  });

  it("a remembered French choice gives French messages, plural forms (none and a million included), and Intl's dates, numbers and lists", async () => {
    vi.stubGlobal("localStorage", { getItem: (key: string) => (key === "accord.language" ? "fr" : null), setItem: () => undefined });
    vi.resetModules();
    const i18n = await import("../editor/i18n/index.js");
    expect(i18n.language()).toBe("fr");
    expect(i18n.t("state.agreed_ad_ref")).toBe("Approuvé ad referendum");
    // French puts none in the singular ("0 document"); a million is the "many" form, worded as "other".
    expect(i18n.t("meetings.documents", { count: 0, n: "0" })).toBe("0 document");
    expect(i18n.t("meetings.documents", { count: 1, n: "1" })).toBe("1 document");
    expect(i18n.t("meetings.documents", { count: 3, n: "3" })).toBe("3 documents");
    expect(i18n.t("meetings.documents", { count: 1_000_000, n: i18n.formatNumber(1_000_000) })).toBe("1\u202f000\u202f000 documents");
    expect(i18n.formatDateRange("2009-03-25", "2009-03-27")).toBe("25–27 mars 2009");
    expect(i18n.formatList(["ARG", "BRA", "CHL"])).toBe("ARG, BRA et CHL");
    // French punctuation keeps its no-break space before ";" and inside « ».
    expect(i18n.codeSentence("text.frozen", { state: "adopted" })).toBe("le document est à l'état «\u00a0Adopté\u00a0»\u00a0; son texte ne peut plus changer");
    expect(i18n.codeSentence("bracket.clean_text_open", { count: 1 })).toBe("le texte propre existe lorsqu'aucun crochet n'est ouvert\u00a0; il en reste 1");
    expect(i18n.codeSentence("language.other_language", { languages: "es, pt", language: "fr" })).toBe("vous traduisez en espagnol et portugais\u00a0; ceci est la version en français");
    expect(i18n.reasonSentence("x", { code: "status.locked_by", params: { paragraph: "OP3", status: "agreed in plenary", username: "chair" } })).toBe(
      "OP3 est convenu en plénière par chair et verrouillé\u00a0; la présidence doit le rouvrir avant que son texte puisse être modifié",
    );
    vi.unstubAllGlobals();
  });

  it("a remembered Portuguese choice gives Portuguese messages, plural forms (a million included), and Intl's dates, numbers and lists", async () => {
    vi.stubGlobal("localStorage", { getItem: (key: string) => (key === "accord.language" ? "pt" : null), setItem: () => undefined });
    vi.resetModules();
    const i18n = await import("../editor/i18n/index.js");
    expect(i18n.language()).toBe("pt");
    expect(i18n.t("state.agreed_ad_ref")).toBe("Aprovado ad referendum");
    expect(i18n.t("meetings.documents", { count: 1, n: "1" })).toBe("1 documento");
    expect(i18n.t("meetings.documents", { count: 3, n: "3" })).toBe("3 documentos");
    expect(i18n.t("meetings.documents", { count: 1_000_000, n: i18n.formatNumber(1_000_000) })).toBe("1.000.000 documentos");
    expect(i18n.formatDateRange("2009-03-25", "2009-03-27")).toMatch(/^25\s–\s27 de março de 2009$/);
    expect(i18n.formatList(["ARG", "BRA", "CHL"])).toBe("ARG, BRA e CHL");
    expect(i18n.codeSentence("text.frozen", { state: "adopted" })).toBe("o documento está no estado “Adotado”; seu texto já não pode mudar");
    expect(i18n.codeSentence("bracket.clean_text_open", { count: 3 })).toBe("o texto limpo existe quando não resta nenhum colchete aberto; restam 3");
    expect(i18n.codeSentence("language.other_language", { languages: "es, fr", language: "pt" })).toBe("você traduz para espanhol e francês; esta é a versão em português");
    expect(i18n.reasonSentence("es: PP2 is outdated", { code: "translation.outdated", params: { language: "es", paragraph: "PP2" } })).toBe("espanhol: PP2 está desatualizado");
    vi.unstubAllGlobals();
  });

  it("an error is worded by its code where the catalogue has it, else shows the server's English sentence", async () => {
    // A code that the catalogue lacks (a newer server's) shows as the server wrote it.
    vi.stubGlobal("localStorage", { getItem: (key: string) => (key === "accord.language" ? "es" : null), setItem: () => undefined });
    vi.resetModules();
    const i18n = await import("../editor/i18n/index.js");
    expect(i18n.codeSentence("language.version_exists", { language: "es" })).toBe("el documento ya tiene una versión en español");
    const client = await import("../editor/api/client.js");
    const { ApiError } = await import("../editor/panels/context.js");
    const known = new ApiError(409, "the document already has a es version", [], "language.version_exists", { language: "es" });
    expect(client.errorSentence(known)).toBe("el documento ya tiene una versión en español");
    const unknown = new ApiError(409, "a sentence of a newer server", [], "newer.code", {});
    expect(client.errorSentence(unknown)).toBe("a sentence of a newer server");
    // What was blocked, and why, each by its own code.
    const blocked = client.apiErrorOf(
      409,
      {
        error: "A3 cannot be accepted: OP2 is agreed in plenary and locked; the chair must reopen it before its text can change",
        code: "action.blocked",
        params: { doing: "A3 cannot be accepted", reason: "OP2 is agreed in plenary and locked; the chair must reopen it before its text can change" },
        reasons: ["OP2 is agreed in plenary and locked; the chair must reopen it before its text can change"],
        reasonCodes: [{ code: "status.locked", params: { paragraph: "OP2", status: "agreed in plenary" } }],
        doingCode: { code: "amendment.accept", params: { amendment: "A3" } },
      },
      "failed",
    );
    const notClean = client.apiErrorOf(
      409,
      {
        error: "the document is not clean: 3 brackets open (PP8, OP4); OP9 is still white (not agreed)",
        code: "document.not_clean",
        params: { blockers: 4 },
        summary: ["3 brackets open (PP8, OP4)", "OP9 is still white (not agreed)"],
        summaryCodes: [{ code: "not_clean.brackets_open_in", params: { count: 3, paragraphs: "PP8, OP4" } }, { code: "status.still_white", params: { paragraph: "OP9" } }],
      },
      "failed",
    );
    expect(client.errorSentence(notClean)).toBe("el documento no está limpio: 3 corchetes abiertos (PP8, OP4); OP9 sigue en blanco (no acordado)");
    const invalid = client.apiErrorOf(
      400,
      {
        error: "invalid request: password: Invalid input: expected string, received undefined",
        code: "request.invalid",
        params: { reasons: "password: Invalid input: expected string, received undefined" },
        reasons: ["password: Invalid input: expected string, received undefined"],
        reasonCodes: [{ code: "validation.required", params: { field: "password" } }],
      },
      "failed",
    );
    expect(client.errorSentence(invalid)).toBe("solicitud no válida: password: obligatorio");
    expect(client.errorSentence(blocked)).toBe("A3 no puede aceptarse: OP2 está acordado en el plenario y bloqueado; la presidencia debe reabrirlo para que su texto pueda cambiar");
    vi.unstubAllGlobals();
  });
});

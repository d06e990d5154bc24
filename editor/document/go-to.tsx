import { useState } from "preact/hooks";
import type { ViewAccess } from "../panels/context.js";
import { t } from "../i18n/index.js";

/** A citation as typed in the room ("op 4 (b)", "pp3") in the canonical form ("OP4(b)", "PP3"). */
export function normalizeRef(typed: string): string {
  const compact = typed.replace(/\s+/g, "");
  // Letters and numerals inside brackets stay lower case, as numberBlocks writes them.
  return compact.replace(/^(op|pp)/i, (prefix) => prefix.toUpperCase()).replace(/\(([^)]*)\)/g, (_m, inner: string) => `(${inner.toLowerCase()})`);
}

/**
 * "Go to OP4(b)": the chair names a paragraph, everyone jumps to it. Looks the citation up
 * in the canonical form (the same refs the server computes) and scrolls there.
 */
export function GoToParagraph(props: { view: ViewAccess }) {
  const [typed, setTyped] = useState("");
  const [missing, setMissing] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const ref = normalizeRef(typed);
    const found = props.view.canonical().paragraphs.find((p) => p.ref === ref);
    setMissing(!found);
    if (!found) return;
    // Done with the field: the caret goes to the paragraph, so the keys typed next are the text's.
    setTyped("");
    props.view.focusParagraph(found.id);
  };
  return (
    <form class="go-to" role="search" aria-label={t("goTo.label")} onSubmit={submit}>
      <label for="go-to-ref">{t("goTo.goTo")}</label>
      <input
        id="go-to-ref"
        name="ref"
        placeholder="OP4(b)"
        size={7}
        autocomplete="off"
        spellcheck={false}
        aria-invalid={missing}
        aria-describedby={missing ? "go-to-missing" : undefined}
        value={typed}
        onInput={(e) => {
          setTyped((e.target as HTMLInputElement).value);
          setMissing(false);
        }}
      />
      {missing && (
        <span id="go-to-missing" class="go-to-missing" role="status">
          {t("goTo.missing", { ref: normalizeRef(typed) })}
        </span>
      )}
    </form>
  );
}

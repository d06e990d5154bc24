import { replaceBlockText } from "../../schema/index.js";
import { runCommand } from "../commands/command.js";
import type { AppContext } from "../context.js";
import { documentRow } from "../documents/documents.js";
import { documentText } from "../documents/paragraphs.js";
import type { DemoMeeting } from "../seed/demo.js";
import { DECLARATION_ES } from "../seed/texts.js";
import { markTranslated } from "./status.js";
import { createLanguageVersion } from "./versions.js";

/**
 * The demo's Spanish version of the declaration: added by the secretariat, written and
 * marked translated paragraph by paragraph by `translator.es`, all against the text as
 * circulated. The amendments the chair then accepts (the amendments' seed, which runs
 * after this one) leave those paragraphs outdated.
 */
export function seedLanguages(ctx: AppContext, demo: DemoMeeting): void {
  const secretariat = demo.users.secretariat!;
  const translator = demo.users["translator.es"]!;
  runCommand(ctx, (tx) => {
    const original = documentRow(ctx, demo.documents.declaration!)!;
    const es = createLanguageVersion(tx, secretariat, original, "es");
    const ids = documentText(ctx, es.id).paragraphs.map((p) => p.id);
    tx.changeText(es.id, translator, (fragment) => {
      ids.forEach((_id, index) => {
        const text = DECLARATION_ES[index];
        if (text) replaceBlockText(fragment, index, [{ text }]);
      });
    });
    const row = documentRow(ctx, es.id)!;
    for (const id of ids) markTranslated(tx, translator, row, id);
  });
}

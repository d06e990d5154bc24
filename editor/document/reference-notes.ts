import type { EditorView } from "prosemirror-view";
import { describeError } from "../api/client.js";
import { t } from "../i18n/index.js";
import type { ApiClient } from "../panels/context.js";
import { setReferenceNotes } from "./plugins/reference-notes.js";
import type { ReferenceNote } from "../../schema/api/footnotes.js";

type Notify = (message: string, kind?: "error" | "info") => void;

/** Reads the document's reference footnotes and draws them in the text. */
export async function showReferenceNotes(api: ApiClient, documentId: string, view: EditorView): Promise<void> {
  const notes = await api.get<ReferenceNote[]>(`/api/documents/${documentId}/footnotes`);
  view.dispatch(
    setReferenceNotes(
      view.state,
      notes.map((n) => ({
        id: n.id,
        paragraphId: n.paragraphId,
        anchor: n.anchor,
        offset: n.offset,
        fellBack: n.placement === "end",
        text: n.text,
        fellBackNote: t("footnotes.fellBack"),
      })),
    ),
  );
}

/** The secretariat's "Footnote" action: a reference footnote at the caret, its text asked for. */
export async function addReferenceNoteAtCaret(api: ApiClient, documentId: string, view: EditorView, notify: Notify): Promise<void> {
  const { $head } = view.state.selection;
  const paragraphId = $head.parent.attrs.id as string | undefined;
  if (!paragraphId || !$head.parent.isTextblock) {
    notify(t("footnotes.noCaret"), "error");
    return;
  }
  // The API counts offsets in the NFC text, as the exports print it.
  const offset = $head.parent.textContent.slice(0, $head.parentOffset).normalize("NFC").length;
  const text = window.prompt(t("footnotes.prompt"));
  if (text === null || !text.trim()) return;
  try {
    await api.post(`/api/documents/${documentId}/footnotes`, { paragraphId, offset, text });
  } catch (error) {
    notify(t("footnotes.notSaved", { error: describeError(error) }), "error");
  }
}

/** The secretariat edits a note whose marker was clicked: a new text, or none to remove it. */
export async function editReferenceNote(api: ApiClient, noteId: string, current: string, notify: Notify): Promise<void> {
  const text = window.prompt(t("footnotes.editPrompt"), current);
  if (text === null || text === current) return;
  try {
    if (text.trim()) await api.patch(`/api/footnotes/${noteId}`, { text });
    else await api.delete(`/api/footnotes/${noteId}`);
  } catch (error) {
    notify(t("footnotes.notSaved", { error: describeError(error) }), "error");
  }
}

import { useEffect, useRef, useState } from "preact/hooks";
import type { EditorView } from "prosemirror-view";
import { TextSelection } from "prosemirror-state";
import { PARAGRAPH_STATUSES, isAgreed, type ParagraphStatus } from "../../schema/status.js";
import { STATUS_LABELS } from "./plugins/status.js";
import { describeError } from "../api/client.js";
import type { ApiClient, SessionUser } from "../panels/context.js";
import { statusMarkOf, type StatusMark } from "./plugins/status.js";
import { reasonSentence, t, formatNumber } from "../i18n/index.js";
import type { StatusBatchResult } from "../../schema/api/status.js";

/** Where the menu was opened: a paragraph's band, and the paragraphs it applies to. */
export interface StatusMenuTarget {
  paragraphId: string;
  band: HTMLElement;
  /** Every paragraph with a status in the selection when the band is in it; else the band's own. */
  paragraphIds: string[];
}

/** The paragraphs with a status that the selection covers, in document order. */
function selectedParagraphs(view: EditorView): string[] {
  const { from, to } = view.state.selection;
  const ids: string[] = [];
  view.state.doc.forEach((node, pos) => {
    if (pos + node.nodeSize <= from || pos >= to) return;
    const id = String(node.attrs.id);
    if (statusMarkOf(view.state, id)) ids.push(id);
  });
  return ids;
}

/**
 * What a click on a band applies to. With Shift, the selection is first stretched to the
 * clicked paragraph (bands as a range picker); a band inside a selection of several
 * paragraphs applies to all of them; otherwise to its own paragraph.
 */
export function statusMenuTarget(view: EditorView, paragraphId: string, band: HTMLElement, extend: boolean): StatusMenuTarget {
  let clicked = -1;
  view.state.doc.forEach((node, pos) => {
    if (String(node.attrs.id) === paragraphId) clicked = pos;
  });
  if (extend && clicked >= 0) {
    const node = view.state.doc.nodeAt(clicked)!;
    const anchor = view.state.selection.anchor;
    const head = clicked + 1 < anchor ? clicked + 1 : clicked + node.nodeSize - 1;
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, anchor, head)));
  } else if (clicked >= 0 && !selectedParagraphs(view).includes(paragraphId)) {
    // The caret goes to the clicked paragraph, so that a Shift+click on another band makes a range from here.
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, clicked + 1)));
  }
  const selected = selectedParagraphs(view);
  const paragraphIds = selected.length > 1 && selected.includes(paragraphId) ? selected : [paragraphId];
  return { paragraphId, band, paragraphIds };
}

/** A list of refs for a sentence: "OP1, OP2 and OP3". */
function refList(refs: Array<string | null>): string {
  const named = refs.map((r) => r ?? t("statusMenu.aParagraph"));
  return named.length <= 1 ? (named[0] ?? "") : t("statusMenu.refList", { first: named.slice(0, -1).join(", "), last: named.at(-1) ?? "" });
}

/** One notice for a whole batch: what changed, and each refusal with its reason. */
function batchSummary(answer: StatusBatchResult): { message: string; kind: "info" | "error" } {
  const parts: string[] = [];
  if (answer.changed.length > 0) parts.push(`${refList(answer.changed.map((c) => c.ref))}: ${STATUS_LABELS[answer.status]}.`);
  for (const refused of answer.refused) parts.push(t("statusMenu.notChanged", { paragraph: refused.ref ?? t("statusMenu.theParagraph"), reasons: refused.reasons.map((r, i) => reasonSentence(r, refused.reasonCodes?.[i])).join("; ") }));
  if (parts.length === 0) parts.push(t("statusMenu.nothing"));
  return { message: parts.join(" "), kind: answer.refused.length > 0 ? "error" : "info" };
}

/** Whether the user chairs some body (or runs the meeting): the server decides the rest. */
function maySetStatus(user: SessionUser): boolean {
  return user.role === "secretariat" || user.chairOf.length > 0;
}

const ACTION_WORDS: Record<ParagraphStatus, string> = {
  white: t("statusMenu.white"),
  yellow: t("statusMenu.yellow"),
  green: t("statusMenu.green"),
  ad_ref: t("statusMenu.ad_ref"),
};

/**
 * The menu a click on a status band opens: who agreed the paragraph, and for a chair the
 * statuses to give it (or every selected paragraph) in one request. Escape or a click
 * elsewhere closes it; the result comes back as one notice.
 */
export function StatusMenu(props: {
  api: ApiClient;
  user: SessionUser;
  documentId: string;
  view: EditorView;
  target: StatusMenuTarget;
  notify: (message: string, kind?: "info" | "error") => void;
  close: () => void;
}) {
  const { target, close } = props;
  const menu = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && close();
    const onDown = (event: MouseEvent) => {
      const node = event.target as Node;
      if (!menu.current?.contains(node) && !target.band.contains(node)) close();
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", onDown);
    menu.current?.querySelector<HTMLButtonElement>("button")?.focus();
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", onDown);
    };
  }, [target, close]);

  const mark: StatusMark | null = statusMarkOf(props.view.state, target.paragraphId);
  const many = target.paragraphIds.length > 1;
  const rect = target.band.getBoundingClientRect();
  const set = async (status: ParagraphStatus) => {
    setBusy(true);
    try {
      const answer = await props.api.post<StatusBatchResult>(`/api/documents/${props.documentId}/paragraph-statuses`, {
        status,
        paragraphIds: target.paragraphIds,
      });
      const { message, kind } = batchSummary(answer);
      props.notify(message, kind);
      close();
    } catch (error) {
      props.notify(describeError(error), "error");
      setBusy(false);
    }
  };
  return (
    <div
      ref={menu}
      class="status-menu"
      role="dialog"
      aria-label={t("status.form")}
      data-status-menu
      style={{ top: `${rect.top + window.scrollY}px`, left: `${rect.right + window.scrollX + 8}px` }}
    >
      <p class="status-menu-title">
        {many
          ? t("statusMenu.selected", { n: formatNumber(target.paragraphIds.length) })
          : `${mark?.ref ?? t("content.paragraph")}: ${mark ? STATUS_LABELS[mark.status] : t("statusMenu.noStatus")}`}
      </p>
      {!many && mark && isAgreed(mark.status) && (
        <p class="muted">
          {mark.setBy ? t("statusMenu.agreedBy", { name: mark.setBy }) : t("statusMenu.agreed")}
        </p>
      )}
      {maySetStatus(props.user) ? (
        <ul>
          {PARAGRAPH_STATUSES.map((status) => (
            <li key={status}>
              <button type="button" disabled={busy} data-set-status={status} class={`status-choice status-${status}`} onClick={() => void set(status)}>
                <span class={`legend-band status-${status}`} aria-hidden="true" />
                {ACTION_WORDS[status]}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t("statusMenu.chairOnly")}</p>
      )}
      {maySetStatus(props.user) && !many && <p class="hint">{t("statusMenu.range")}</p>}
    </div>
  );
}

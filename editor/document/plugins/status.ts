import { Plugin, PluginKey, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet, type EditorView } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";
import { ySyncPluginKey } from "y-prosemirror";
import { isAgreed, type ParagraphStatus } from "../../../schema/status.js";
import { t, formatDate } from "../../i18n/index.js";

/** Words for a status, as the room says them. */
export const STATUS_LABELS: Record<ParagraphStatus, string> = {
  white: t("statusWord.white"),
  yellow: t("statusWord.yellow"),
  green: t("statusWord.green"),
  ad_ref: t("statusWord.ad_ref"),
};

/** What the page knows of one paragraph's status: the server's, with who set it. */
export interface StatusMark {
  status: ParagraphStatus;
  /** The paragraph's reference (OP3) as the server numbered it. */
  ref: string | null;
  setBy: string | null;
  setAt: string | null;
}

/** What the status plugin knows: the server's statuses by paragraph id, and their decorations. */
interface StatusState {
  statuses: ReadonlyMap<string, StatusMark>;
  decorations: DecorationSet;
}

/** What the page does when someone clicks a status band or tries to change locked text. */
export interface StatusHandlers {
  /** A click on the band of `paragraphId` (the button itself, to place a menu by; `extend`: Shift was held). */
  onBand?(paragraphId: string, band: HTMLElement, extend: boolean): void;
  /** A local edit of a locked paragraph was stopped; `sentence` says why. */
  onLocked?(sentence: string): void;
}

/** Key of the paragraph-status plugin. */
const paragraphStatusKey = new PluginKey<StatusState>("accord-paragraph-status");

/** The sentence saying who agreed a paragraph, and that it is locked. */
function lockSentence(mark: StatusMark): string {
  const by = mark.setBy ? ` ${t("status.by", { name: mark.setBy })}` : "";
  const on = mark.setAt ? ` ${t("statusBand.on", { date: formatDate(mark.setAt) })}` : "";
  return t("statusBand.locked", { paragraph: mark.ref ?? t("statusBand.thisParagraph"), status: STATUS_LABELS[mark.status], by, on });
}

/** The band beside a paragraph: a button, so that a chair can click it to change the status. */
function band(paragraphId: string, mark: StatusMark, handlers: StatusHandlers): (view: EditorView) => HTMLElement {
  return () => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `status-band status-${mark.status}`;
    button.contentEditable = "false";
    button.dataset.decoration = "status";
    button.dataset.statusBand = paragraphId;
    const words = `${mark.ref ?? t("content.paragraph")}: ${STATUS_LABELS[mark.status]}${mark.setBy && mark.status !== "white" ? `, ${t("status.by", { name: mark.setBy })}` : ""}`;
    button.title = words;
    button.setAttribute("aria-label", `${words}. ${t("statusBand.change")}`);
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", (event) => {
      event.preventDefault();
      handlers.onBand?.(paragraphId, button, event.shiftKey);
    });
    return button;
  };
}

/** The lock at the end of an agreed paragraph, with who agreed it. */
function lockNote(mark: StatusMark): () => HTMLElement {
  return () => {
    const note = document.createElement("span");
    note.className = "lock-note";
    note.contentEditable = "false";
    note.dataset.decoration = "lock";
    note.title = lockSentence(mark);
    // The lock itself is drawn by the style sheet: an emoji needs a colour-emoji font,
    // which many machines lack (it showed as an empty box).
    note.textContent = mark.setBy ?? t("statusBand.agreed");
    return note;
  };
}

function statusDecorations(doc: PMNode, statuses: ReadonlyMap<string, StatusMark>, handlers: StatusHandlers): DecorationSet {
  if (statuses.size === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  doc.forEach((node, pos) => {
    const id = String(node.attrs.id);
    const mark = statuses.get(id);
    if (!mark || node.type.name !== "paragraph") return;
    const locked = isAgreed(mark.status);
    decorations.push(
      Decoration.node(pos, pos + node.nodeSize, {
        class: `status status-${mark.status}${locked ? " locked" : ""}`,
        "data-status": mark.status,
        ...(locked ? { "data-locked": "true" } : {}),
        "aria-description": locked ? lockSentence(mark) : `${t("status.status")}: ${STATUS_LABELS[mark.status]}`,
      }),
      Decoration.widget(pos + 1, band(id, mark, handlers), {
        side: -2,
        key: `band:${id}:${mark.status}:${mark.setBy}:${mark.ref}`,
        ignoreSelection: true,
        stopEvent: () => true,
      }),
    );
    if (locked)
      decorations.push(
        Decoration.widget(pos + node.nodeSize - 1, lockNote(mark), { side: 1, key: `lock:${id}:${mark.setBy}:${mark.setAt}`, ignoreSelection: true }),
      );
  });
  return DecorationSet.create(doc, decorations);
}

/** The top-level blocks of `doc` whose id is in `ids`, by id. */
function blocksById(doc: PMNode, ids: ReadonlySet<string>): Map<string, PMNode> {
  const found = new Map<string, PMNode>();
  doc.forEach((node) => {
    const id = String(node.attrs.id);
    if (ids.has(id) && !found.has(id)) found.set(id, node);
  });
  return found;
}

/**
 * Paragraph status (white, yellow, green, ad ref) as a colour band beside each paragraph,
 * which a chair clicks to change it; an agreed paragraph shows a lock with who agreed it,
 * and local edits that would change it are stopped here (the server refuses them too).
 * The statuses are the server's: the page loads them and hands them in with
 * `setParagraphStatuses`, never writing them into the shared text.
 */
export function paragraphStatusPlugin(handlers: StatusHandlers = {}): Plugin<StatusState> {
  return new Plugin<StatusState>({
    key: paragraphStatusKey,
    state: {
      init: () => ({ statuses: new Map(), decorations: DecorationSet.empty }),
      apply(tr, previous): StatusState {
        const next = tr.getMeta(paragraphStatusKey) as ReadonlyMap<string, StatusMark> | undefined;
        if (next) return { statuses: next, decorations: statusDecorations(tr.doc, next, handlers) };
        if (!tr.docChanged) return previous;
        // New blocks have no status yet; recompute so that decorations follow split/joined blocks.
        return { statuses: previous.statuses, decorations: statusDecorations(tr.doc, previous.statuses, handlers) };
      },
    },
    // Only this person's own edits are stopped: the others' arrive through the sync plugin,
    // already accepted by the server.
    filterTransaction(tr, state) {
      if (!tr.docChanged || (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin) return true;
      const statuses = paragraphStatusKey.getState(state)?.statuses;
      if (!statuses) return true;
      const locked = new Set([...statuses].filter(([, mark]) => isAgreed(mark.status)).map(([id]) => id));
      if (locked.size === 0) return true;
      const before = blocksById(state.doc, locked);
      const after = blocksById(tr.doc, locked);
      for (const [id, node] of before) {
        if (after.get(id)?.eq(node)) continue;
        handlers.onLocked?.(lockSentence(statuses.get(id)!));
        return false;
      }
      return true;
    },
    props: {
      decorations: (state) => paragraphStatusKey.getState(state)?.decorations,
    },
  });
}

/** A transaction that replaces the known statuses. */
export function setParagraphStatuses(state: EditorState, statuses: ReadonlyMap<string, StatusMark>): Transaction {
  return state.tr.setMeta(paragraphStatusKey, statuses);
}

/** The known status of a paragraph, or null. */
export function statusMarkOf(state: EditorState, paragraphId: string): StatusMark | null {
  return paragraphStatusKey.getState(state)?.statuses.get(paragraphId) ?? null;
}

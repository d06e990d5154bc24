import { useCallback, useState } from "preact/hooks";
import { t } from "../i18n/index.js";

/** A short message in the page's status area. */
export interface Notice {
  id: number;
  message: string;
  kind: "info" | "error";
}

const INFO_MS = 5000;
const ERROR_MS = 12_000;
let nextNotice = 1;

/** The page's notices and the `notify` function panels get. */
export function useNotices(): [Notice[], (message: string, kind?: "info" | "error") => void, (id: number) => void] {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (message: string, kind: "info" | "error" = "info") => {
      const id = nextNotice++;
      // The same refusal repeated (a burst of refused keystrokes) shows once.
      setNotices((all) => [...all.filter((n) => n.message !== message).slice(-3), { id, message, kind }]);
      window.setTimeout(() => dismiss(id), kind === "error" ? ERROR_MS : INFO_MS);
    },
    [dismiss],
  );
  return [notices, notify, dismiss];
}

/** The status area: polite for information, assertive for errors. */
export function NoticeArea(props: { notices: Notice[]; dismiss: (id: number) => void }) {
  return (
    <div class="notices">
      <div role="status" aria-live="polite">
        {props.notices
          .filter((n) => n.kind === "info")
          .map((n) => (
            <NoticeLine key={n.id} notice={n} dismiss={props.dismiss} />
          ))}
      </div>
      <div role="alert">
        {props.notices
          .filter((n) => n.kind === "error")
          .map((n) => (
            <NoticeLine key={n.id} notice={n} dismiss={props.dismiss} />
          ))}
      </div>
    </div>
  );
}

function NoticeLine(props: { notice: Notice; dismiss: (id: number) => void }) {
  return (
    <p class={`notice notice-${props.notice.kind}`}>
      <span>{props.notice.message}</span>
      <button type="button" class="link-button" aria-label={t("notice.dismiss")} onClick={() => props.dismiss(props.notice.id)}>
        ×
      </button>
    </p>
  );
}

import type { ParagraphStatus } from "../api/types.js";
import { STATUS_LABELS } from "./plugins/status.js";
import { t } from "../i18n/index.js";

const ORDER: ParagraphStatus[] = ["white", "yellow", "green", "ad_ref"];

/** What the colour bands beside the paragraphs mean, for a room reading a shared screen. */
export function StatusLegend() {
  return (
    <ul class="status-legend" aria-label={t("legend.label")}>
      {ORDER.map((status) => (
        <li key={status}>
          <span class={`legend-band status-${status}`} aria-hidden="true" />
          {STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
}

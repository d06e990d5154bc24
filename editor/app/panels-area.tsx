import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Panel, PanelContext } from "../panels/context.js";
import { t } from "../i18n/index.js";

/** The window event (detail: a panel id) by which the page asks for a panel to be shown (a link, the "Comment" action). */
export const OPEN_PANEL_EVENT = "accord:open-panel";

/** Whether a panel is offered; a panel whose check throws is left out rather than breaking the page. */
function offered(panel: Panel, ctx: PanelContext): boolean {
  try {
    return panel.available ? panel.available(ctx) : true;
  } catch (error) {
    console.error(`panel ${panel.id}: available() failed`, error);
    return false;
  }
}

/**
 * The side area of the document page: a tab per panel (editor/panels/index.ts) and the
 * chosen panel mounted below. `version` changes when the document info changes, so that
 * availability (which may depend on state and role) is asked again.
 */
export function PanelsArea(props: { panels: readonly Panel[]; ctx: PanelContext; version: number }) {
  const { ctx } = props;
  const panels = useMemo(() => props.panels.filter((p) => offered(p, ctx)), [props.panels, ctx, props.version]);
  // The chosen panel survives a reload of this tab (per document).
  const memory = `accord:panel:${ctx.document().id}`;
  // A link to a place (?panel=…) opens its panel; otherwise the one chosen last.
  const [active, choose] = useState<string | null>(() => new URLSearchParams(location.search).get("panel") ?? sessionStorage.getItem(memory));
  const setActive = (id: string) => {
    sessionStorage.setItem(memory, id);
    choose(id);
  };
  useEffect(() => {
    const onOpen = (event: Event) => {
      const id = (event as CustomEvent<string>).detail;
      if (panels.some((p) => p.id === id)) setActive(id);
    };
    window.addEventListener(OPEN_PANEL_EVENT, onOpen);
    return () => window.removeEventListener(OPEN_PANEL_EVENT, onOpen);
  }, [panels]);
  const current = panels.find((p) => p.id === active) ?? panels[0] ?? null;
  const host = useRef<HTMLDivElement>(null);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);

  useEffect(() => {
    const el = host.current;
    if (!el || !current) return;
    let unmount: (() => void) | null = null;
    try {
      unmount = current.mount(el, ctx);
    } catch (error) {
      console.error(`panel ${current.id} failed to mount`, error);
      ctx.notify(t("panels.notShown", { panel: current.title }), "error");
    }
    return () => {
      try {
        unmount?.();
      } finally {
        el.replaceChildren();
      }
    };
  }, [current, ctx]);

  if (panels.length === 0) {
    return (
      <aside class="side" aria-label={t("panels.label")}>
        <p class="muted side-empty">{t("panels.none")}</p>
      </aside>
    );
  }

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onKey = (event: KeyboardEvent, index: number) => {
    const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = (index + delta + panels.length) % panels.length;
    setActive(panels[next]!.id);
    tabs.current[next]?.focus();
  };

  return (
    <aside class="side" aria-label={t("panels.label")}>
      <div class="tabs" role="tablist" aria-label={t("panels.tabs")}>
        {panels.map((p, i) => (
          <button
            type="button"
            role="tab"
            key={p.id}
            id={`tab-${p.id}`}
            ref={(el) => void (tabs.current[i] = el)}
            aria-selected={p === current}
            aria-controls="panel-host"
            tabIndex={p === current ? 0 : -1}
            class="tab"
            onClick={() => setActive(p.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {p.title}
          </button>
        ))}
      </div>
      <div id="panel-host" class="panel-host" role="tabpanel" aria-labelledby={current ? `tab-${current.id}` : undefined} data-panel={current?.id} ref={host} />
    </aside>
  );
}

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Panel, PanelContext } from "../panels/context.js";
import { NAVIGATED } from "./router.js";
import { t } from "../i18n/index.js";

/** The window event (detail: a panel id) by which the page asks for a panel to be shown (a link, the "Comment" action). */
export const OPEN_PANEL_EVENT = "accord:open-panel";

/** How long a linked item is waited for while its panel loads. */
const LINKED_ITEM_WAIT_MS = 8000;

/**
 * Scrolls the item the address names (`?item=`) into view in a panel's element and marks
 * it `linked`, as soon as the panel has drawn it; returns the function that stops waiting.
 */
function showLinkedItem(el: HTMLElement): () => void {
  const item = new URLSearchParams(location.search).get("item");
  if (!item) return () => undefined;
  const selector = ["amendment", "bracket", "thread"].map((kind) => `[data-${kind}-id="${CSS.escape(item)}"]`).join(", ");
  const show = (): boolean => {
    const found = el.querySelector<HTMLElement>(selector);
    if (!found) return false;
    found.classList.add("linked");
    found.scrollIntoView({ block: "nearest" });
    return true;
  };
  if (show()) return () => undefined;
  const observer = new MutationObserver(() => show() && stop());
  const timer = window.setTimeout(() => stop(), LINKED_ITEM_WAIT_MS);
  const stop = () => {
    observer.disconnect();
    window.clearTimeout(timer);
  };
  observer.observe(el, { childList: true, subtree: true });
  return stop;
}

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

  // A link naming one thing in the panel (?item=<amendment, bracket or thread id>) shows it
  // once the panel has drawn it, on mount and when a link is followed on this page.
  useEffect(() => {
    const el = host.current;
    if (!el || !current) return;
    return showLinkedItem(el);
  }, [current]);
  useEffect(() => {
    let stop: (() => void) | null = null;
    const onNavigated = () => {
      stop?.();
      stop = host.current ? showLinkedItem(host.current) : null;
    };
    window.addEventListener(NAVIGATED, onNavigated);
    return () => {
      stop?.();
      window.removeEventListener(NAVIGATED, onNavigated);
    };
  }, []);

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

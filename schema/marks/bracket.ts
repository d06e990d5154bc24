import type { MarkSpec } from "prosemirror-model";

/**
 * A span of text not yet agreed. Its holders, state and history live on the server (the
 * `brackets` table); the mark carries only identity: `id`, and `group` when it is one of
 * several alternative wordings (an option group) of which exactly one will survive.
 *
 * `excludes: ""` lets brackets nest and overlap; y-prosemirror then stores each one under
 * its own key `bracket--<hash>` (see ykeys.ts).
 */
export const bracket: MarkSpec = {
  attrs: { id: {}, group: { default: null } },
  excludes: "",
  inclusive: false,
  parseDOM: [
    {
      tag: "span[data-bracket]",
      getAttrs: (dom: HTMLElement) => ({ id: dom.getAttribute("data-bracket"), group: dom.getAttribute("data-group") }),
    },
  ],
  toDOM: (mark) => [
    "span",
    { class: "bracket", "data-bracket": mark.attrs.id, ...(mark.attrs.group ? { "data-group": mark.attrs.group } : {}) },
    0,
  ],
};

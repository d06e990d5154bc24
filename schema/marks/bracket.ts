import { isValidId } from "../ids.js";
import { defineMark } from "./mark.js";

/** Whether a bracket mark's value (`{id, group}`) is well formed. */
export function isBracketValue(value: unknown): value is { id: string; group: string | null } {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (!keys.every((k) => k === "id" || k === "group")) return false;
  return isValidId(v.id) && (v.group === null || v.group === undefined || isValidId(v.group));
}

/**
 * A span of text not yet agreed. Its holders, state and history live on the server (the
 * `brackets` table); the mark carries only identity: `id`, and `group` when it is one of
 * several alternative wordings (an option group) of which exactly one will survive.
 *
 * `excludes: ""` lets brackets nest and overlap; y-prosemirror then stores each one under
 * its own key `bracket--<hash>` (see ykeys.ts). Structural: runs carry it as `brackets`,
 * the canonical form as bracket spans.
 */
export const bracket = defineMark({
  name: "bracket",
  nature: "structural",
  spec: {
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
  },
  valid: isBracketValue,
});

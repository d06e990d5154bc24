import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "prosemirror-state";
import { Decoration, DecorationSet } from "prosemirror-view";
import type { Node as PMNode } from "prosemirror-model";

/** A hit of the search: a range of the text. */
export interface SearchHit {
  from: number;
  to: number;
}

/** What the search knows: the words looked for, every hit, and which one is current. */
export interface SearchState {
  query: string;
  hits: SearchHit[];
  current: number;
  decorations: DecorationSet;
}

/** Key of the search plugin. */
export const searchKey = new PluginKey<SearchState>("accord-search");

const EMPTY: SearchState = { query: "", hits: [], current: -1, decorations: DecorationSet.empty };

/** Every hit of `query` in the text, case-insensitive, within paragraphs (a hit never spans two). */
function findHits(doc: PMNode, query: string): SearchHit[] {
  const needle = query.trim().toLocaleLowerCase();
  if (needle.length === 0) return [];
  const hits: SearchHit[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    // Offsets in the block's text map to positions one by one: the text has no inline nodes but text.
    const text = node.textContent.toLocaleLowerCase();
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length))
      hits.push({ from: pos + 1 + at, to: pos + 1 + at + needle.length });
    return false;
  });
  return hits;
}

function decorate(doc: PMNode, hits: SearchHit[], current: number): DecorationSet {
  return DecorationSet.create(
    doc,
    hits.map((h, i) => Decoration.inline(h.from, h.to, { class: i === current ? "search-hit search-current" : "search-hit", "data-search-hit": String(i) })),
  );
}

function searchFor(doc: PMNode, query: string, near: number): SearchState {
  const hits = findHits(doc, query);
  if (hits.length === 0) return { ...EMPTY, query };
  const after = hits.findIndex((h) => h.from >= near);
  const current = after < 0 ? 0 : after;
  return { query, hits, current, decorations: decorate(doc, hits, current) };
}

/**
 * Search in the document: every hit highlighted (decorations, never the shared text), one
 * of them current. The hits follow the text as it changes, local or remote.
 */
export function searchPlugin(): Plugin<SearchState> {
  return new Plugin<SearchState>({
    key: searchKey,
    state: {
      init: () => EMPTY,
      apply(tr, previous): SearchState {
        const meta = tr.getMeta(searchKey) as { query?: string; step?: number } | undefined;
        if (meta?.query !== undefined) return searchFor(tr.doc, meta.query, tr.selection.from);
        if (meta?.step !== undefined && previous.hits.length > 0) {
          const current = (previous.current + meta.step + previous.hits.length) % previous.hits.length;
          return { ...previous, current, decorations: decorate(tr.doc, previous.hits, current) };
        }
        if (!tr.docChanged || previous.query === "") return previous;
        return searchFor(tr.doc, previous.query, previous.hits[previous.current]?.from ?? 0);
      },
    },
    props: { decorations: (state) => searchKey.getState(state)?.decorations },
  });
}

/** A transaction looking for `query` (empty: no search), from the selection onwards. */
export function setSearch(state: EditorState, query: string): Transaction {
  return state.tr.setMeta(searchKey, { query });
}

/** A transaction moving to the next (`step` 1) or previous (−1) hit, selecting it and scrolling to it. */
export function stepSearch(state: EditorState, step: 1 | -1): Transaction | null {
  const search = searchKey.getState(state);
  if (!search || search.hits.length === 0) return null;
  const next = search.hits[(search.current + step + search.hits.length) % search.hits.length]!;
  return state.tr.setMeta(searchKey, { step }).setSelection(TextSelection.create(state.doc, next.from, next.to)).scrollIntoView();
}

import type { Awareness } from "y-protocols/awareness";
import type { DecorationAttrs } from "prosemirror-view";
import type { SessionUser } from "../panels/context.js";

/** Someone with the document open, as the server stamped them into awareness. */
export interface Participant {
  id: string;
  name: string;
  username: string;
  delegation: string | null;
  role: string;
  color: string;
  /** Whether this is the signed-in user (in this or another window). */
  self: boolean;
}

/**
 * Cursor colours dark enough for white label text (contrast ≥ 4.5:1) and distinct from
 * the paragraph status colours.
 */
const PALETTE = ["#1f5fa8", "#a33a1f", "#2c6e2f", "#7a3b8f", "#8a5a00", "#00697a", "#b0204f", "#4a4f9e", "#5d6b00", "#8c3f5d"];

/** A stable colour for a name (a user, a delegation): the same on every screen, every session. */
export function colorOf(username: string): string {
  let hash = 0;
  for (let i = 0; i < username.length; i++) hash = (hash * 31 + username.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

/** How a person is named beside their cursor and in the presence list. */
export function participantLabel(p: Pick<Participant, "name" | "delegation">): string {
  return p.delegation ? `${p.name} (${p.delegation})` : p.name;
}

/** Announces the signed-in user; the server overwrites identity fields from the session anyway. */
export function announce(awareness: Awareness, user: SessionUser): void {
  awareness.setLocalStateField("user", {
    id: user.id,
    name: user.displayName,
    username: user.username,
    delegation: user.delegation,
    role: user.role,
    color: colorOf(user.username),
  });
}

/** Everyone here now, one entry per user (several windows count once), self first. */
export function participants(awareness: Awareness, self: SessionUser): Participant[] {
  const byUser = new Map<string, Participant>();
  for (const state of awareness.getStates().values()) {
    const u = (state as { user?: Record<string, unknown> }).user;
    if (!u || typeof u.username !== "string") continue;
    const username = u.username;
    const id = typeof u.id === "string" ? u.id : username;
    if (byUser.has(id)) continue;
    byUser.set(id, {
      id,
      name: typeof u.name === "string" ? u.name : username,
      username,
      delegation: typeof u.delegation === "string" ? u.delegation : null,
      role: typeof u.role === "string" ? u.role : "",
      color: colorOf(username),
      self: username === self.username,
    });
  }
  return [...byUser.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
}

/** The caret of another person: a thin coloured bar with their name and delegation. */
export function cursorBuilder(user: Record<string, unknown>): HTMLElement {
  const username = typeof user.username === "string" ? user.username : String(user.name ?? "");
  const color = colorOf(username);
  const caret = document.createElement("span");
  caret.className = "remote-caret";
  caret.style.borderColor = color;
  caret.dataset.decoration = "cursor";
  const label = document.createElement("span");
  label.className = "remote-caret-label";
  label.style.backgroundColor = color;
  label.textContent = participantLabel({
    name: typeof user.name === "string" ? user.name : username,
    delegation: typeof user.delegation === "string" ? user.delegation : null,
  });
  caret.append("\u2060", label, "\u2060");
  return caret;
}

/** The selection of another person, tinted in their colour. */
export function selectionBuilder(user: Record<string, unknown>): DecorationAttrs {
  const username = typeof user.username === "string" ? user.username : String(user.name ?? "");
  return { style: `background-color: ${colorOf(username)}33`, class: "remote-selection" };
}

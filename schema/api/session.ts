/** The signed-in person, as `POST` and `GET /api/session` return them. */
import type { Role } from "../roles.js";

/** The languages the interface is written in (the editor's message catalogues); English is complete and the fallback. */
export const INTERFACE_LANGUAGES = ["en", "es", "fr", "pt"] as const;

/** One interface language. */
export type InterfaceLanguage = (typeof INTERFACE_LANGUAGES)[number];

/** `GET` and `PUT /api/me/preferences`: what the person chose for themselves, on any browser. */
export interface Preferences {
  /** The interface language they chose, or null (the browser's languages decide). */
  language: InterfaceLanguage | null;
}

/** The shortest password the server accepts (a setup link's new password). */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Name of a cookie the page can read, holding no secret, set and cleared with the session
 * cookie: it tells the editor that this browser signed in, so that a visit while signed
 * out asks for no session it would be refused (a 401 the browser reports as an error).
 */
export const SIGNED_IN_COOKIE = "accord_signed_in";

/** `GET /api/setup/:token`: whose account a setup link sets up, and until when it works. */
export interface SetupLinkAnswer {
  username: string;
  displayName: string;
  expiresAt: string;
}

/** A person's place in one meeting: role, delegation, the bodies chaired there. */
export interface SessionMembership {
  meetingId: string;
  role: Role;
  delegation: string | null;
  chairOf: string[];
  /** For a translator: the languages they translate into. */
  languages?: string[];
}

/**
 * The signed-in person: the member in their current meeting (role `admin` and no meeting
 * for an administrator who is a member of none), the administrator flag, and every active
 * membership (the editor offers actions by it).
 */
export interface SessionPerson {
  id: string;
  username: string;
  displayName: string;
  /** Role in the current meeting; `admin` for an administrator who is a member of none. */
  role: Role | "admin";
  delegation: string | null;
  /** The current meeting (the one the home page opens), or null. */
  meetingId: string | null;
  chairOf: string[];
  admin: boolean;
  memberships: SessionMembership[];
  /** The interface language the person chose (`PUT /api/me/preferences`), or null. */
  language: InterfaceLanguage | null;
  /** For a translator in the current meeting: the languages they translate into. */
  languages?: string[];
}

/** The answer of `POST` and `GET /api/session`. */
export interface SessionAnswer {
  user: SessionPerson;
  csrfToken: string;
}

/**
 * The negotiation events the server pushes to every client that has a document open
 * (websocket message type 100, JSON): each name with the payload it carries. A feature
 * that sends a new event names it here first, so that the server cannot send and the
 * editor cannot listen for an event the other does not know.
 */
import type { Annotation } from "./annotations.js";
import type { Bracket } from "./brackets.js";
import type { ConsolidationCreated, ParagraphProvenance, SourceChanged } from "./provenance.js";
import type { ReferenceNote, ReferenceNoteRemoved } from "./footnotes.js";
import type { LanguageAdded, TranslationChanged } from "./languages.js";
import type { ParagraphStatus, ParagraphStatusInfo } from "../status.js";
import type { ReservationInfo, SignatureInfo } from "./signatures.js";
import type { DocumentState } from "../roles.js";
import type { AmendmentNotice, Recommendation } from "./amendments.js";
import type { DocumentSummary } from "./documents.js";
import type { VersionInfo } from "./versions.js";
import type { NumberingAct, Renumbered } from "./numbering.js";
import type { CommentEvent } from "./comments.js";
import type { InboxChange, Notification } from "./notifications.js";

/** `access.changed`: the caller's write access to the text, on connect and whenever it changes. */
export interface AccessChange {
  state: DocumentState;
  canWrite: boolean;
  reason: string | null;
  /** The reason's stable code and values (docs/API.md, "Error codes"), absent while the caller may write. */
  reasonCode?: string;
  reasonParams?: Record<string, string>;
}

/** `document.transitioned`: the document after the move, and the move. */
export interface DocumentTransitioned extends DocumentSummary {
  transition: {
    name: string;
    from: DocumentState;
    to: DocumentState;
    reason: string | null;
    versionId: string;
    /** On adoption: the delegations whose signature is awaited. */
    awaitingSignatures?: string[];
  };
}

/** `numbering.changed`: a document's numbers were frozen (leaving the draft) or renumbered by the secretariat. */
export interface NumberingChanged {
  revision: number;
  act: NumberingAct;
  /** Every paragraph cited differently from now on. */
  changed: Renumbered[];
}

/** `paragraph.status_changed`: the paragraph's status now, the one before, and why it was sent back to white when something un-agreed it. */
export interface ParagraphStatusChanged extends ParagraphStatusInfo {
  previous: ParagraphStatus;
  /** Set when the server reset the status (a bracket opened in the paragraph, its text edited), not a chair. */
  because?: string;
}

/** Every event's name and the payload (`data`) it carries. */
export interface DocumentEventPayloads {
  "access.changed": AccessChange;
  /**
   * A text update (or presence change) of this connection was refused; the editor resyncs.
   * `code` and `params`: the reason's stable code and the values it names (docs/API.md, "Error codes").
   */
  "update.refused": { reason: string; code?: string; params?: Record<string, string | number> };
  /** The server is about to close this connection (`closeCode`, `reason` as in the close frame), with the reason's stable code and values. */
  "connection.closing": { closeCode: number; reason: string; code?: string; params?: Record<string, string | number> };
  "document.transitioned": DocumentTransitioned;
  "amendment.drafted": AmendmentNotice;
  "amendment.updated": AmendmentNotice;
  "amendment.tabled": AmendmentNotice;
  "amendment.rebased": AmendmentNotice;
  "amendment.withdrawn": AmendmentNotice;
  "amendment.stale": AmendmentNotice;
  "amendment.decided": AmendmentNotice;
  "amendment.cosponsor_joined": AmendmentNotice;
  "amendment.cosponsor_left": AmendmentNotice;
  "recommendation.submitted": Recommendation;
  "recommendation.sponsorship_offered": Recommendation;
  "recommendation.sponsorship_withdrawn": Recommendation;
  "recommendation.converted": Recommendation;
  "bracket.opened": Bracket;
  "bracket.held": Bracket;
  "bracket.supported": Bracket;
  "bracket.support_withdrawn": Bracket;
  "bracket.lifted": Bracket;
  "bracket.option_added": Bracket;
  "bracket.resolved": Bracket;
  "bracket.removed": Bracket;
  "paragraph.status_changed": ParagraphStatusChanged;
  "version.created": VersionInfo;
  "numbering.changed": NumberingChanged;
  "reservation.added": ReservationInfo;
  "signature.added": SignatureInfo;
  "signature.voided": SignatureInfo;
  "consolidation.created": ConsolidationCreated;
  "provenance.pulled": ParagraphProvenance;
  "provenance.declined": ParagraphProvenance;
  "provenance.source_changed": SourceChanged;
  "translation.changed": TranslationChanged;
  "language.added": LanguageAdded;
  "annotation.added": Annotation;
  "annotation.removed": Annotation;
  "footnote.added": ReferenceNote;
  "footnote.edited": ReferenceNote;
  "footnote.removed": ReferenceNoteRemoved;
  "comment.added": CommentEvent;
  "comment.edited": CommentEvent;
  "comment.deleted": CommentEvent;
  "comment.resolved": CommentEvent;
  "comment.reopened": CommentEvent;
  /** Sent to one member's connections only: their inbox changed. */
  "notification.added": InboxChange & { notification: Notification };
  "notification.read": InboxChange;
}

/** The name of an event the server sends. */
export type DocumentEventType = keyof DocumentEventPayloads;

/** Who caused an event, when a person did. */
export interface EventActor {
  username: string;
  delegation: string | null;
  role: string;
}

/** One event as it travels: its name, document, time, who caused it, and its payload. */
export type DocumentEvent<T extends DocumentEventType = DocumentEventType> = {
  [K in T]: { type: K; documentId: string; at: string; actor?: EventActor; data: DocumentEventPayloads[K] };
}[T];

type FamilyOf<T> = T extends `${infer F}.${string}` ? `${F}.` : never;
/** A prefix naming a family of events (`"bracket."`), for listeners of every event of a feature. */
export type DocumentEventFamily = FamilyOf<DocumentEventType>;

/** The events of one family: `EventOf<"comment">` is `"comment.added" | "comment.edited" | …`. */
export type EventOf<F extends string> = Extract<DocumentEventType, `${F}.${string}`>;

/** What happened, for the events of one family: `EventAct<"amendment">` is `"drafted" | "tabled" | …`. */
export type EventAct<F extends string> = DocumentEventType extends infer T ? (T extends `${F}.${infer A}` ? A : never) : never;

-- Accord's schema for PostgreSQL: the schema SQLite reaches after migrations/001–033, in
-- PostgreSQL's words. INTEGER is BIGINT (read back as a JavaScript number), BLOB is BYTEA,
-- booleans stay 0/1 integers. SQLite's rowid, which a few queries sort ties by, is an
-- identity column named rowid here; usernames are unique regardless of case through an index
-- on lower(username) where SQLite says COLLATE NOCASE. Foreign keys come last, since tables
-- refer to each other in both directions. test/store-dialects.test.ts compares this schema
-- with SQLite's and fails when a migration lands in one set and not the other.

CREATE TABLE meetings (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  series_symbol TEXT NOT NULL,
  venue TEXT NOT NULL DEFAULT '',
  starts_on TEXT,
  ends_on TEXT,
  created_at TEXT NOT NULL,
  languages TEXT NOT NULL DEFAULT '["en"]'
);

CREATE TABLE bodies (
  id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('plenary', 'working_group', 'ad_hoc_group')),
  name TEXT NOT NULL,
  short_name TEXT NOT NULL,
  position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE body_chairs (
  body_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  PRIMARY KEY (body_id, user_id)
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE document_snapshots (
  document_id TEXT PRIMARY KEY,
  state BYTEA NOT NULL,
  last_seq BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  state_vector BYTEA,
  state_digest BYTEA
);

CREATE TABLE document_updates (
  document_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  update_data BYTEA NOT NULL,
  user_id TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (document_id, seq)
);

CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  meeting_id TEXT NOT NULL,
  document_id TEXT,
  at TEXT NOT NULL,
  user_id TEXT,
  username TEXT,
  role TEXT,
  delegation TEXT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  details TEXT NOT NULL DEFAULT '{}',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE amendments (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  -- A1, A2… in tabling order; null while a draft (drafts are not on the table yet).
  number BIGINT,
  paragraph_id TEXT NOT NULL,
  -- How delegates cited the target when last tabled (OP2), kept for a deleted target.
  paragraph_ref TEXT,
  operation TEXT NOT NULL CHECK (operation IN ('replace', 'insert_before', 'insert_after', 'delete')),
  -- {"text": "…"} or an array of ProseMirror JSON paragraphs (without ids); null for delete.
  content TEXT,
  rationale TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'tabled', 'stale', 'accepted', 'accepted_as_modified', 'rejected', 'withdrawn')),
  sponsor TEXT NOT NULL CHECK (length(sponsor) = 3 AND sponsor = upper(sponsor)),
  created_by TEXT,
  -- The target paragraph's NFC text and its SHA-256 when tabled (or last rebased).
  base_text TEXT,
  base_hash TEXT,
  tabled_at TEXT,
  stale_reason TEXT,
  -- The chair's revised wording when accepted as modified.
  decided_content TEXT,
  decided_by TEXT,
  decided_at TEXT,
  decision_reason TEXT,
  recommendation_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (document_id, number)
);

CREATE TABLE amendment_cosponsors (
  amendment_id TEXT NOT NULL,
  delegation TEXT NOT NULL,
  user_id TEXT,
  joined_at TEXT NOT NULL,
  PRIMARY KEY (amendment_id, delegation)
);

CREATE TABLE amendment_results (
  amendment_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (amendment_id, position)
);

CREATE TABLE recommendations (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  paragraph_id TEXT,
  text TEXT NOT NULL,
  rationale TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'converted')),
  submitted_by TEXT NOT NULL,
  amendment_id TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE recommendation_sponsors (
  recommendation_id TEXT NOT NULL,
  delegation TEXT NOT NULL,
  user_id TEXT,
  offered_at TEXT NOT NULL,
  PRIMARY KEY (recommendation_id, delegation)
);

CREATE TABLE brackets (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  -- B1, B2… in opening order per document.
  number BIGINT NOT NULL,
  paragraph_id TEXT NOT NULL,
  -- How delegates cited the paragraph when last seen (OP3), kept for a deleted paragraph.
  paragraph_ref TEXT,
  -- The option group shared by alternative wordings; null for a lone bracket.
  group_id TEXT,
  -- The bracketed words as last seen in the text, kept once the mark is gone.
  text TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved', 'removed')),
  opened_by TEXT,
  opened_by_username TEXT,
  opened_delegation TEXT,
  opened_at TEXT NOT NULL,
  -- How it ended: kept / deleted / chosen / not_chosen by the chair, or text_deleted by an edit.
  closed_how TEXT CHECK (closed_how IN ('kept', 'deleted', 'chosen', 'not_chosen', 'text_deleted')),
  closed_by_username TEXT,
  closed_reason TEXT,
  closed_at TEXT,
  separator TEXT,
  scope TEXT NOT NULL DEFAULT 'text' CHECK (scope IN ('text', 'paragraphs')),
  option_label TEXT,
  no_text BIGINT NOT NULL DEFAULT 0,
  UNIQUE (document_id, number)
);

CREATE TABLE reservations (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  delegation TEXT NOT NULL,
  user_id TEXT NOT NULL,
  paragraph_id TEXT,
  text TEXT NOT NULL,
  -- The canonical hash of the text the reservation was made on.
  text_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  voided_at TEXT,
  voided_reason TEXT,
  -- SQLite's implicit rowid: the order rows were written in, which queries sort ties by.
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE signatures (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  version_id TEXT NOT NULL,
  delegation TEXT NOT NULL,
  user_id TEXT NOT NULL,
  username TEXT NOT NULL,
  hash TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  reservation_id TEXT,
  voided_at TEXT,
  voided_reason TEXT,
  seal TEXT NOT NULL,
  key_id TEXT,
  statement TEXT,
  signature TEXT,
  -- SQLite's implicit rowid: the order rows were written in, which queries sort ties by.
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE document_signatories (
  document_id TEXT NOT NULL,
  delegation TEXT NOT NULL,
  PRIMARY KEY (document_id, delegation)
);

CREATE TABLE audit_head (
  id BIGINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL,
  seal TEXT,
  key_id TEXT
);

CREATE TABLE consolidation_sources (
  document_id TEXT NOT NULL,
  source_document_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  -- 'all': every paragraph was taken; 'selected': only those named by the rapporteur.
  selection TEXT NOT NULL CHECK (selection IN ('all', 'selected')),
  -- Canonical hash (SHA-256) of the whole source document when it was copied.
  source_hash TEXT NOT NULL,
  PRIMARY KEY (document_id, source_document_id)
);

CREATE TABLE paragraph_provenance (
  document_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  source_document_id TEXT NOT NULL,
  source_paragraph_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  base_hash TEXT NOT NULL,
  base_text TEXT NOT NULL,
  copied_at TEXT NOT NULL,
  -- The rapporteur's last decision on a source change: pulled into the text, or declined.
  decision TEXT CHECK (decision IN ('pulled', 'declined')),
  -- The source text hash the decision was about ('deleted' when the source paragraph was
  -- gone): a declined change stays settled until the source changes again.
  decision_hash TEXT,
  decided_by TEXT,
  decided_at TEXT,
  PRIMARY KEY (document_id, paragraph_id)
);

CREATE TABLE consolidation_omissions (
  document_id TEXT NOT NULL,
  source_document_id TEXT NOT NULL,
  source_paragraph_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  text_hash TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (document_id, source_document_id, source_paragraph_id)
);

CREATE TABLE paragraph_statuses (
  document_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('white', 'yellow', 'green', 'ad_ref')),
  set_by TEXT,
  set_by_username TEXT,
  set_at TEXT NOT NULL,
  PRIMARY KEY (document_id, paragraph_id)
);

CREATE TABLE document_notes (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('footnote', 'annotation')),
  -- A footnote's place: NFC UTF-16 offset into the paragraph's text when it was recorded.
  position BIGINT,
  marker TEXT,
  text TEXT NOT NULL,
  created_by_username TEXT,
  created_at TEXT NOT NULL,
  annotation TEXT CHECK (annotation IS NULL OR annotation IN ('agreed_ad_ref', 'facilitator')),
  anchor BYTEA,
  updated_by_username TEXT,
  updated_at TEXT
);

CREATE TABLE deleted_paragraphs (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  block TEXT NOT NULL,
  -- JSON: the block as it stood (type, kind, level, runs)
  position BIGINT NOT NULL,
  -- its index in the document's blocks (the title is 0)
  previous_id TEXT,
  -- the block before it then, and the one after
  next_id TEXT,
  deleted_by TEXT,
  deleted_by_username TEXT,
  deleted_at TEXT NOT NULL,
  restored_at TEXT,
  restored_by_username TEXT,
  -- SQLite's implicit rowid: the order rows were written in, which queries sort ties by.
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE signing_keys (
  id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  delegation TEXT NOT NULL,
  -- The public key as a JSON Web Key {kty, crv, x, y}.
  public_key TEXT NOT NULL,
  -- SHA-256 (hex) of the key's SubjectPublicKeyInfo (DER): what the minister reads out.
  fingerprint TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  confirmed_at TEXT,
  confirmed_by TEXT,
  revoked_at TEXT,
  revoked_reason TEXT,
  -- SQLite's implicit rowid: the order rows were written in, which queries sort ties by.
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE delegations (
  id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL,
  code TEXT NOT NULL CHECK (length(code) BETWEEN 2 AND 12 AND code = upper(code)),
  name TEXT NOT NULL,
  is_member BIGINT NOT NULL DEFAULT 1,
  name_es TEXT NOT NULL DEFAULT '',
  UNIQUE (meeting_id, code)
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT,
  is_admin BIGINT NOT NULL DEFAULT 0,
  password_hash TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE memberships (
  user_id TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  role TEXT NOT NULL,
  delegation_id TEXT,
  active BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  languages TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (user_id, meeting_id)
);

CREATE TABLE setup_links (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  meeting_id TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL,
  body_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('declaration', 'resolution', 'decision', 'report', 'group_report', 'work_programme', 'rapporteur_report')),
  title TEXT NOT NULL,
  symbol TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'negotiation', 'agreed_ad_ref', 'referred', 'adopted', 'signed', 'withdrawn')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  quarantined_at TEXT,
  quarantine_reason TEXT,
  masthead TEXT NOT NULL DEFAULT '{"lines":[]}',
  language TEXT,
  document_date TEXT,
  distribution TEXT,
  agenda_item TEXT,
  sponsors TEXT,
  original_id TEXT
);

CREATE TABLE notifications (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  user_id TEXT NOT NULL,
  meeting_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('amendment_decided', 'bracket_resolved', 'signature_pending', 'source_changed', 'change_declined', 'mention')),
  -- Where it leads: the document, the paragraph, the panel and the thing in it.
  document_id TEXT,
  paragraph_id TEXT,
  panel TEXT,
  target_id TEXT,
  -- One sentence for people, and the facts it was made from (JSON) for the interface's own words.
  summary TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  actor_username TEXT,
  actor_delegation TEXT,
  -- An unread notification with the same key is brought up to date instead of repeated
  -- (a source typed in for an hour makes one notice, with how many times it changed).
  coalesce_key TEXT,
  times BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  read_at TEXT
);

CREATE TABLE comments (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  -- NULL: a comment, seen by every member of the meeting; a code: a note of that delegation.
  delegation TEXT,
  -- The first comment of the thread this one replies to; NULL for a thread's first comment.
  thread_id TEXT,
  paragraph_id TEXT NOT NULL,
  -- How the paragraph was cited when the comment was made (OP3), kept if it is deleted.
  paragraph_ref TEXT,
  -- Yjs relative positions (encoded) of the range's start and end, which follow the text
  -- through edits; NULL when the comment is on the whole paragraph. Thread starts only.
  anchor_start BYTEA,
  anchor_end BYTEA,
  -- The words commented on, as they stood.
  quote TEXT,
  body TEXT NOT NULL,
  -- Usernames the body mentions that could see it (JSON array).
  mentions TEXT NOT NULL DEFAULT '[]',
  author_id TEXT NOT NULL,
  author_delegation TEXT,
  created_at TEXT NOT NULL,
  edited_at TEXT,
  deleted_at TEXT,
  resolved_at TEXT,
  resolved_by TEXT,
  -- SQLite's implicit rowid: the order rows were written in, which queries sort ties by.
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE text_authorship (
  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  -- order of arrival: the first row covering an id wins
  document_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('insert', 'delete')),
  client BIGINT NOT NULL,
  -- Yjs client id and clock range [clock, clock + length)
  clock BIGINT NOT NULL,
  length BIGINT NOT NULL CHECK (length > 0),
  user_id TEXT,
  username TEXT,
  delegation TEXT,
  -- the author's delegation code when they made the change
  role TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE document_numbering (
  document_id TEXT PRIMARY KEY,
  revision BIGINT NOT NULL,
  act TEXT NOT NULL CHECK (act IN ('frozen', 'renumbered')),
  acted_by TEXT,
  acted_at TEXT NOT NULL
);

CREATE TABLE paragraph_numbers (
  document_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('pp', 'op')),
  level BIGINT NOT NULL CHECK (level BETWEEN 0 AND 2),
  label TEXT NOT NULL,
  PRIMARY KEY (document_id, paragraph_id)
);

CREATE TABLE versions (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL,
  number BIGINT NOT NULL,
  label TEXT NOT NULL,
  symbol TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('named', 'transition', 'initial', 'renumbered')),
  state TEXT NOT NULL,
  ydoc BYTEA NOT NULL,
  canonical TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_by TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (document_id, number)
);

CREATE TABLE bracket_holders (
  bracket_id TEXT NOT NULL,
  delegation TEXT NOT NULL CHECK (length(delegation) BETWEEN 2 AND 12 AND delegation = upper(delegation)),
  user_id TEXT,
  held_at TEXT NOT NULL,
  recorded_by TEXT,
  PRIMARY KEY (bracket_id, delegation)
);

CREATE TABLE bracket_supporters (
  bracket_id TEXT NOT NULL,
  delegation TEXT NOT NULL CHECK (length(delegation) BETWEEN 2 AND 12 AND delegation = upper(delegation)),
  user_id TEXT,
  recorded_by TEXT,
  supported_at TEXT NOT NULL,
  PRIMARY KEY (bracket_id, delegation)
);

CREATE TABLE bracket_paragraphs (
  bracket_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (bracket_id, paragraph_id)
);

CREATE TABLE translations (
  document_id TEXT NOT NULL,
  paragraph_id TEXT NOT NULL,
  original_hash TEXT NOT NULL,
  original_text TEXT NOT NULL,
  translated_by TEXT NOT NULL,
  translated_at TEXT NOT NULL,
  PRIMARY KEY (document_id, paragraph_id)
);

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX audit_meeting ON audit_events (meeting_id, seq);
CREATE INDEX audit_document ON audit_events (document_id, seq);
CREATE INDEX amendments_paragraph ON amendments (document_id, paragraph_id, state);
CREATE INDEX amendment_results_document ON amendment_results (document_id, paragraph_id);
CREATE INDEX recommendations_document ON recommendations (document_id, created_at);
CREATE INDEX brackets_paragraph ON brackets (document_id, paragraph_id, state);
CREATE INDEX brackets_group ON brackets (document_id, group_id);
CREATE INDEX audit_target ON audit_events (target_type, target_id, seq);
CREATE INDEX reservations_document ON reservations (document_id, created_at);
CREATE INDEX signatures_document ON signatures (document_id, signed_at);
CREATE UNIQUE INDEX signatures_standing ON signatures (document_id, delegation) WHERE voided_at IS NULL;
CREATE INDEX paragraph_provenance_source ON paragraph_provenance (source_document_id, source_paragraph_id);
CREATE INDEX document_notes_paragraph ON document_notes (document_id, paragraph_id);
CREATE INDEX deleted_paragraphs_document ON deleted_paragraphs (document_id, paragraph_id);
CREATE UNIQUE INDEX signing_keys_standing ON signing_keys (user_id) WHERE revoked_at IS NULL;
CREATE INDEX signing_keys_meeting ON signing_keys (meeting_id, registered_at);
CREATE INDEX memberships_meeting ON memberships (meeting_id, role);
CREATE INDEX setup_links_user ON setup_links (user_id);
CREATE INDEX documents_meeting ON documents (meeting_id);
CREATE INDEX bodies_meeting ON bodies (meeting_id, position);
CREATE INDEX body_chairs_user ON body_chairs (user_id);
CREATE INDEX notifications_inbox ON notifications (user_id, meeting_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, meeting_id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_coalesce ON notifications (user_id, coalesce_key) WHERE read_at IS NULL AND coalesce_key IS NOT NULL;
CREATE INDEX comments_document ON comments (document_id, delegation, created_at);
CREATE INDEX comments_thread ON comments (thread_id, created_at);
CREATE INDEX text_authorship_document ON text_authorship (document_id, client, clock);
CREATE INDEX bracket_paragraphs_paragraph ON bracket_paragraphs (paragraph_id);
CREATE UNIQUE INDEX documents_language_version ON documents (original_id, language) WHERE original_id IS NOT NULL;
CREATE UNIQUE INDEX users_username_nocase ON users (lower(username));

ALTER TABLE bodies ADD FOREIGN KEY (meeting_id) REFERENCES meetings(id);
ALTER TABLE body_chairs ADD FOREIGN KEY (body_id) REFERENCES bodies(id);
ALTER TABLE body_chairs ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE sessions ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE document_snapshots ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE document_updates ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE amendments ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE amendments ADD FOREIGN KEY (created_by) REFERENCES users(id);
ALTER TABLE amendments ADD FOREIGN KEY (decided_by) REFERENCES users(id);
ALTER TABLE amendment_cosponsors ADD FOREIGN KEY (amendment_id) REFERENCES amendments(id);
ALTER TABLE amendment_cosponsors ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE amendment_results ADD FOREIGN KEY (amendment_id) REFERENCES amendments(id);
ALTER TABLE amendment_results ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE recommendations ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE recommendations ADD FOREIGN KEY (submitted_by) REFERENCES users(id);
ALTER TABLE recommendations ADD FOREIGN KEY (amendment_id) REFERENCES amendments(id);
ALTER TABLE recommendation_sponsors ADD FOREIGN KEY (recommendation_id) REFERENCES recommendations(id);
ALTER TABLE recommendation_sponsors ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE brackets ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE brackets ADD FOREIGN KEY (opened_by) REFERENCES users(id);
ALTER TABLE reservations ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE reservations ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE signatures ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE signatures ADD FOREIGN KEY (version_id) REFERENCES versions(id);
ALTER TABLE signatures ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE signatures ADD FOREIGN KEY (reservation_id) REFERENCES reservations(id);
ALTER TABLE signatures ADD FOREIGN KEY (key_id) REFERENCES signing_keys(id);
ALTER TABLE document_signatories ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE consolidation_sources ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE consolidation_sources ADD FOREIGN KEY (source_document_id) REFERENCES documents(id);
ALTER TABLE paragraph_provenance ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE paragraph_provenance ADD FOREIGN KEY (source_document_id) REFERENCES documents(id);
ALTER TABLE paragraph_provenance ADD FOREIGN KEY (decided_by) REFERENCES users(id);
ALTER TABLE consolidation_omissions ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE consolidation_omissions ADD FOREIGN KEY (source_document_id) REFERENCES documents(id);
ALTER TABLE paragraph_statuses ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE paragraph_statuses ADD FOREIGN KEY (set_by) REFERENCES users(id);
ALTER TABLE document_notes ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE deleted_paragraphs ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE deleted_paragraphs ADD FOREIGN KEY (deleted_by) REFERENCES users(id);
ALTER TABLE signing_keys ADD FOREIGN KEY (meeting_id) REFERENCES meetings(id);
ALTER TABLE signing_keys ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE signing_keys ADD FOREIGN KEY (confirmed_by) REFERENCES users(id);
ALTER TABLE delegations ADD FOREIGN KEY (meeting_id) REFERENCES meetings(id);
ALTER TABLE memberships ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE memberships ADD FOREIGN KEY (meeting_id) REFERENCES meetings(id);
ALTER TABLE memberships ADD FOREIGN KEY (delegation_id) REFERENCES delegations(id);
ALTER TABLE setup_links ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE setup_links ADD FOREIGN KEY (meeting_id) REFERENCES meetings(id);
ALTER TABLE documents ADD FOREIGN KEY (meeting_id) REFERENCES meetings(id);
ALTER TABLE documents ADD FOREIGN KEY (body_id) REFERENCES bodies(id);
ALTER TABLE documents ADD FOREIGN KEY (original_id) REFERENCES documents(id);
ALTER TABLE notifications ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE notifications ADD FOREIGN KEY (meeting_id) REFERENCES meetings(id);
ALTER TABLE notifications ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE comments ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE comments ADD FOREIGN KEY (thread_id) REFERENCES comments(id);
ALTER TABLE comments ADD FOREIGN KEY (author_id) REFERENCES users(id);
ALTER TABLE comments ADD FOREIGN KEY (resolved_by) REFERENCES users(id);
ALTER TABLE text_authorship ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE text_authorship ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE document_numbering ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE document_numbering ADD FOREIGN KEY (acted_by) REFERENCES users(id);
ALTER TABLE paragraph_numbers ADD FOREIGN KEY (document_id) REFERENCES document_numbering(document_id);
ALTER TABLE versions ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE versions ADD FOREIGN KEY (created_by) REFERENCES users(id);
ALTER TABLE bracket_holders ADD FOREIGN KEY (bracket_id) REFERENCES brackets(id);
ALTER TABLE bracket_holders ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE bracket_supporters ADD FOREIGN KEY (bracket_id) REFERENCES brackets(id);
ALTER TABLE bracket_supporters ADD FOREIGN KEY (user_id) REFERENCES users(id);
ALTER TABLE bracket_paragraphs ADD FOREIGN KEY (bracket_id) REFERENCES brackets(id);
ALTER TABLE translations ADD FOREIGN KEY (document_id) REFERENCES documents(id);
ALTER TABLE translations ADD FOREIGN KEY (translated_by) REFERENCES users(id);

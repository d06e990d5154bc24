-- Meetings, people, documents, the text store, versions and the audit chain.

CREATE TABLE meetings (
  id            TEXT PRIMARY KEY,
  title         TEXT NOT NULL,
  series_symbol TEXT NOT NULL,
  venue         TEXT NOT NULL DEFAULT '',
  starts_on     TEXT,
  ends_on       TEXT,
  created_at    TEXT NOT NULL
);

CREATE TABLE delegations (
  id         TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  code       TEXT NOT NULL CHECK (length(code) = 3 AND code = upper(code)),
  name       TEXT NOT NULL,
  is_member  INTEGER NOT NULL DEFAULT 1,
  UNIQUE (meeting_id, code)
);

CREATE TABLE bodies (
  id         TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  kind       TEXT NOT NULL CHECK (kind IN ('plenary', 'working_group', 'ad_hoc_group')),
  name       TEXT NOT NULL,
  short_name TEXT NOT NULL,
  position   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  meeting_id    TEXT NOT NULL REFERENCES meetings(id),
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('secretariat', 'chair', 'rapporteur', 'delegate', 'minister', 'observer')),
  delegation_id TEXT REFERENCES delegations(id),
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- A chair presides over one or more bodies; the plenary chair adopts.
CREATE TABLE body_chairs (
  body_id TEXT NOT NULL REFERENCES bodies(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (body_id, user_id)
);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE documents (
  id         TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  body_id    TEXT NOT NULL REFERENCES bodies(id),
  kind       TEXT NOT NULL CHECK (kind IN ('declaration', 'group_report', 'work_programme', 'rapporteur_report')),
  title      TEXT NOT NULL,
  symbol     TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'draft'
             CHECK (state IN ('draft', 'negotiation', 'agreed_ad_ref', 'referred', 'adopted', 'signed', 'withdrawn')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX documents_meeting ON documents (meeting_id);

-- The text of a document is its compacted Yjs state plus the updates accepted since.
CREATE TABLE document_snapshots (
  document_id TEXT PRIMARY KEY REFERENCES documents(id),
  state       BLOB NOT NULL,
  last_seq    INTEGER NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE document_updates (
  document_id TEXT NOT NULL REFERENCES documents(id),
  seq         INTEGER NOT NULL,
  update_data BLOB NOT NULL,
  user_id     TEXT,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;

-- Immutable named states of a document: at each transition and on request (Rev.1, …).
CREATE TABLE versions (
  id          TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  number      INTEGER NOT NULL,
  label       TEXT NOT NULL,
  symbol      TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('named', 'transition', 'initial')),
  state       TEXT NOT NULL,
  ydoc        BLOB NOT NULL,
  canonical   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  created_by  TEXT REFERENCES users(id),
  created_at  TEXT NOT NULL,
  UNIQUE (document_id, number)
);

-- Append-only; each event carries the hash of the one before it (one chain per database).
CREATE TABLE audit_events (
  seq         INTEGER PRIMARY KEY,
  meeting_id  TEXT NOT NULL,
  document_id TEXT,
  at          TEXT NOT NULL,
  user_id     TEXT,
  username    TEXT,
  role        TEXT,
  delegation  TEXT,
  action      TEXT NOT NULL,
  target_type TEXT,
  target_id   TEXT,
  details     TEXT NOT NULL DEFAULT '{}',
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_meeting ON audit_events (meeting_id, seq);
CREATE INDEX audit_document ON audit_events (document_id, seq);

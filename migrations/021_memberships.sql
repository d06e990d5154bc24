-- Many meetings on one server. A person (users) is server-wide; what they are in a meeting
-- (role, delegation, active) is a membership, one per meeting. The server role `admin`
-- belongs to the person, not to a meeting. Rebuilt tables keep their columns in order
-- and are copied with SELECT *, so a column another migration added fails loudly here
-- instead of being dropped (the columns are those of 001, 007 and 013). migrate() runs this with
-- foreign keys off and checks them after.

-- Delegations: observer groups and organisations (EU, G77, CARICOM…) have codes that are
-- not three letters; a Spanish name for the meeting's second language.
CREATE TABLE delegations_new (
  id         TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  code       TEXT NOT NULL CHECK (length(code) BETWEEN 2 AND 12 AND code = upper(code)),
  name       TEXT NOT NULL,
  is_member  INTEGER NOT NULL DEFAULT 1,
  UNIQUE (meeting_id, code)
);
INSERT INTO delegations_new SELECT * FROM delegations;
DROP TABLE delegations;
ALTER TABLE delegations_new RENAME TO delegations;
ALTER TABLE delegations ADD COLUMN name_es TEXT NOT NULL DEFAULT '';

ALTER TABLE meetings ADD COLUMN languages TEXT NOT NULL DEFAULT '["en"]';

-- People: no meeting, no role of their own. password_hash is NULL until the person
-- chooses a password with a setup link (an import of 2,000 members hashes nothing).
CREATE TABLE users_new (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL,
  email         TEXT,
  is_admin      INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT,
  created_at    TEXT NOT NULL
);
INSERT INTO users_new (id, username, display_name, email, is_admin, password_hash, created_at)
  SELECT id, username, display_name, NULL, 0, password_hash, created_at FROM users;

-- Role is checked by the server against schema/roles.ts, not here, so a feature can add a
-- role (e.g. translator) without rebuilding this table.
CREATE TABLE memberships (
  user_id       TEXT NOT NULL REFERENCES users(id),
  meeting_id    TEXT NOT NULL REFERENCES meetings(id),
  role          TEXT NOT NULL,
  delegation_id TEXT REFERENCES delegations(id),
  active        INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (user_id, meeting_id)
) WITHOUT ROWID;
INSERT INTO memberships (user_id, meeting_id, role, delegation_id, active, created_at)
  SELECT id, meeting_id, role, delegation_id, 1, created_at FROM users;
CREATE INDEX memberships_meeting ON memberships (meeting_id, role);

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

-- One-time links with which a person chooses (or resets) a password; only a hash of the
-- token is stored, like session tokens.
CREATE TABLE setup_links (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  meeting_id TEXT REFERENCES meetings(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX setup_links_user ON setup_links (user_id);

-- New kinds of document, and the language the text was written in (NULL: the meeting's first).
CREATE TABLE documents_new (
  id         TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(id),
  body_id    TEXT NOT NULL REFERENCES bodies(id),
  kind       TEXT NOT NULL CHECK (kind IN ('declaration', 'resolution', 'decision', 'report', 'group_report', 'work_programme', 'rapporteur_report')),
  title      TEXT NOT NULL,
  symbol     TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT 'draft'
             CHECK (state IN ('draft', 'negotiation', 'agreed_ad_ref', 'referred', 'adopted', 'signed', 'withdrawn')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  quarantined_at    TEXT,
  quarantine_reason TEXT,
  masthead   TEXT NOT NULL DEFAULT '{"lines":[]}'
);
INSERT INTO documents_new SELECT * FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_meeting ON documents (meeting_id);
ALTER TABLE documents ADD COLUMN language TEXT;

CREATE INDEX bodies_meeting ON bodies (meeting_id, position);
CREATE INDEX body_chairs_user ON body_chairs (user_id);

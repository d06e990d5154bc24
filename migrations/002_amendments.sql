-- Paragraph-level amendments, their co-sponsors, the paragraphs they produced, and civil
-- society recommendations that a chair may turn into amendments.

CREATE TABLE amendments (
  id              TEXT PRIMARY KEY,
  document_id     TEXT NOT NULL REFERENCES documents(id),
  -- A1, A2… in tabling order; null while a draft (drafts are not on the table yet).
  number          INTEGER,
  paragraph_id    TEXT NOT NULL,
  -- How delegates cited the target when last tabled (OP2), kept for a deleted target.
  paragraph_ref   TEXT,
  operation       TEXT NOT NULL CHECK (operation IN ('replace', 'insert_before', 'insert_after', 'delete')),
  -- {"text": "…"} or an array of ProseMirror JSON paragraphs (without ids); null for delete.
  content         TEXT,
  rationale       TEXT NOT NULL DEFAULT '',
  state           TEXT NOT NULL DEFAULT 'draft'
                  CHECK (state IN ('draft', 'tabled', 'stale', 'accepted', 'accepted_as_modified', 'rejected', 'withdrawn')),
  sponsor         TEXT NOT NULL CHECK (length(sponsor) = 3 AND sponsor = upper(sponsor)),
  created_by      TEXT REFERENCES users(id),
  -- The target paragraph's NFC text and its SHA-256 when tabled (or last rebased).
  base_text       TEXT,
  base_hash       TEXT,
  tabled_at       TEXT,
  stale_reason    TEXT,
  -- The chair's revised wording when accepted as modified.
  decided_content TEXT,
  decided_by      TEXT REFERENCES users(id),
  decided_at      TEXT,
  decision_reason TEXT,
  recommendation_id TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (document_id, number)
);
CREATE INDEX amendments_paragraph ON amendments (document_id, paragraph_id, state);

CREATE TABLE amendment_cosponsors (
  amendment_id TEXT NOT NULL REFERENCES amendments(id),
  delegation   TEXT NOT NULL,
  user_id      TEXT REFERENCES users(id),
  joined_at    TEXT NOT NULL,
  PRIMARY KEY (amendment_id, delegation)
) WITHOUT ROWID;

-- Provenance: which accepted amendment produced which paragraph id.
CREATE TABLE amendment_results (
  amendment_id TEXT NOT NULL REFERENCES amendments(id),
  document_id  TEXT NOT NULL REFERENCES documents(id),
  paragraph_id TEXT NOT NULL,
  position     INTEGER NOT NULL,
  PRIMARY KEY (amendment_id, position)
);
CREATE INDEX amendment_results_document ON amendment_results (document_id, paragraph_id);

CREATE TABLE recommendations (
  id           TEXT PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id),
  paragraph_id TEXT,
  text         TEXT NOT NULL,
  rationale    TEXT NOT NULL DEFAULT '',
  state        TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'converted')),
  submitted_by TEXT NOT NULL REFERENCES users(id),
  amendment_id TEXT REFERENCES amendments(id),
  created_at   TEXT NOT NULL
);
CREATE INDEX recommendations_document ON recommendations (document_id, created_at);

-- Delegations that have said they would sponsor a recommendation as an amendment.
CREATE TABLE recommendation_sponsors (
  recommendation_id TEXT NOT NULL REFERENCES recommendations(id),
  delegation        TEXT NOT NULL,
  user_id           TEXT REFERENCES users(id),
  offered_at        TEXT NOT NULL,
  PRIMARY KEY (recommendation_id, delegation)
) WITHOUT ROWID;

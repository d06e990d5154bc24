-- Stable numbers under negotiation. When a document leaves the draft (and when the
-- secretariat renumbers it), every paragraph's label within its group ("7", "a", "3" for
-- PP3) is frozen here by paragraph id, so that OP7 names the same paragraph all through
-- the meeting: a new paragraph becomes "7 bis", a deleted one leaves its number unused.
-- `document_numbering` holds one row per frozen document; its revision goes up with each
-- freeze, so that readers know when their numbered text is stale.
CREATE TABLE document_numbering (
  document_id TEXT PRIMARY KEY REFERENCES documents(id),
  revision    INTEGER NOT NULL,
  act         TEXT NOT NULL CHECK (act IN ('frozen', 'renumbered')),
  acted_by    TEXT REFERENCES users(id),
  acted_at    TEXT NOT NULL
);

CREATE TABLE paragraph_numbers (
  document_id  TEXT NOT NULL REFERENCES document_numbering(document_id),
  paragraph_id TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('pp', 'op')),
  level        INTEGER NOT NULL CHECK (level BETWEEN 0 AND 2),
  label        TEXT NOT NULL,
  PRIMARY KEY (document_id, paragraph_id)
) WITHOUT ROWID;

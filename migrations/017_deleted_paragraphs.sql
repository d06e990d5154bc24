-- Paragraphs deleted from a document's text, with what they said and where they stood, so
-- that the chair or the secretariat can put one back where it was.
CREATE TABLE deleted_paragraphs (
  id                   TEXT PRIMARY KEY,
  document_id          TEXT NOT NULL REFERENCES documents(id),
  paragraph_id         TEXT NOT NULL,
  block                TEXT NOT NULL,   -- JSON: the block as it stood (type, kind, level, runs)
  position             INTEGER NOT NULL, -- its index in the document's blocks (the title is 0)
  previous_id          TEXT,             -- the block before it then, and the one after
  next_id              TEXT,
  deleted_by           TEXT REFERENCES users(id),
  deleted_by_username  TEXT,
  deleted_at           TEXT NOT NULL,
  restored_at          TEXT,
  restored_by_username TEXT
);
CREATE INDEX deleted_paragraphs_document ON deleted_paragraphs (document_id, paragraph_id);

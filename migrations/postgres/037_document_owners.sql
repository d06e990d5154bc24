-- migrations/037_document_owners.sql in PostgreSQL's words (see that file for what it is).
CREATE TABLE document_owners (
  document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  process TEXT NOT NULL,
  pid BIGINT NOT NULL,
  url TEXT,
  token BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

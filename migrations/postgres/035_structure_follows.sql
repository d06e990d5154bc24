-- migrations/035_structure_follows.sql in PostgreSQL's words (see that file for what it is).
CREATE TABLE structure_follows (
  original_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  touched TEXT,
  owed_since TEXT NOT NULL
);

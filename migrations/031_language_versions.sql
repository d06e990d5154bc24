-- Language versions: a document of its own (own text, own room, own exports) whose
-- paragraph ids are those of its original, in another of the meeting's languages. Each
-- original has at most one version per language; a version has no versions of its own.
ALTER TABLE documents ADD COLUMN original_id TEXT REFERENCES documents(id);
CREATE UNIQUE INDEX documents_language_version ON documents (original_id, language) WHERE original_id IS NOT NULL;

-- A paragraph of a language version marked translated: the original paragraph's text (and
-- its SHA-256) as it stood then. The paragraph is current while the original still hashes
-- the same, outdated once it does not (the text kept shows what changed since), missing
-- without a row or when the translation is empty.
CREATE TABLE translations (
  document_id   TEXT NOT NULL REFERENCES documents(id),
  paragraph_id  TEXT NOT NULL,
  original_hash TEXT NOT NULL,
  original_text TEXT NOT NULL,
  translated_by TEXT NOT NULL REFERENCES users(id),
  translated_at TEXT NOT NULL,
  PRIMARY KEY (document_id, paragraph_id)
) WITHOUT ROWID;

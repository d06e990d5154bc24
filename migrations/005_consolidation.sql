-- Consolidation (docs/ARCHITECTURE.md §1): a document built from sections of others, with the
-- provenance of every copied paragraph, so that later changes in the sources can be
-- reported, pulled in or deliberately declined.

-- The sources of a consolidated document, in the order of its sections.
CREATE TABLE consolidation_sources (
  document_id        TEXT NOT NULL REFERENCES documents(id),
  source_document_id TEXT NOT NULL REFERENCES documents(id),
  position           INTEGER NOT NULL,
  -- 'all': every paragraph was taken; 'selected': only those named by the rapporteur.
  selection          TEXT NOT NULL CHECK (selection IN ('all', 'selected')),
  -- Canonical hash (SHA-256) of the whole source document when it was copied.
  source_hash        TEXT NOT NULL,
  PRIMARY KEY (document_id, source_document_id)
);

-- One row per paragraph of a consolidated document copied from a source paragraph.
-- The baseline (hash and text) is the source wording as copied, or as last pulled.
CREATE TABLE paragraph_provenance (
  document_id         TEXT NOT NULL REFERENCES documents(id),
  paragraph_id        TEXT NOT NULL,
  source_document_id  TEXT NOT NULL REFERENCES documents(id),
  source_paragraph_id TEXT NOT NULL,
  position            INTEGER NOT NULL,
  base_hash           TEXT NOT NULL,
  base_text           TEXT NOT NULL,
  copied_at           TEXT NOT NULL,
  -- The rapporteur's last decision on a source change: pulled into the text, or declined.
  decision            TEXT CHECK (decision IN ('pulled', 'declined')),
  -- The source text hash the decision was about ('deleted' when the source paragraph was
  -- gone): a declined change stays settled until the source changes again.
  decision_hash       TEXT,
  decided_by          TEXT REFERENCES users(id),
  decided_at          TEXT,
  PRIMARY KEY (document_id, paragraph_id)
);
-- Text changes in a source look up the consolidated paragraphs that depend on them.
CREATE INDEX paragraph_provenance_source ON paragraph_provenance (source_document_id, source_paragraph_id);

-- Source paragraphs the rapporteur deliberately left out when consolidating.
CREATE TABLE consolidation_omissions (
  document_id         TEXT NOT NULL REFERENCES documents(id),
  source_document_id  TEXT NOT NULL REFERENCES documents(id),
  source_paragraph_id TEXT NOT NULL,
  position            INTEGER NOT NULL,
  text_hash           TEXT NOT NULL,
  text                TEXT NOT NULL,
  PRIMARY KEY (document_id, source_document_id, source_paragraph_id)
);

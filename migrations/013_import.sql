-- What an imported document brings besides its text: the masthead printed above the title,
-- the file's footnotes and paragraph annotations ("[Agreed ad ref]"), and the separator
-- typed between alternative wordings ("[a / b]").

-- JSON: {series?, symbol?, date?, originalLanguage?, distribution?, agendaItem?, sponsors?, lines: []}.
ALTER TABLE documents ADD COLUMN masthead TEXT NOT NULL DEFAULT '{"lines":[]}';

-- The text typed before this option of its group (" / "); null for the first option and for "[a][b]".
ALTER TABLE brackets ADD COLUMN separator TEXT;

CREATE TABLE document_notes (
  id           TEXT PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id),
  paragraph_id TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('footnote', 'annotation')),
  -- A footnote's place: NFC UTF-16 offset into the paragraph's text when it was recorded.
  position     INTEGER,
  marker       TEXT,
  text         TEXT NOT NULL,
  created_by_username TEXT,
  created_at   TEXT NOT NULL
);
CREATE INDEX document_notes_paragraph ON document_notes (document_id, paragraph_id);

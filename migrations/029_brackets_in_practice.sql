-- Brackets as negotiating texts use them: held (or supported) by a group the meeting lists
-- as well as by a delegation, around several whole paragraphs, and labelled alternative
-- paragraphs ("Option 1", "Option 2: No text"). The table is rebuilt with its columns in
-- order and copied with SELECT *, so that a column another migration added fails loudly
-- here instead of being dropped; migrate() runs this with foreign keys off and checks them after.

-- Holders: a group's code (EU, G77, CARICOM) is not three letters, as delegations' codes
-- have been since 021. `recorded_by` is the delegation that spoke for a group's hold (the
-- one that may lift it); null when a delegation holds for itself or the secretariat recorded it.
CREATE TABLE bracket_holders_new (
  bracket_id TEXT NOT NULL REFERENCES brackets(id),
  delegation TEXT NOT NULL CHECK (length(delegation) BETWEEN 2 AND 12 AND delegation = upper(delegation)),
  user_id    TEXT REFERENCES users(id),
  held_at    TEXT NOT NULL,
  PRIMARY KEY (bracket_id, delegation)
) WITHOUT ROWID;
INSERT INTO bracket_holders_new SELECT * FROM bracket_holders;
DROP TABLE bracket_holders;
ALTER TABLE bracket_holders_new RENAME TO bracket_holders;
ALTER TABLE bracket_holders ADD COLUMN recorded_by TEXT;

-- Who supports a bracketed wording (the other side of an objection): delegations or groups.
CREATE TABLE bracket_supporters (
  bracket_id   TEXT NOT NULL REFERENCES brackets(id),
  delegation   TEXT NOT NULL CHECK (length(delegation) BETWEEN 2 AND 12 AND delegation = upper(delegation)),
  user_id      TEXT REFERENCES users(id),
  recorded_by  TEXT,
  supported_at TEXT NOT NULL,
  PRIMARY KEY (bracket_id, delegation)
) WITHOUT ROWID;

-- What a bracket encloses: `text` (a span inside one paragraph, paragraph_id) or
-- `paragraphs` (whole consecutive paragraphs, listed in bracket_paragraphs in order, the
-- first being paragraph_id). The mark stands on the whole text of each of them.
ALTER TABLE brackets ADD COLUMN scope TEXT NOT NULL DEFAULT 'text' CHECK (scope IN ('text', 'paragraphs'));
-- A labelled alternative of whole paragraphs: "Option 1", "Option 2"; null otherwise.
ALTER TABLE brackets ADD COLUMN option_label TEXT;
-- 1 for the option "No text": choosing it deletes every option's paragraphs, its own too.
ALTER TABLE brackets ADD COLUMN no_text INTEGER NOT NULL DEFAULT 0;

CREATE TABLE bracket_paragraphs (
  bracket_id   TEXT NOT NULL REFERENCES brackets(id),
  paragraph_id TEXT NOT NULL,
  position     INTEGER NOT NULL,
  PRIMARY KEY (bracket_id, paragraph_id)
) WITHOUT ROWID;
CREATE INDEX bracket_paragraphs_paragraph ON bracket_paragraphs (paragraph_id);

-- Paragraph annotations ("[Agreed ad ref]", a facilitator's note "{…}"): which one it is.
ALTER TABLE document_notes ADD COLUMN annotation TEXT CHECK (annotation IS NULL OR annotation IN ('agreed_ad_ref', 'facilitator'));
UPDATE document_notes SET annotation = 'agreed_ad_ref' WHERE kind = 'annotation';

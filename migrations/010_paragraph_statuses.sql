-- Paragraph agreement status (server/status): white → yellow → green, or ad ref.
-- Until this file, the table was created by 003_brackets.sql; a database made then already
-- has it, exactly as below, and this migration leaves it as it is (IF NOT EXISTS). A new
-- database gets it here, from the feature that owns it.

-- white is the default: a paragraph without a row is white.
CREATE TABLE IF NOT EXISTS paragraph_statuses (
  document_id  TEXT NOT NULL REFERENCES documents(id),
  paragraph_id TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('white', 'yellow', 'green', 'ad_ref')),
  set_by       TEXT REFERENCES users(id),
  set_by_username TEXT,
  set_at       TEXT NOT NULL,
  PRIMARY KEY (document_id, paragraph_id)
) WITHOUT ROWID;

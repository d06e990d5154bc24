-- Who wrote what: for every accepted text update, the Yjs ids it inserted and the ids it
-- deleted, with the person (and their delegation then) the server accepted it from. The
-- "changes since" view of a version attributes each insertion and deletion from here; the
-- rows outlive the update log, which compaction folds into the snapshot.
CREATE TABLE text_authorship (
  seq         INTEGER PRIMARY KEY,   -- order of arrival: the first row covering an id wins
  document_id TEXT NOT NULL REFERENCES documents(id),
  action      TEXT NOT NULL CHECK (action IN ('insert', 'delete')),
  client      INTEGER NOT NULL,      -- Yjs client id and clock range [clock, clock + length)
  clock       INTEGER NOT NULL,
  length      INTEGER NOT NULL CHECK (length > 0),
  user_id     TEXT REFERENCES users(id),
  username    TEXT,
  delegation  TEXT,                  -- the author's delegation code when they made the change
  role        TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX text_authorship_document ON text_authorship (document_id, client, clock);

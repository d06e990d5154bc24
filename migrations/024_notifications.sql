-- A member's inbox: what happened that concerns them (a decision on their delegation's
-- amendment, a bracket they held resolved, a signature awaited, a source changed under a
-- consolidation, a change declined, a mention), written in the same transaction as the act
-- that caused it and read by that member only.
CREATE TABLE notifications (
  id            INTEGER PRIMARY KEY,
  user_id       TEXT NOT NULL REFERENCES users(id),
  meeting_id    TEXT NOT NULL REFERENCES meetings(id),
  kind          TEXT NOT NULL CHECK (kind IN ('amendment_decided', 'bracket_resolved', 'signature_pending', 'source_changed', 'change_declined', 'mention')),
  -- Where it leads: the document, the paragraph, the panel and the thing in it.
  document_id   TEXT REFERENCES documents(id),
  paragraph_id  TEXT,
  panel         TEXT,
  target_id     TEXT,
  -- One sentence for people, and the facts it was made from (JSON) for the interface's own words.
  summary       TEXT NOT NULL,
  details       TEXT NOT NULL DEFAULT '{}',
  actor_username   TEXT,
  actor_delegation TEXT,
  -- An unread notification with the same key is brought up to date instead of repeated
  -- (a source typed in for an hour makes one notice, with how many times it changed).
  coalesce_key  TEXT,
  times         INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  read_at       TEXT
);
CREATE INDEX notifications_inbox ON notifications (user_id, meeting_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, meeting_id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_coalesce ON notifications (user_id, coalesce_key) WHERE read_at IS NULL AND coalesce_key IS NOT NULL;

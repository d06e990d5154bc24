-- Brackets (disputed spans of text, their holders) and paragraph agreement status.
-- The span itself lives in the text as the `bracket{id, group}` mark; these rows are what
-- the mark cannot carry: who holds it, who opened it, and how it ended.

CREATE TABLE brackets (
  id            TEXT PRIMARY KEY,
  document_id   TEXT NOT NULL REFERENCES documents(id),
  -- B1, B2… in opening order per document.
  number        INTEGER NOT NULL,
  paragraph_id  TEXT NOT NULL,
  -- How delegates cited the paragraph when last seen (OP3), kept for a deleted paragraph.
  paragraph_ref TEXT,
  -- The option group shared by alternative wordings; null for a lone bracket.
  group_id      TEXT,
  -- The bracketed words as last seen in the text, kept once the mark is gone.
  text          TEXT NOT NULL,
  state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved', 'removed')),
  opened_by     TEXT REFERENCES users(id),
  opened_by_username TEXT,
  opened_delegation  TEXT,
  opened_at     TEXT NOT NULL,
  -- How it ended: kept / deleted / chosen / not_chosen by the chair, or text_deleted by an edit.
  closed_how    TEXT CHECK (closed_how IN ('kept', 'deleted', 'chosen', 'not_chosen', 'text_deleted')),
  closed_by_username TEXT,
  closed_reason TEXT,
  closed_at     TEXT,
  UNIQUE (document_id, number)
);
CREATE INDEX brackets_paragraph ON brackets (document_id, paragraph_id, state);
CREATE INDEX brackets_group ON brackets (document_id, group_id);

-- The delegations that hold an open bracket (a lifted hold is deleted; the audit keeps it).
CREATE TABLE bracket_holders (
  bracket_id TEXT NOT NULL REFERENCES brackets(id),
  delegation TEXT NOT NULL CHECK (length(delegation) = 3 AND delegation = upper(delegation)),
  user_id    TEXT REFERENCES users(id),
  held_at    TEXT NOT NULL,
  PRIMARY KEY (bracket_id, delegation)
) WITHOUT ROWID;

-- Paragraph agreement status is a feature of its own: its table is defined in
-- 010_paragraph_statuses.sql (databases made before that file have it from here).

-- A bracket's history is read from the audit chain by target (GET /api/brackets/:id and the
-- event of every bracket command), not by scanning the whole document's events.
CREATE INDEX IF NOT EXISTS audit_target ON audit_events (target_type, target_id, seq);

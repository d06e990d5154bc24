-- Comments and delegation notes: discussion anchored to a paragraph or to a range of its
-- text. Neither is part of the text: not in the Yjs document, its canonical form, hash,
-- versions or exports. A note (delegation set) is seen by that delegation's members only.
CREATE TABLE comments (
  id            TEXT PRIMARY KEY,
  document_id   TEXT NOT NULL REFERENCES documents(id),
  -- NULL: a comment, seen by every member of the meeting; a code: a note of that delegation.
  delegation    TEXT,
  -- The first comment of the thread this one replies to; NULL for a thread's first comment.
  thread_id     TEXT REFERENCES comments(id),
  paragraph_id  TEXT NOT NULL,
  -- How the paragraph was cited when the comment was made (OP3), kept if it is deleted.
  paragraph_ref TEXT,
  -- Yjs relative positions (encoded) of the range's start and end, which follow the text
  -- through edits; NULL when the comment is on the whole paragraph. Thread starts only.
  anchor_start  BLOB,
  anchor_end    BLOB,
  -- The words commented on, as they stood.
  quote         TEXT,
  body          TEXT NOT NULL,
  -- Usernames the body mentions that could see it (JSON array).
  mentions      TEXT NOT NULL DEFAULT '[]',
  author_id     TEXT NOT NULL REFERENCES users(id),
  author_delegation TEXT,
  created_at    TEXT NOT NULL,
  edited_at     TEXT,
  deleted_at    TEXT,
  resolved_at   TEXT,
  resolved_by   TEXT REFERENCES users(id)
);
CREATE INDEX comments_document ON comments (document_id, delegation, created_at);
CREATE INDEX comments_thread ON comments (thread_id, created_at);

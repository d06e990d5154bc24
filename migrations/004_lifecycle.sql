-- Lifecycle: ministers' signatures bound to the adopted text, delegations' reservations,
-- the set of delegations that must sign each document, and the anchor of the audit chain.

-- A delegation's statement on one paragraph or the whole document, published as a
-- footnote; it never changes the text. Lodged alone or with a signature.
CREATE TABLE reservations (
  id           TEXT PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id),
  delegation   TEXT NOT NULL,
  user_id      TEXT NOT NULL REFERENCES users(id),
  paragraph_id TEXT,
  text         TEXT NOT NULL,
  -- The canonical hash of the text the reservation was made on.
  text_hash    TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  voided_at    TEXT,
  voided_reason TEXT
);
CREATE INDEX reservations_document ON reservations (document_id, created_at);

-- A minister's approval of one exact text. `seal` is the SHA-256 of every other field
-- (and of the reservation it carries); the audit event that recorded the signature or its
-- voiding holds the same seal, so an edited row no longer matches either.
CREATE TABLE signatures (
  id             TEXT PRIMARY KEY,
  document_id    TEXT NOT NULL REFERENCES documents(id),
  version_id     TEXT NOT NULL REFERENCES versions(id),
  delegation     TEXT NOT NULL,
  user_id        TEXT NOT NULL REFERENCES users(id),
  username       TEXT NOT NULL,
  hash           TEXT NOT NULL,
  signed_at      TEXT NOT NULL,
  reservation_id TEXT REFERENCES reservations(id),
  voided_at      TEXT,
  voided_reason  TEXT,
  seal           TEXT NOT NULL
);
CREATE INDEX signatures_document ON signatures (document_id, signed_at);
-- One standing signature per delegation and document; voided ones stay on record.
CREATE UNIQUE INDEX signatures_standing ON signatures (document_id, delegation) WHERE voided_at IS NULL;

-- The delegations that must sign a document. No row for a document: every member
-- delegation of its meeting.
CREATE TABLE document_signatories (
  document_id TEXT NOT NULL REFERENCES documents(id),
  delegation  TEXT NOT NULL,
  PRIMARY KEY (document_id, delegation)
) WITHOUT ROWID;

-- The head of the audit chain, written in the same transaction as each event, so that
-- deleting the last events (which breaks no link) is detected too.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) SELECT 1, seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1;

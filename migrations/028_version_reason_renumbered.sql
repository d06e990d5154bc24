-- A version stored by the secretariat's renumbering (stable numbers under negotiation end
-- with one recorded renumbering) says so: `reason` gains 'renumbered'. SQLite cannot
-- change a CHECK, so the table is rebuilt with its columns in order and copied with
-- SELECT * (a column another migration added fails loudly here instead of being dropped).
-- migrate() runs this with foreign keys off and checks them after; signatures still
-- reference versions(id) by name.
CREATE TABLE versions_new (
  id          TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES documents(id),
  number      INTEGER NOT NULL,
  label       TEXT NOT NULL,
  symbol      TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('named', 'transition', 'initial', 'renumbered')),
  state       TEXT NOT NULL,
  ydoc        BLOB NOT NULL,
  canonical   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  created_by  TEXT REFERENCES users(id),
  created_at  TEXT NOT NULL,
  UNIQUE (document_id, number)
);
INSERT INTO versions_new SELECT * FROM versions;
DROP TABLE versions;
ALTER TABLE versions_new RENAME TO versions;

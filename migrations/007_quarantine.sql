-- A document whose stored text turned out to be damaged is quarantined: nobody can open it
-- until the secretariat has dealt with it; the rest of the meeting carries on.
ALTER TABLE documents ADD COLUMN quarantined_at TEXT;
ALTER TABLE documents ADD COLUMN quarantine_reason TEXT;

-- SHA-256 of each snapshot's state, written with it: a document is served from its snapshot
-- before the snapshot is decoded, so damage must be found without decoding. NULL for
-- snapshots written before this column existed; those are decoded before they are served.
ALTER TABLE document_snapshots ADD COLUMN state_digest BLOB;

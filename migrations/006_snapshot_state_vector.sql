-- The state vector of each snapshot, stored with it: a document opened from its snapshot
-- can greet its first joiner (sync step 1) before the snapshot is decoded. NULL for
-- snapshots written before this column existed; it is then computed from the snapshot.
ALTER TABLE document_snapshots ADD COLUMN state_vector BLOB;

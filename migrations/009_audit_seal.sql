-- The head of the audit chain is sealed with a key kept outside the database: an HMAC over
-- its sequence number and hash, and the id of the key that made it. Whoever can write the
-- database file but not read the key can no longer recompute a chain that verifies.
-- Heads written before this migration are sealed on the next start (trust on first use).
ALTER TABLE audit_head ADD COLUMN seal TEXT;
ALTER TABLE audit_head ADD COLUMN key_id TEXT;

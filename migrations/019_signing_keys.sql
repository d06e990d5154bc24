-- Ministers' own signing keys: an ECDSA P-256 key pair made in the minister's browser,
-- whose private half never leaves it. The public key is registered once and confirmed by
-- the secretariat before a signature made with it is accepted. A signature then carries
-- the exact statement signed and the browser's signature of it, which anyone can check
-- offline against the public key.
CREATE TABLE signing_keys (
  id             TEXT PRIMARY KEY,
  meeting_id     TEXT NOT NULL REFERENCES meetings(id),
  user_id        TEXT NOT NULL REFERENCES users(id),
  delegation     TEXT NOT NULL,
  -- The public key as a JSON Web Key {kty, crv, x, y}.
  public_key     TEXT NOT NULL,
  -- SHA-256 (hex) of the key's SubjectPublicKeyInfo (DER): what the minister reads out.
  fingerprint    TEXT NOT NULL,
  registered_at  TEXT NOT NULL,
  confirmed_at   TEXT,
  confirmed_by   TEXT REFERENCES users(id),
  revoked_at     TEXT,
  revoked_reason TEXT
);
-- One standing key per minister.
CREATE UNIQUE INDEX signing_keys_standing ON signing_keys (user_id) WHERE revoked_at IS NULL;
CREATE INDEX signing_keys_meeting ON signing_keys (meeting_id, registered_at);

ALTER TABLE signatures ADD COLUMN key_id TEXT REFERENCES signing_keys(id);
ALTER TABLE signatures ADD COLUMN statement TEXT;
ALTER TABLE signatures ADD COLUMN signature TEXT;

-- The languages a translator translates into (JSON array of language codes); empty for
-- every other role.
ALTER TABLE memberships ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';

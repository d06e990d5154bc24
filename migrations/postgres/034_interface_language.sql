-- migrations/034_interface_language.sql in PostgreSQL's words (see that file for what it is).
ALTER TABLE users ADD COLUMN interface_language TEXT;

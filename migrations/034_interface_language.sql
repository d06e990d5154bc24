-- The language a person chose for the interface (en, es, fr, pt), remembered with the
-- person rather than the browser, so that signing in elsewhere speaks it too. NULL until
-- they choose: the editor then follows the browser's languages.
ALTER TABLE users ADD COLUMN interface_language TEXT;

-- A document's masthead fields, printed in its header and its exports: the date of the
-- text, its distribution ("General", "Limited"), the agenda item and the sponsors. The
-- import fills them from the file's masthead; `documents.masthead` keeps what the file had.
ALTER TABLE documents ADD COLUMN document_date TEXT;
ALTER TABLE documents ADD COLUMN distribution TEXT;
ALTER TABLE documents ADD COLUMN agenda_item TEXT;
ALTER TABLE documents ADD COLUMN sponsors TEXT;

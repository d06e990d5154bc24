-- Reference footnotes the secretariat places at a point of the text: where the note stands
-- is a Yjs relative position (encoded), which follows the text through every edit; the
-- offset in `position` is where it stood when placed, kept for notes placed before anchors
-- existed (an import's). Who changed a note last, and when.
ALTER TABLE document_notes ADD COLUMN anchor BLOB;
ALTER TABLE document_notes ADD COLUMN updated_by_username TEXT;
ALTER TABLE document_notes ADD COLUMN updated_at TEXT;

-- A follow owed: a change of an original's block structure is stored and sent before its
-- language versions follow it, in a commit of their own right after. The row is written
-- with the original's change and deleted with the versions' follow, so that a process
-- stopped in between leaves the debt on disk, and the follow is made when the original
-- or one of its versions is next opened. `touched`: a JSON array of the ids of the blocks
-- the original's changes touched since its versions last followed (NULL: every block).
CREATE TABLE structure_follows (
  original_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  touched TEXT,
  owed_since TEXT NOT NULL
);

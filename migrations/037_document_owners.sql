-- Which process owns each document's live text, in a cluster: a lease that its holder
-- renews, with a fencing token that grows at every change of holder. The text store
-- refuses a write whose process does not hold a live lease with its token, so a former
-- owner (paused, partitioned) cannot commit after another took the document over.
-- `holder` names one run of one process (its name, pid and a random part); `process`,
-- `pid` and `url` say where it is (answered by GET /api/documents/:id/owner, and where
-- requests for the document are forwarded). `expires_at`: milliseconds since 1970.
CREATE TABLE document_owners (
  document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  process TEXT NOT NULL,
  pid INTEGER NOT NULL,
  url TEXT,
  token BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

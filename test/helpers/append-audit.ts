/**
 * A separate process appending to the audit chain of the PostgreSQL store named by argv[2]:
 * argv[3] events, each in its own transaction, as fast as it can (the chain test runs several).
 */
import { appendAudit } from "../../server/audit/audit.js";
import { openPostgres } from "../../server/store/postgres.js";

const db = openPostgres(process.argv[2]!);
const who = { id: null, username: `process-${process.pid}`, role: null, delegation: null };
for (let i = 0; i < Number(process.argv[3]); i++) appendAudit(db, who, { meetingId: "m", action: "test.appended" });
db.close();

import { loadConfig } from "./config.js";
import { createContext, startAccord } from "./app.js";
import { isEmpty, seedDemo } from "./seed/demo.js";
import { DatabaseRefused } from "./store/integrity.js";
import { warmExportWorker } from "./exports/routes.js";
import { claimDataDir, releaseDataDir } from "./store/running.js";
import { administratorWithoutPassword, ensureAdministrator } from "./meetings/admin.js";
import { clusterNodeOf } from "./cluster/join.js";

/**
 * `npm start`: opens (or creates) the database, seeds the demo meeting into an empty one,
 * serves the API, the collaboration websockets and the editor.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const ctx = createContext(config);
  let seeded = false;
  if (config.seedDemo && isEmpty(ctx)) {
    await seedDemo(ctx, config.demoPassword);
    seeded = true;
  }
  // In a cluster the setup link is issued once, by the first process to start: the others
  // keep it (replacing it would void the link the first one printed).
  const node = clusterNodeOf(ctx);
  const linkPrintedBy = node && config.adminPassword === null ? await node.doneElsewhere("admin-setup-link") : null;
  const adminLink = await ensureAdministrator(ctx, config.adminPassword, { keepLiveLink: linkPrintedBy !== null });
  const accord = await startAccord(config, ctx);
  claimDataDir(config.dataDir);
  warmExportWorker();
  const users = ctx.db.prepare("SELECT COUNT(*) FROM users").pluck().get() as number;
  console.log(`Accord is running at ${accord.url}  (data: ${config.dataDir})`);
  if (config.seedDemo) {
    console.log(seeded ? "Seeded the demo meeting." : "Using the existing database.");
    console.log(`Demo accounts (${users}), all with password "${config.demoPassword}" (ACCORD_DEMO_PASSWORD):`);
    console.log("  admin (server administrator: creates meetings), secretariat, chair (plenary + ad hoc group), rapporteur, observer, wg1.chair … wg4.chair");
    console.log("  <iso3>.delegate and <iso3>.minister for each of the 35 delegations, e.g. arg.delegate, bra.minister");
  }
  if (adminLink) {
    console.log(`The administrator "admin" has no password yet. Choose one, once, within 7 days, at:`);
    console.log(`  ${accord.url}${adminLink}`);
    console.log(
      node
        ? "(or start with ACCORD_ADMIN_PASSWORD set; this link is replaced when the cluster's first process starts again, until it is used)"
        : "(or start with ACCORD_ADMIN_PASSWORD set; this link is replaced at every start until it is used)",
    );
  } else if (linkPrintedBy !== null && administratorWithoutPassword(ctx)) {
    console.log(`The administrator "admin" has no password yet: the setup link was printed by ${linkPrintedBy}, which started first; it is kept.`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: flushing open documents and stopping`);
    await accord.close();
    releaseDataDir(config.dataDir);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  // A database the server will not touch is explained in one sentence, not a stack trace.
  if (error instanceof DatabaseRefused) console.error(`Accord did not start: ${error.message}`);
  else console.error(error);
  process.exit(error instanceof DatabaseRefused ? 2 : 1);
});

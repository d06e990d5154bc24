import { databaseFile, type Config } from "../config.js";
import { openDatabase, type Db } from "./db.js";
import { openPostgres } from "./postgres.js";

/**
 * Opens the configured store, migrated: PostgreSQL when ACCORD_DATABASE_URL names one,
 * otherwise the SQLite file in the data folder (created on first start).
 */
export function openStore(config: Pick<Config, "dataDir" | "databaseUrl" | "sync">): Db {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openDatabase(databaseFile(config), config.sync);
}

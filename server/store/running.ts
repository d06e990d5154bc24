import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file in the data folder that names the process serving it. */
function pidFile(dataDir: string): string {
  return join(dataDir, "accord.pid");
}

/** Records that this process serves `dataDir` (for `npm run restore`, which must not swap a database under a running server). */
export function claimDataDir(dataDir: string): void {
  writeFileSync(pidFile(dataDir), `${process.pid}\n`);
}

/** Removes the record, if it is this process's. */
export function releaseDataDir(dataDir: string): void {
  if (runningServer(dataDir) === process.pid) rmSync(pidFile(dataDir), { force: true });
}

/**
 * The id of a live process that recorded itself as serving `dataDir`, or null. A record
 * left by a killed server names a process that no longer exists and is ignored.
 */
export function runningServer(dataDir: string): number | null {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else; it is still running.
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

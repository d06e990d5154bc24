import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { setPriority } from "node:os";

/** CPU time (user + system) of a process so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name, which may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Resident memory of a process, in MiB, from /proc/<pid>/status. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * The whole machine's CPU time from /proc/stat, in ticks: busy (including time the host
 * took for others: steal), total, and steal alone. Between two readings, busy / total
 * times the cores is how many were busy.
 */
export function machineTicks(): { busy: number; total: number; steal: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total, steal: cpu[7] ?? 0 };
}

/**
 * Raises a bench process above the other work on the machine (others' tests share these
 * two cores): servers and load generator alike, so no side of the comparison is favoured.
 * Without the privilege to do so, the run simply proceeds at normal priority.
 */
export function favour(pid: number): boolean {
  try {
    setPriority(pid, -10);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts a load process below the processes under measurement (nice 5): on two cores, the
 * writers otherwise take the CPU the server and the probes need at the moment they need
 * it. The same for every server.
 */
export function deprioritise(pid: number): void {
  try {
    setPriority(pid, 5);
  } catch {
    /* stays as it is */
  }
}

/**
 * With autogroup scheduling, Linux first shares the CPU between sessions, so a nice value
 * alone does nothing against another session's tests: this raises the bench's session (its
 * own processes) for the run. Returns what undoes it, or null if not allowed.
 */
export function favourSession(): (() => void) | null {
  const file = `/proc/${process.pid}/autogroup`;
  try {
    if (!existsSync(file)) return null;
    const before = /nice (-?\d+)/.exec(readFileSync(file, "utf8"))?.[1] ?? "0";
    writeFileSync(file, "-10");
    return () => writeFileSync(file, before);
  } catch {
    return null;
  }
}

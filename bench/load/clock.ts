/**
 * Milliseconds on CLOCK_MONOTONIC, which every process on this machine shares: a send
 * time taken in a writer process and an arrival time taken in a probe process can be
 * subtracted directly (`Date.now()` would add NTP steps and millisecond rounding).
 */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

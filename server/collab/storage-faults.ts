// After a storage fault, text updates are tried again this long after it, doubling while
// the fault lasts, up to the maximum.
const STORAGE_RETRY_MS = 1000;
const MAX_STORAGE_RETRY_MS = 30_000;

/** A storage fault in progress: why, and when text updates are tried again. */
interface StorageFault {
  reason: string;
  delayMs: number;
  timer: NodeJS.Timeout;
}

/**
 * Storage faults (a full disk, a read-only file) and the retries after them: while one
 * lasts, text updates are held back (each client keeps its own and is asked for it again
 * later) and tried again after a delay that doubles while the fault comes back, so nobody
 * reconnects and nothing acknowledged is touched.
 */
export class StorageFaults {
  /** The fault holding text updates back, or null. */
  private current: StorageFault | null = null;
  /** The retry delay after the last fault: doubled by a fault that comes back soon after. */
  private lastRetryMs = 0;
  private closed = false;

  constructor(
    /** Called when updates may be tried again: the clients whose updates were held back are asked for them. */
    private readonly retry: () => void,
  ) {}

  /** Why text updates are held back now, or null. */
  get heldBack(): string | null {
    return this.current?.reason ?? null;
  }

  /** A storage fault (`fault`, from `error`): updates are held back until the retry. */
  failed(fault: string, error: unknown): void {
    if (this.current !== null || this.closed) return;
    const delayMs = Math.min(MAX_STORAGE_RETRY_MS, this.lastRetryMs > 0 ? this.lastRetryMs * 2 : STORAGE_RETRY_MS);
    console.error(`storage fault: ${fault}; text updates are held back and tried again in ${delayMs} ms:`, (error as Error)?.message ?? error);
    const timer = setTimeout(() => this.retryNow(), delayMs);
    timer.unref();
    this.current = { reason: fault, delayMs, timer };
  }

  /** After the delay: accepts updates again and asks for the held-back ones. */
  private retryNow(): void {
    const fault = this.current;
    if (fault === null) return;
    this.current = null;
    this.lastRetryMs = fault.delayMs;
    this.retry();
    // A retry that no fault follows for a while starts the next fault's delays afresh.
    setTimeout(() => {
      if (this.current === null && this.lastRetryMs === fault.delayMs) this.lastRetryMs = 0;
    }, fault.delayMs * 4).unref();
  }

  /** No more retries (server shutdown). */
  close(): void {
    this.closed = true;
    if (this.current !== null) clearTimeout(this.current.timer);
  }
}

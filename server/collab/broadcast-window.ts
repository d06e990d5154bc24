// Broadcasting may take at most this share of the main thread (a broadcast that cost d ms
// of CPU lets the next start d / share ms after it), and nobody waits longer than the
// maximum for a window.
const BROADCAST_SHARE = 1 / 3;
const MAX_BROADCAST_WINDOW_MS = 20;

/**
 * The pace of broadcasts: the shortest time between the starts of two. Every broadcast
 * costs a socket write per recipient (about 10 µs each here, mostly in the kernel), so
 * with hundreds of connections, broadcasting every turn would take the whole main thread
 * and the queue, not the work, would set the latency. Measuring what deliveries cost,
 * rather than counting connections, sizes the window to this machine and its load: a few
 * tens of microseconds with 35 editors, a few milliseconds with 200, the maximum near 800.
 * What a delivery costs is its CPU time, not the time it took: on a shared machine the
 * process is preempted in the middle of one, and timing that made every window the
 * maximum while the server used under half a core (updates waited for the window, not
 * for work).
 */
export class BroadcastWindow {
  private lastDelivery = 0;
  /** What recent deliveries cost on the main thread (moving average), ms of CPU. */
  private deliveryMs = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** Whether anything is waiting to be delivered. */
    private readonly waiting: () => boolean,
    /** Delivers everything waiting. */
    private readonly deliver: () => void,
  ) {}

  /** The shortest time between the starts of two deliveries now, ms. */
  get windowMs(): number {
    return Math.min(MAX_BROADCAST_WINDOW_MS, this.deliveryMs / BROADCAST_SHARE);
  }

  /**
   * Delivers what is waiting, now (`now` true, or the window is open) or once the window
   * opens; nothing if nothing is waiting.
   */
  request(now: boolean): void {
    if (!this.waiting()) return;
    if (!now) {
      const wait = this.lastDelivery + this.windowMs - performance.now();
      if (wait > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          this.request(true);
        }, wait);
        return;
      }
    }
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastDelivery = performance.now();
    const cpu = process.cpuUsage();
    this.deliver();
    const spent = process.cpuUsage(cpu);
    this.deliveryMs += ((spent.user + spent.system) / 1000 - this.deliveryMs) * 0.2;
  }
}

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BroadcastWindow } from "../server/collab/broadcast-window.js";

/**
 * The pace of deliveries: a delivery right after another waits for the window; one that
 * comes after a stall (nothing durable for a while) does not add a window to the stall.
 * The clock is faked; each delivery spends real CPU, which is what sizes the window.
 */

// CPU each delivery spends, ms: enough for the window to reach its maximum after a few.
const DELIVERY_CPU_MS = 12;

function spendCpu(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const spent = process.cpuUsage(start);
    if ((spent.user + spent.system) / 1000 >= ms) return;
  }
}

describe("BroadcastWindow", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function paced(): { window: BroadcastWindow; offer: () => void; delivered: () => number } {
    let waiting = false;
    let delivered = 0;
    const window = new BroadcastWindow(
      () => waiting,
      () => {
        waiting = false;
        delivered += 1;
        spendCpu(DELIVERY_CPU_MS);
      },
    );
    return {
      window,
      offer: () => {
        waiting = true;
        window.request(false);
      },
      delivered: () => delivered,
    };
  }

  it("holds a delivery asked for right after another until the window ends", () => {
    const { window, offer, delivered } = paced();
    offer();
    expect(delivered()).toBe(1);
    expect(window.windowMs).toBeGreaterThan(0);
    offer();
    expect(delivered()).toBe(1);
    vi.advanceTimersToNextTimer();
    expect(delivered()).toBe(2);
  });

  it("lets the delivery after a stall be followed at once by the next, then paces again", () => {
    const { window, offer, delivered } = paced();
    // Deliveries one after another until the window is at its maximum (it no longer grows).
    let previous = -1;
    for (let i = 0; i < 100 && window.windowMs !== previous; i++) {
      previous = window.windowMs;
      offer();
      if (vi.getTimerCount() > 0) vi.advanceTimersToNextTimer();
    }
    expect(window.windowMs).toBe(previous);
    const before = delivered();
    // Nothing to deliver for many windows (a slow fsync, say).
    vi.advanceTimersByTime(window.windowMs * 10);
    offer();
    expect(delivered()).toBe(before + 1);
    // What became durable just after it goes at once: the stall already made it wait.
    offer();
    expect(delivered()).toBe(before + 2);
    // And then the window again.
    offer();
    expect(delivered()).toBe(before + 2);
    vi.advanceTimersToNextTimer();
    expect(delivered()).toBe(before + 3);
  });
});

import { describe, expect, it } from "vitest";
import { sweepEvery } from "./sweeper";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("sweepEvery", () => {
  it("runs its work again and again, one round at a time, through failures, until stopped", async () => {
    let rounds = 0;
    let running = 0;
    let overlapped = false;
    const errors: unknown[] = [];
    const sweeper = sweepEvery(
      5,
      async () => {
        running += 1;
        overlapped ||= running > 1;
        rounds += 1;
        await pause(15);
        running -= 1;
        if (rounds === 2) throw new Error("database away");
      },
      (error) => errors.push(error),
    );
    await pause(150);
    await sweeper.stop();
    const after = rounds;
    await pause(50);
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(rounds).toBe(after);
    expect(overlapped).toBe(false);
    expect(errors).toHaveLength(1);
    expect(running).toBe(0);
  });
});

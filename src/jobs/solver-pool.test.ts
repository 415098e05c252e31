// Solving on a thread: same answers as on the calling thread, progress reported, typed errors
// kept, the event loop free meanwhile, jobs queued when every thread is busy.
import { afterAll, describe, expect, it } from "vitest";
import { generateInstance } from "../solver/instances";
import { ProblemError } from "../solver/problem";
import { solveMatching } from "../solver/solve";
import { solverPool } from "./solver-pool";

describe("solver pool", () => {
  const pool = solverPool({ size: 1, optimise: false });
  afterAll(() => pool.close());

  it("gives the same solution as solving here, and reports progress in order", async () => {
    const problem = generateInstance("M", 3);
    const progress: number[] = [];
    const onThread = await pool.solve(problem, { onProgress: ({ solved }) => void progress.push(solved) });
    const here = await solveMatching(problem);
    expect(onThread.assignments).toEqual(here.assignments);
    expect(onThread.objective).toBe(here.objective);
    expect(progress).toEqual(Array.from({ length: here.components.length + 1 }, (_, i) => i));
  });

  it("keeps the event loop free while HiGHS works, and queues a second solve behind the first", async () => {
    const problem = { ...generateInstance("L", 2), options: { timeLimitSeconds: 5 } };
    let last = performance.now();
    let longestPause = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      longestPause = Math.max(longestPause, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const [first, second] = await Promise.all([pool.solve(problem), pool.solve(problem)]);
    const took = performance.now() - started;
    clearInterval(timer);
    expect(first.objective).toBe(second.objective);
    // Solving here would stop the timer for the length of a HiGHS call (seconds at this size).
    expect(took).toBeGreaterThan(1000);
    expect(longestPause).toBeLessThan(400);
  });

  it("keeps a malformed problem's typed error", async () => {
    await expect(pool.solve({ citizens: [{ id: "a", capacityMinutes: -1 }], occurrences: [], pairs: [] })).rejects.toThrow(ProblemError);
  });
});

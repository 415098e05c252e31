// Solving on a thread: same answers as on the calling thread, progress reported, typed errors
// kept, the event loop free meanwhile, jobs queued when every thread is busy.
import { afterAll, describe, expect, it } from "vitest";
import { generateInstance } from "../solver/instances";
import { ProblemError } from "../solver/problem";
import { solveMatching } from "../solver/solve";
import { SolverThreadStoppedError, solverPool } from "./solver-pool";
import { planHouse, type PlannerInput } from "../housing/planner.model";
import { compileRunWeek } from "../matching/week.model";
import { sampleWeek } from "../../test/helpers/week";

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

  it("plans a shared house on a thread exactly as here", async () => {
    const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 8 * 60, endMinute: 17 * 60 }));
    const input: PlannerInput = {
      from: "2027-03-22",
      to: "2027-04-05",
      slotMinutes: 60,
      quietHours: { startMinute: 22 * 60, endMinute: 7 * 60 },
      spaces: [{ id: "kitchen", opening: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, startMinute: 7 * 60, endMinute: 22 * 60 })) }],
      households: ["a", "b", "c"].map((id) => ({ id, busy: { windows: weekdays, exceptions: [] } })),
      activities: [
        {
          id: "meal",
          spaceId: "kitchen",
          durationMinutes: 120,
          attendance: "ROTA",
          householdsPerTurn: 1,
          frequency: { kind: "TIMES", times: 4 },
          minSpacingHours: 48,
        },
        { id: "meeting", spaceId: "kitchen", durationMinutes: 60, attendance: "ALL", frequency: { kind: "WEEKLY", everyWeeks: 1 } },
      ],
    };
    const onThread = await pool.planHouse(input);
    expect(onThread.occurrences).toHaveLength(6);
    expect(onThread).toEqual(await planHouse(input));
  });

  it("fails the work of a thread that stops, even one that stops while starting, and gives the next a new thread", async () => {
    // A heap too small to load the thread's code: each thread dies before it is ready.
    const starved = solverPool({ size: 1, optimise: false, maxHeapMb: 8 });
    try {
      const problem = generateInstance("M", 3);
      const outcome = (work: Promise<unknown>) =>
        Promise.race([
          work.then(
            () => "answered",
            (error: unknown) => error,
          ),
          new Promise((resolve) => setTimeout(() => resolve("still waiting after 20 s"), 20_000)),
        ]);
      const first = await outcome(starved.solve(problem));
      expect(first).toBeInstanceOf(SolverThreadStoppedError);
      expect(String(first)).toMatch(/the solver thread stopped: .*memory/);
      expect(
        await outcome(
          starved.planHouse({
            from: "2027-03-22",
            to: "2027-03-29",
            slotMinutes: 60,
            quietHours: { startMinute: 0, endMinute: 0 },
            spaces: [],
            households: [],
            activities: [],
          }),
        ),
      ).toBeInstanceOf(SolverThreadStoppedError);
    } finally {
      await starved.close();
    }
  }, 60_000);

  it("solves and plans with the optimiser on and its real warm-up (a thread that only awaits it must not end)", async () => {
    // Tests elsewhere skip HiGHS's ahead-of-time compilation to save time; the service does not.
    // On Node 24 a thread awaiting only that compilation ended with exit code 0, and every
    // matching run and house plan then waited for it forever.
    const optimised = solverPool({ size: 1, optimise: true });
    try {
      const problem = generateInstance("M", 3);
      expect((await optimised.solve(problem)).objective).toBe((await solveMatching(problem)).objective);
      expect(
        (
          await optimised.planHouse({
            from: "2027-03-22",
            to: "2027-03-29",
            slotMinutes: 60,
            quietHours: { startMinute: 0, endMinute: 0 },
            spaces: [],
            households: [],
            activities: [],
          })
        ).occurrences,
      ).toEqual([]);
    } finally {
      await optimised.close();
    }
  }, 60_000);

  it("stops a thread past its deadline, fails its work with the reason, and gives the next a new thread", async () => {
    const hasty = solverPool({ size: 1, optimise: false, deadlineMs: 1 });
    try {
      await hasty.start();
      const failed = await hasty.compileRun(sampleWeek(), { pinned: [], excluded: [], previousProposal: new Set() }).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(SolverThreadStoppedError);
      expect(String(failed)).toMatch(/did not answer within 0 s/);
      // A solve has a deadline of its own (from its time limit), on a new thread.
      const solved = await hasty.solve(generateInstance("M", 3));
      expect(solved.assignments.length).toBeGreaterThan(0);
    } finally {
      await hasty.close();
    }
  }, 60_000);

  it("compiles a run's week on a thread exactly as here, Maps and Sets included", async () => {
    const decisions = {
      pinned: [{ citizen: "carla", occurrence: "follonica" }],
      excluded: [{ citizen: "anna", occurrence: "late" }],
      previousProposal: new Set(["bruno|early"]),
    };
    const onThread = await pool.compileRun(sampleWeek(), decisions);
    expect(onThread?.compiled.breakdown.size).toBeGreaterThan(0);
    expect(onThread).toEqual(compileRunWeek(sampleWeek(), decisions));
    expect(await pool.compileRun(sampleWeek({ regulation: null }), decisions)).toBeNull();
  });

  it("keeps the event loop free while HiGHS works, and queues a second solve behind the first", async () => {
    const problem = { ...generateInstance("L", 2), options: { timeLimitSeconds: 5 } };
    /** The longest pause of a 5 ms timer while `work` runs. */
    const longestPauseDuring = async <T>(work: () => Promise<T>) => {
      let last = performance.now();
      let longest = 0;
      const timer = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 5);
      try {
        const result = await work();
        // Let the timer tick once more, so a pause that ends with the work is measured.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { result, longest };
      } finally {
        clearInterval(timer);
      }
    };
    // On this thread, HiGHS stops the timer for the length of its call; on the pool it does not,
    // however fast the machine (the comparison scales with it).
    const here = await longestPauseDuring(() => solveMatching(problem));
    const pooled = await longestPauseDuring(() => Promise.all([pool.solve(problem), pool.solve(problem)]));
    expect(pooled.result[0].objective).toBe(pooled.result[1].objective);
    expect(pooled.result[0].objective).toBe(here.result.objective);
    expect(here.longest).toBeGreaterThan(150);
    expect(pooled.longest).toBeLessThan(here.longest / 3);
  });

  it("keeps a malformed problem's typed error", async () => {
    await expect(pool.solve({ citizens: [{ id: "a", capacityMinutes: -1 }], occurrences: [], pairs: [] })).rejects.toThrow(ProblemError);
  });
});

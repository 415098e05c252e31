import { describe, expect, it } from "vitest";
import { overlapRecorder } from "../../test/helpers/overlap";
import { inProcessRunner } from "./runner";

describe("in-process runner", () => {
  it("runs different territories' matching runs in parallel and one territory's one at a time", async () => {
    const territoryOf: Record<string, string> = { r1: "north", r2: "north", r3: "south", r4: "north" };
    const recorder = overlapRecorder();
    const runner = inProcessRunner({ matchingRun: (runId) => recorder.work(runId, territoryOf[runId]!, 60) });
    for (const runId of Object.keys(territoryOf)) await runner.enqueueMatchingRun({ runId, territoryId: territoryOf[runId]! });
    await runner.idle();
    expect(recorder.finished.sort()).toEqual(["r1", "r2", "r3", "r4"]);
    expect(recorder.overlaps).toContain("north|south");
    expect(recorder.overlaps).not.toContain("north|north");
  });

  it("goes on with a territory's next run after one fails", async () => {
    const done: string[] = [];
    const runner = inProcessRunner({
      matchingRun: async (runId) => {
        if (runId === "bad") throw new Error("solver crashed");
        done.push(runId);
      },
    });
    const log = console.error;
    console.error = () => {};
    try {
      await runner.enqueueMatchingRun({ runId: "bad", territoryId: "north" });
      await runner.enqueueMatchingRun({ runId: "good", territoryId: "north" });
      await runner.idle();
    } finally {
      console.error = log;
    }
    expect(done).toEqual(["good"]);
  });

  it("queues a run handed over again before it starts once, and again once it has started", async () => {
    const started: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const runner = inProcessRunner({
      matchingRun: async (runId) => {
        started.push(runId);
        if (runId === "first") await gate;
      },
    });
    await runner.enqueueMatchingRun({ runId: "first", territoryId: "north" });
    // Waiting behind "first": handed over three times (the watchdog's rounds), queued once.
    for (let i = 0; i < 3; i++) await runner.enqueueMatchingRun({ runId: "waiting", territoryId: "north" });
    await runner.enqueueMatchingRun({ runId: "waiting", territoryId: "north", lease: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    // Running now: handed over again, it runs again after (its handler then finds it finished).
    await runner.enqueueMatchingRun({ runId: "first", territoryId: "north" });
    release();
    await runner.idle();
    expect(started).toEqual(["first", "waiting", "waiting", "first"]);
  });
});

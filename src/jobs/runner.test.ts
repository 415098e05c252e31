import { stat } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { overlapRecorder } from "../../test/helpers/overlap";
import { afterCommit, inProcessRunner } from "./runner";

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
});

describe("handing jobs over after a commit", () => {
  it("neither fails nor holds the request when the queue does not answer, and the hand-over still completes", async () => {
    let release!: () => void;
    let handed = false;
    const stuck = new Promise<void>((resolve) => (release = resolve)).then(() => void (handed = true));
    await afterCommit(() => stuck, 20);
    expect(handed).toBe(false);
    release();
    await stuck;
    expect(handed).toBe(true);
    await expect(afterCommit(() => Promise.reject(new Error("queue down")), 20)).resolves.toBe("failed");
  });

  it("does not call a hand-over late when its answer arrived while the event loop was held", async () => {
    // The answer (here a file system call done on libuv's thread pool) arrives while a long
    // synchronous stretch holds the loop past the wait; timers run before arrived I/O is read.
    const answered = () => new Promise<void>((resolve, reject) => stat(fileURLToPath(import.meta.url), (error) => (error ? reject(error) : resolve())));
    // Started from the loop's check phase, so that the next turn runs the expired timer before
    // reading the answer (where it is started from decides that order).
    const outcome = await new Promise<Awaited<ReturnType<typeof afterCommit>>>((resolve) =>
      setImmediate(() => {
        const handing = afterCommit(answered, 20);
        const until = Date.now() + 1000;
        while (Date.now() < until) {
          // held, as by a worker compiling a week
        }
        resolve(handing);
      }),
    );
    expect(outcome).toBe("handed");
  });
});

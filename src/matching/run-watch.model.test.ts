import { describe, expect, it } from "vitest";
import { RUN_MAX_ATTEMPTS, RUN_QUEUE_LIMIT_MS, RUN_REQUEUE_AFTER_MS, RUN_STALL_MS, RUN_TIME_LIMIT_MS, runVerdict, type WatchedRun } from "./run-watch.model";

const NOW = new Date("2026-03-02T09:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const run = (over: Partial<WatchedRun>): WatchedRun => ({ status: "RUNNING", createdAt: ago(5 * 60_000), heartbeatAt: ago(1_000), attempts: 1, ...over });

describe("runVerdict: every run ends", () => {
  it("leaves a run alone while its worker's heartbeat is fresh", () => {
    expect(runVerdict(run({ heartbeatAt: ago(RUN_STALL_MS - 1) }), NOW)).toEqual({ action: "wait" });
  });

  it("queues again a run whose worker went quiet, then fails it once taken the last time", () => {
    expect(runVerdict(run({ heartbeatAt: ago(RUN_STALL_MS + 1), attempts: RUN_MAX_ATTEMPTS - 1 }), NOW)).toEqual({ action: "requeue" });
    expect(runVerdict(run({ heartbeatAt: ago(RUN_STALL_MS + 1), attempts: RUN_MAX_ATTEMPTS }), NOW)).toEqual({ action: "fail", code: "WORKER_LOST" });
    // A running run that never wrote a heartbeat counts from when it was asked for.
    expect(runVerdict(run({ heartbeatAt: null, createdAt: ago(RUN_STALL_MS + 1) }), NOW)).toEqual({ action: "requeue" });
  });

  it("hands a queued run over again after a while, and fails one nobody ever took", () => {
    expect(runVerdict(run({ status: "QUEUED", createdAt: ago(RUN_REQUEUE_AFTER_MS - 1), attempts: 0 }), NOW)).toEqual({ action: "wait" });
    expect(runVerdict(run({ status: "QUEUED", createdAt: ago(RUN_REQUEUE_AFTER_MS + 1), attempts: 0 }), NOW)).toEqual({ action: "hand-over" });
    expect(runVerdict(run({ status: "QUEUED", createdAt: ago(RUN_QUEUE_LIMIT_MS + 1), attempts: 0 }), NOW)).toEqual({ action: "fail", code: "NOT_STARTED" });
    // Queued again after its worker died: it was taken, so it waits for the next one to the time limit.
    expect(runVerdict(run({ status: "QUEUED", createdAt: ago(RUN_QUEUE_LIMIT_MS + 1), attempts: 1 }), NOW)).toEqual({ action: "hand-over" });
  });

  it("fails any unfinished run past the time limit, however alive it looks", () => {
    expect(runVerdict(run({ createdAt: ago(RUN_TIME_LIMIT_MS + 1), heartbeatAt: NOW }), NOW)).toEqual({ action: "fail", code: "TIMED_OUT" });
    expect(runVerdict(run({ status: "QUEUED", createdAt: ago(RUN_TIME_LIMIT_MS + 1), attempts: 1 }), NOW)).toEqual({ action: "fail", code: "TIMED_OUT" });
  });

  it("never touches a finished run", () => {
    expect(runVerdict(run({ status: "DONE", createdAt: ago(RUN_TIME_LIMIT_MS * 2), heartbeatAt: null }), NOW)).toEqual({ action: "wait" });
    expect(runVerdict(run({ status: "FAILED", createdAt: ago(RUN_TIME_LIMIT_MS * 2), heartbeatAt: null }), NOW)).toEqual({ action: "wait" });
  });
});

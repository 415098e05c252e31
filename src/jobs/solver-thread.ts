// Entry point of a solver thread (see solver-pool.ts): loads HiGHS once, then solves the
// problems it is sent (matching weeks, with progress; a run's week to compile; shared-house
// plans), one at a time.
import { parentPort, workerData } from "node:worker_threads";
import { warmUpHighs } from "../solver/highs-backend";
import { ProblemError, type MatchingProblem, type ProblemIssue } from "../solver/problem";
import { solveMatching } from "../solver/solve";
import { planHouse, type PlannerInput } from "../housing/planner.model";
import { compileRunWeek, type RunDecisions, type WeekData } from "../matching/week.model";

export type ToThread =
  | { id: number; kind: "matching"; problem: MatchingProblem }
  | { id: number; kind: "house-plan"; input: PlannerInput }
  | { id: number; kind: "compile-run"; data: WeekData; decisions: RunDecisions };
export type FromThread =
  | { id: number; kind: "progress"; solved: number; total: number }
  | { id: number; kind: "done"; result: unknown }
  | { id: number; kind: "failed"; message: string; issues?: ProblemIssue[] }
  | { id: -1; kind: "ready" };

const port = parentPort;
if (port) {
  // The listener comes first: a port listened to keeps the thread alive. On Node 24 a thread
  // awaiting only HiGHS's compilation (no handle of its own) ended at once, with exit code 0.
  const warmedUp = (workerData as { optimise?: boolean } | null)?.optimise !== false ? warmUpHighs() : Promise.resolve();
  port.on("message", async (message: ToThread) => {
    const { id } = message;
    try {
      await warmedUp;
      const result =
        message.kind === "matching"
          ? await solveMatching(message.problem, {
              onProgress: ({ solved, total }) => port.postMessage({ id, kind: "progress", solved, total } satisfies FromThread),
            })
          : message.kind === "compile-run"
            ? compileRunWeek(message.data, message.decisions)
            : await planHouse(message.input);
      port.postMessage({ id, kind: "done", result } satisfies FromThread);
    } catch (error) {
      const { message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id, kind: "failed", message, issues: error instanceof ProblemError ? error.issues : undefined } satisfies FromThread);
    }
  });
  await warmedUp;
  port.postMessage({ id: -1, kind: "ready" } satisfies FromThread);
}

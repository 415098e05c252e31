// Entry point of a solver thread (see solver-pool.ts): loads HiGHS once, then solves the
// problems it is sent, reporting progress, one at a time.
import { parentPort, workerData } from "node:worker_threads";
import { warmUpHighs } from "../solver/highs-backend";
import type { MatchingProblem } from "../solver/problem";
import { solveMatching } from "../solver/solve";

export type ToThread = { id: number; problem: MatchingProblem };
export type FromThread =
  | { id: number; kind: "progress"; solved: number; total: number }
  | { id: number; kind: "done"; solution: Awaited<ReturnType<typeof solveMatching>> }
  | { id: number; kind: "failed"; name: string; message: string }
  | { id: -1; kind: "ready" };

const port = parentPort;
if (port) {
  if ((workerData as { optimise?: boolean } | null)?.optimise !== false) await warmUpHighs();
  port.on("message", async ({ id, problem }: ToThread) => {
    try {
      const solution = await solveMatching(problem, { onProgress: ({ solved, total }) => port.postMessage({ id, kind: "progress", solved, total } satisfies FromThread) });
      port.postMessage({ id, kind: "done", solution } satisfies FromThread);
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id, kind: "failed", name, message } satisfies FromThread);
    }
  });
  port.postMessage({ id: -1, kind: "ready" } satisfies FromThread);
}

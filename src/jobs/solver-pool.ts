// Solving off the event loop. HiGHS's solve call is synchronous and can take seconds; run on the
// thread that serves GraphQL (or renews a BullMQ job's lock) it would freeze everything else. A
// pool of solver threads (one per concurrent job) takes the problems instead; each thread loads
// and compiles HiGHS once and is reused. Threads do not keep the process alive.
import { Worker } from "node:worker_threads";
import { ProblemError, type MatchingSolution } from "../solver/problem";
import type { SolveHooks } from "../solver/solve";
import type { Solve } from "../solver/solve";
import type { FromThread, ToThread } from "./solver-thread";
import type { Plan, PlannerInput } from "../housing/planner.model";
import type { CompileRun } from "../matching/week.model";

export interface SolverPool {
  solve: Solve;
  /** Plans a shared house (housing/planner.model.ts) on a thread. */
  planHouse(input: PlannerInput): Promise<Plan>;
  /** Compiles a matching run's week (matching/week.model.ts) on a thread. */
  compileRun: CompileRun;
  /** Starts every thread now and resolves when they are ready (otherwise they start on first use). */
  start(): Promise<void>;
  /** Stops the threads; solves still running are rejected. */
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  /** Why the thread stopped (it crashed, ran out of memory, or exited while starting). */
  stopped?: Error;
}

/** The thread doing the work stopped before answering: the work fails, the next gets a new thread. */
export class SolverThreadStoppedError extends Error {
  constructor(reason: string) {
    super(`the solver thread stopped: ${reason}`);
  }
}

// Compiled (dist/, npm run build), the thread's entry point is dist/solver-thread.js, beside this
// code. From source (tests, scripts), the thread runs TypeScript like the rest: a small script
// registers tsx's loader in the thread, then imports the entry point (Node does not apply
// `--import tsx` given in a worker's execArgv to the worker's own entry point).
const COMPILED = import.meta.url.endsWith(".js");
const THREAD_ENTRY = COMPILED
  ? { code: new URL("./solver-thread.js", import.meta.url), eval: false }
  : {
      code: `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL("./solver-thread.ts", import.meta.url).href)}); });`,
      eval: true,
    };

export interface SolverPoolOptions {
  /** Threads, that is solves at the same time (default 1). */
  size?: number;
  /**
   * Compile HiGHS ahead of time when a thread starts (default true): about 1.5 s of start-up
   * for a first solve as fast as the later ones (highs-backend.ts). Tests turn it off.
   */
  optimise?: boolean;
  /** Heap limit of each thread, in MB (default: Node's). A thread over it stops and its work fails. */
  maxHeapMb?: number;
  /**
   * How long a house plan or a run's compilation may take on its thread (default 5 minutes); a
   * matching solve may take twice its own time limit and a minute more. A thread past it is
   * stopped, its work fails with SolverThreadStoppedError, and the next piece gets a new thread.
   */
  deadlineMs?: number;
}

/** The default deadline of a house plan or a compilation on a thread. */
const DEFAULT_DEADLINE_MS = 5 * 60_000;
/** A solve's deadline: twice its time limit (the solver's own safety stop) and a minute. */
function solveDeadlineMs(problem: { options?: { timeLimitSeconds?: unknown } }): number {
  const limit = problem.options?.timeLimitSeconds;
  // The thread refuses a limit that is not a number in range; its answer comes well within this.
  return (typeof limit === "number" && limit > 0 && limit <= 86_400 ? limit : 10) * 2_000 + 60_000;
}

export function solverPool(options: SolverPoolOptions = {}): SolverPool {
  const size = Math.max(1, options.size ?? 1);
  const deadline = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const slots: Slot[] = [];
  const waiting: ((slot: Slot) => void)[] = [];
  let nextId = 0;
  let closed = false;
  const pending = new Map<
    number,
    { slot: Slot; resolve: (result: unknown) => void; reject: (e: Error) => void; hooks?: SolveHooks; progress: Promise<void> }
  >();

  function start(): Slot {
    const worker = new Worker(THREAD_ENTRY.code, {
      eval: THREAD_ENTRY.eval,
      workerData: { optimise: options.optimise ?? true },
      ...(options.maxHeapMb ? { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } } : {}),
    });
    worker.unref();
    let markReady!: () => void;
    const slot: Slot = { worker, busy: false, ready: new Promise<void>((resolve) => (markReady = resolve)) };
    worker.on("message", (message: FromThread) => {
      if (message.kind === "ready") return markReady();
      const job = pending.get(message.id);
      if (!job) return;
      if (message.kind === "progress") {
        // Progress reports are applied in order, and the result waits for the last of them.
        job.progress = job.progress.then(() => job.hooks?.onProgress?.({ solved: message.solved, total: message.total })).catch(() => {});
        return;
      }
      pending.delete(message.id);
      void job.progress.then(() => {
        if (message.kind === "done") job.resolve(message.result);
        else job.reject(message.issues ? new ProblemError(message.issues) : new Error(message.message));
      });
    });
    // The work on this thread fails (each slot runs one piece at a time: what is pending is its);
    // a job still waiting for the thread to be ready finds it stopped (run, below).
    const fail = (error: Error) => {
      slot.stopped ??= new SolverThreadStoppedError(error.message);
      markReady();
      for (const [id, job] of pending) {
        if (job.slot !== slot) continue;
        pending.delete(id);
        job.reject(slot.stopped);
      }
      if (slots.includes(slot)) slots.splice(slots.indexOf(slot), 1);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exit code ${code}`)));
    slots.push(slot);
    return slot;
  }

  async function acquire(): Promise<Slot> {
    const slot = slots.find((s) => !s.busy) ?? (slots.length < size ? start() : await new Promise<Slot>((resolve) => waiting.push(resolve)));
    slot.busy = true;
    await slot.ready;
    return slot;
  }

  /** A slot freed goes straight (still busy) to the next waiting job; a dead one is replaced. */
  function release(slot: Slot) {
    const next = waiting.shift();
    if (!next || closed) {
      slot.busy = false;
      return;
    }
    if (slots.includes(slot)) return next(slot);
    const fresh = start();
    fresh.busy = true;
    next(fresh);
  }

  /** Sends one piece of work to a free thread and waits for its answer, at most `deadlineMs`. */
  async function run<T>(work: (id: number) => ToThread, deadlineMs: number, hooks?: SolveHooks): Promise<T> {
    if (closed) throw new Error("the solver pool is closed");
    const slot = await acquire();
    let timer: NodeJS.Timeout | undefined;
    try {
      // Stopped while starting: a message posted to it would never be answered.
      if (slot.stopped) throw slot.stopped;
      return await new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { slot, resolve: resolve as (result: unknown) => void, reject, hooks, progress: Promise.resolve() });
        slot.worker.postMessage(work(id));
        // Past its deadline the thread is stopped: its "exit" fails this work with the reason.
        timer = setTimeout(() => {
          slot.stopped ??= new SolverThreadStoppedError(`it did not answer within ${Math.round(deadlineMs / 1000)} s`);
          void slot.worker.terminate();
        }, deadlineMs);
        timer.unref();
      });
    } finally {
      clearTimeout(timer);
      release(slot);
    }
  }

  return {
    solve: (problem, hooks) => run<MatchingSolution>((id) => ({ id, kind: "matching", problem }), solveDeadlineMs(problem), hooks),
    planHouse: (input) => run<Plan>((id) => ({ id, kind: "house-plan", input }), deadline),
    compileRun: (data, decisions) => run((id) => ({ id, kind: "compile-run", data, decisions }), deadline),
    async start() {
      while (slots.length < size) start();
      await Promise.all(slots.map((s) => s.ready));
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

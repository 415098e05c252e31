// Prometheus metrics, one registry per app: HTTP requests, GraphQL operations, jobs (queue depth,
// durations, outcomes), matching solves (time and gap), plus Node's process metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Solve } from "../solver/solve";

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  graphqlOperations: Counter<"type" | "operation" | "outcome">;
  graphqlDuration: Histogram<"type" | "operation">;
  jobs: Counter<"queue" | "kind" | "outcome">;
  jobDuration: Histogram<"queue" | "kind">;
  matchingSolveSeconds: Histogram<never>;
  matchingGap: Histogram<never>;
  /** Runs `work` as a job of a queue, counting and timing it. */
  timeJob<T>(queue: string, kind: string, work: () => Promise<T>): Promise<T>;
}

export function createMetrics(options: { queueDepth?: () => Promise<Record<string, number>> } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "legami_" });
  const httpRequests = new Counter({
    name: "legami_http_requests_total",
    help: "HTTP requests by method, route and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "legami_http_request_duration_seconds",
    help: "HTTP request durations.",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const graphqlOperations = new Counter({
    name: "legami_graphql_operations_total",
    help: "GraphQL operations by type, name and outcome (ok, error).",
    labelNames: ["type", "operation", "outcome"] as const,
    registers: [registry],
  });
  const graphqlDuration = new Histogram({
    name: "legami_graphql_operation_duration_seconds",
    help: "GraphQL execution durations.",
    labelNames: ["type", "operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobs = new Counter({
    name: "legami_jobs_total",
    help: "Jobs handled by queue, kind and outcome.",
    labelNames: ["queue", "kind", "outcome"] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "legami_job_duration_seconds",
    help: "Job durations.",
    labelNames: ["queue", "kind"] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const matchingSolveSeconds = new Histogram({
    name: "legami_matching_solve_seconds",
    help: "Time the optimiser took per matching run.",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const matchingGap = new Histogram({
    name: "legami_matching_gap_ratio",
    help: "Relative gap of each matching run's solution to its proven bound.",
    buckets: [0, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1],
    registers: [registry],
  });
  if (options.queueDepth) {
    const depth = options.queueDepth;
    new Gauge({
      name: "legami_queue_depth",
      help: "Jobs waiting or delayed, by queue.",
      labelNames: ["queue"] as const,
      registers: [registry],
      async collect() {
        for (const [queue, count] of Object.entries(await depth())) this.set({ queue }, count);
      },
    });
  }
  return {
    registry,
    httpRequests,
    httpDuration,
    graphqlOperations,
    graphqlDuration,
    jobs,
    jobDuration,
    matchingSolveSeconds,
    matchingGap,
    async timeJob(queue, kind, work) {
      const end = jobDuration.startTimer({ queue, kind });
      try {
        const result = await work();
        jobs.inc({ queue, kind, outcome: "ok" });
        return result;
      } catch (error) {
        jobs.inc({ queue, kind, outcome: "failed" });
        throw error;
      } finally {
        end();
      }
    },
  };
}

/** The optimiser's time and gap per run, then the solution. */
export function observedSolve(metrics: Metrics, solve: Solve): Solve {
  return async (problem, hooks) => {
    const started = performance.now();
    const solution = await solve(problem, hooks);
    metrics.matchingSolveSeconds.observe((performance.now() - started) / 1000);
    metrics.matchingGap.observe(Math.max(0, solution.gap));
    return solution;
  };
}

/** How many distinct operation names one process labels; later ones are counted as "other". */
export const MAX_OPERATION_LABELS = 100;

/**
 * Operation names become label values, chosen by clients: bounded in length and characters, and
 * in number (the first MAX_OPERATION_LABELS names a process sees), so a client sending a new name
 * with every request cannot make new series without end.
 */
export function operationLabeller(max = MAX_OPERATION_LABELS): (name: string | null | undefined) => string {
  const seen = new Set<string>();
  return (name) => {
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return "anonymous";
    if (seen.has(name)) return name;
    if (seen.size >= max) return "other";
    seen.add(name);
    return name;
  };
}

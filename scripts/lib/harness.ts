// What the load benchmark and the resilience drill share: service processes started as
// children (stopped together at the end), GraphQL over HTTP, and the database's own count of
// seats over their headcount (the no-over-commitment guarantee, checked after the fact).
import { type ChildProcess, spawn } from "node:child_process";
import type { PrismaClient } from "../../src/generated/prisma/client";

const children: ChildProcess[] = [];

/**
 * Starts `script` under tsx with `env` added; its standard error is shown, prefixed with `name`.
 * With PROFILE_DIR set, each child writes a V8 CPU profile there when it exits (open it in Chrome's DevTools).
 */
export function startProcess(name: string, script: string, env: Record<string, string>, args: string[] = []): ChildProcess {
  const profile = process.env.PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.resume();
  child.stderr!.on("data", (d) => String(d).includes("DeprecationWarning") || process.stderr.write(`[${name}] ${d}`));
  children.push(child);
  return child;
}

/** Stops a child with SIGTERM and resolves once it has exited (at once when it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export function stopProcesses(): void {
  for (const child of children) child.kill("SIGTERM");
}

export interface GraphQLAnswer {
  data?: Record<string, any>;
  errors?: { message: string }[];
}

/** POSTs an operation to `${base}/graphql`, with a bearer token when given. */
export async function postGraphQL(base: string, query: string, variables: object, token?: string, timeoutMs = 60_000): Promise<GraphQLAnswer> {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return (await response.json()) as GraphQLAnswer;
}

/** Occurrences with more active commitments than their task's headcount (0 when the guarantee held). */
export async function seatsOverHeadcount(prisma: PrismaClient): Promise<number> {
  const rows = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM (SELECT o.id FROM "TaskOccurrence" o JOIN "Task" t ON t.id = o."taskId" JOIN "Commitment" c ON c."occurrenceId" = o.id AND c.status = 'ACTIVE' GROUP BY o.id, t.headcount HAVING count(*) > t.headcount) x`,
  );
  return Number(rows[0]!.n);
}

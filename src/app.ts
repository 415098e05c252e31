// Builds the HTTP application: express with GraphQL Yoga at /graphql, /health and /ready.
// It does not listen: main.ts does, and tests drive it on an ephemeral port.
import { randomUUID } from "node:crypto";
import express, { type Express } from "express";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { resolveViewer } from "./auth/viewer";
import type { TokenService } from "./auth/tokens";
import type { Database } from "./db/database";
import type { Context } from "./graphql/context";
import { schema } from "./graphql/schema";
import { negotiateLang, type Lang } from "./i18n";
import { inProcessRunner, type JobRunner } from "./jobs/runner";
import { executeMatchingRun } from "./matching/matching.service";
import { calendarFor } from "./calendar/calendar.service";
import { handleEventJob } from "./jobs/handlers";
import { untilNextLocalHour } from "./time/local-time";
import type { Solve } from "./solver/solve";

export interface AppOptions {
  database: Pick<Database, "prisma" | "ping">;
  tokens: TokenService;
  graphiql: boolean;
  defaultLang: Lang;
  /** The clock, replaceable in tests. */
  now?: () => Date;
  /** Where jobs go; by default they run in this process. */
  jobs?: JobRunner;
  /** How jobs run in this process solve (default: on the calling thread; main.ts passes a solver pool). */
  solve?: Solve;
}

export interface App {
  express: Express;
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  jobs: JobRunner;
}

export function createApp(options: AppOptions): App {
  const now = options.now ?? (() => new Date());
  const jobs: JobRunner =
    options.jobs ??
    inProcessRunner({
      matchingRun: (runId) => executeMatchingRun(options.database.prisma, runId, options.solve),
      event: async (job) => {
        await handleEventJob({ prisma: options.database.prisma, jobs, now }, job);
        // In process, the daily scan schedules its next run itself (BullMQ repeats it on Redis).
        if (job.kind === "daily-scan") await jobs.schedule(job, untilNextLocalHour(now(), 7));
        if (job.kind === "weekly-draft") await jobs.schedule(job, untilNextLocalHour(now(), 8, 1));
      },
    });
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: options.graphiql ? { title: "Legami" } : false,
    landingPage: false,
    // Unexpected errors reach clients as "Unexpected error."; typed errors are part of the schema.
    maskedErrors: true,
    context: async ({ request }) => {
      const viewer = await resolveViewer(options.database.prisma, options.tokens, request.headers.get("authorization"));
      const userLang: Lang = viewer?.locale === "EN" ? "en" : viewer?.locale === "IT" ? "it" : options.defaultLang;
      return {
        prisma: options.database.prisma,
        tokens: options.tokens,
        viewer,
        now,
        jobs,
        lang: negotiateLang(request.headers.get("accept-language"), userLang),
        requestId: request.headers.get("x-request-id") ?? randomUUID(),
        signal: request.signal,
      };
    },
  });

  const app = express();
  app.disable("x-powered-by");
  app.get("/health", (_request, response) => {
    response.json({ status: "ok" });
  });
  // A citizen's commitments as an iCalendar feed; the secret token in the URL is the credential.
  app.get("/calendar/:file", async (request, response) => {
    const match = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(request.params.file);
    const body = match ? await calendarFor(options.database.prisma, match[1]!, now()) : null;
    if (!body) {
      response.status(404).type("text/plain").send("Not found");
      return;
    }
    response.set("cache-control", "private, max-age=300").type("text/calendar; charset=utf-8").send(body);
  });
  app.get("/ready", async (_request, response) => {
    try {
      await options.database.ping();
      response.json({ status: "ready", database: "ok" });
    } catch {
      response.status(503).json({ status: "not ready", database: "unreachable" });
    }
  });
  app.use(yoga.graphqlEndpoint, (request, response) => {
    void yoga(request, response);
  });
  return { express: app, yoga, jobs };
}

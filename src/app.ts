// Builds the HTTP application: express with GraphQL Yoga at /graphql, /health and /ready.
// It does not listen: main.ts does, and tests drive it on an ephemeral port.
import helmet from "helmet";
import { randomUUID } from "node:crypto";
import express, { type Express } from "express";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import { resolveViewer } from "./auth/viewer";
import type { TokenService } from "./auth/tokens";
import type { Database } from "./db/database";
import type { Context } from "./graphql/context";
import { schema } from "./graphql/schema";
import { errorMessage, negotiateLang, type Lang } from "./i18n";
import { AppError, ForbiddenError, NotFoundError } from "./errors";
import { programmeReport, reportCsv } from "./reports/reports.service";
import { inProcessRunner, type JobHandlers } from "./jobs/runner";
import { outboxRelay, type OutboxRelay } from "./jobs/outbox";
import { eventHandler, matchingRunHandler } from "./wiring";
import { calendarFor } from "./calendar/calendar.service";
import { untilNextLocalHour } from "./time/local-time";
import type { Solve } from "./solver/solve";
import type { CompileRun } from "./matching/week.model";
import type { ServiceContext } from "./service-context";
import { DEFAULT_LIMITS, limitPlugins, type RequestLimits } from "./http/limits";
import { healthRoutes } from "./http/health";
import { yogaHandler } from "./http/yoga-bridge";
import { admission, admit } from "./http/admission";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { asTrouble, troubleError } from "./http/trouble";
import { databaseTrouble } from "./db/availability";
import { inboxWatch } from "./notifications/inbox-watch";
import { QUEUE_BOARD_PATH, queueBoardRoutes } from "./http/queue-board";
import type { Queue } from "bullmq";
import { runAs } from "./db/audit";
import { silentLogger, type Logger } from "./observability/log";
import { createMetrics, observedSolve, operationLabeller, type Metrics } from "./observability/metrics";
import { solveMatching } from "./solver/solve";
import type { Plugin } from "graphql-yoga";
import type { DocumentNode, OperationDefinitionNode } from "graphql";
import { loginThrottle, type LoginThrottle } from "./auth/throttle";

export interface AppOptions {
  database: Pick<Database, "prisma" | "ping">;
  tokens: TokenService;
  graphiql: boolean;
  /** GraphiQL's opening document (src/demo/tour.ts). */
  graphiqlDocument?: string;
  defaultLang: Lang;
  /** The clock, replaceable in tests. */
  now?: () => Date;
  /**
   * Where jobs go, through the outbox's relay (its caller starts and stops it); by default they
   * run in this process, relayed from the moment the app is created.
   */
  jobs?: OutboxRelay;
  /** How jobs run in this process solve (default: on the calling thread; main.ts passes a solver pool). */
  solve?: Solve;
  /** Where jobs in this process compile a run's week (default: on the calling thread; main.ts passes a solver pool's). */
  compile?: CompileRun;
  /** How shared houses are planned (default: on the calling thread; main.ts passes a solver pool's). */
  planner?: ServiceContext["planner"];
  /** Request limits (defaults in src/http/limits.ts). */
  limits?: Partial<RequestLimits>;
  /** Login throttling (defaults in src/auth/throttle.ts). */
  loginThrottle?: LoginThrottle;
  /** Origins (scheme://host[:port]) whose pages may call the API from a browser; none by default (same origin only). */
  corsOrigins?: readonly string[];
  /** Whether /metrics answers without a token when none is configured (not in production). */
  metricsOpenWithoutToken?: boolean;
  /** express "trust proxy": whose X-Forwarded-For gives the client's address (none by default). */
  trustProxy?: boolean | number | string | string[];
  /** Where logs go (default: nowhere). */
  logger?: Logger;
  /** Prometheus metrics (default: a registry of this app's own). */
  metrics?: Metrics;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Redis, when jobs go through it: /ready checks it answers. */
  redis?: { ping(): Promise<void> };
  /** The BullMQ queues shown to administrators at /admin/queues (none: jobs run in process). */
  queues?: readonly Queue[];
  /** Whether cookies are marked Secure (production, behind HTTPS). */
  secureCookies?: boolean;
  /** Lifetime of issued tokens, which the dashboard's cookie does not outlive. */
  tokenTtlSeconds?: number;
}

export interface App {
  express: Express;
  yoga: YogaServerInstance<Record<string, unknown>, Context>;
  jobs: OutboxRelay;
  metrics: Metrics;
}

/** The default: jobs run by this process's timers, through the outbox, relayed from now on. */
function startedRelay(prisma: Database["prisma"], now: () => Date, handlers: JobHandlers): OutboxRelay {
  const relay = outboxRelay(prisma, inProcessRunner(handlers), { now });
  relay.start();
  return relay;
}

export function createApp(options: AppOptions): App {
  const now = options.now ?? (() => new Date());
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const throttle = options.loginThrottle ?? loginThrottle();
  const logger = options.logger ?? silentLogger();
  const metrics = options.metrics ?? createMetrics();
  const solve = observedSolve(metrics, options.solve ?? solveMatching);
  const jobs: OutboxRelay =
    options.jobs ??
    startedRelay(options.database.prisma, now, {
      matchingRun: matchingRunHandler(options.database.prisma, metrics, solve, options.compile),
      event: async (job) => {
        await eventHandler({ prisma: options.database.prisma, jobs, now }, metrics)(job);
        // In process, the daily scan schedules its next run itself (BullMQ repeats it on Redis).
        if (job.kind === "daily-scan") await jobs.schedule(job, untilNextLocalHour(now(), 7));
        if (job.kind === "weekly-draft") await jobs.schedule(job, untilNextLocalHour(now(), 8, 1));
      },
    });
  const inbox = inboxWatch(options.database.prisma, { onError: (error) => logger.warn({ err: error }, "inbox poll failed") });
  const yoga = createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    // GraphiQL from the package, every asset inline: it works offline and under a strict CSP.
    graphiql: options.graphiql ? { title: "Legami", defaultQuery: options.graphiqlDocument } : false,
    renderGraphiQL,
    landingPage: false,
    // Unexpected errors reach clients as "Unexpected error."; typed errors are part of the schema.
    maskedErrors: true,
    // Browsers may call the API only from the configured origins, with a bearer token (no cookies).
    cors: (request) => {
      const origin = request.headers.get("origin");
      return origin && (options.corsOrigins ?? []).includes(origin)
        ? {
            origin,
            credentials: false,
            methods: ["POST", "OPTIONS"],
            allowedHeaders: ["content-type", "authorization", "accept", "accept-language", "x-request-id"],
            maxAge: 600,
          }
        : false;
    },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(" ")),
      info: (...args) => logger.info(args.map(String).join(" ")),
      warn: (...args) => logger.warn(args.map(String).join(" ")),
      error: (...args) =>
        logger.error(
          { err: args.find((a) => a instanceof Error) },
          args
            .filter((a) => !(a instanceof Error))
            .map(String)
            .join(" ") || "GraphQL error",
        ),
    },
    plugins: [...limitPlugins(limits), auditActor(), operationMetrics(metrics)],
    context: async ({ request, req }: { request: Request; req?: { ip?: string; socket?: { remoteAddress?: string } } }) => {
      const viewer = await resolveViewer(options.database.prisma, options.tokens, request.headers.get("authorization")).catch((error: unknown) => {
        throw asTrouble(error, negotiateLang(request.headers.get("accept-language"), options.defaultLang));
      });
      const userLang: Lang = viewer?.locale === "EN" ? "en" : viewer?.locale === "IT" ? "it" : options.defaultLang;
      return {
        prisma: options.database.prisma,
        tokens: options.tokens,
        viewer,
        now,
        jobs,
        planner: options.planner,
        lang: negotiateLang(request.headers.get("accept-language"), userLang),
        requestId: request.headers.get("x-request-id")!,
        signal: request.signal,
        clientAddress: req?.ip ?? req?.socket?.remoteAddress ?? "unknown",
        loginThrottle: throttle,
        inbox,
      };
    },
  });

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy ?? false);
  // Every request gets an id (the caller's X-Request-Id when it is sane), sent back and logged
  // with the request's outcome; HTTP metrics by route.
  app.use((request, response, next) => {
    const given = request.get("x-request-id");
    const requestId = given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    request.headers["x-request-id"] = requestId;
    response.set("x-request-id", requestId);
    const route = routeOf(request.path);
    const stop = metrics.httpDuration.startTimer({ method: request.method, route });
    response.on("finish", () => {
      const seconds = stop();
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      logger.info({ requestId, method: request.method, route, status: response.statusCode, ms: Math.round(seconds * 1000) }, "request");
    });
    next();
  });
  // Security headers on every answer (helmet); pages that are not this service's own HTML (the
  // GraphiQL page and the queue board) keep their own script sources, everything else may load nothing.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  app.use((request, response, next) => {
    const page = request.method === "GET" && (request.path === yoga.graphqlEndpoint || request.path.startsWith(QUEUE_BOARD_PATH));
    if (!page) response.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    next();
  });
  healthRoutes(app, options.database, metrics, options.metricsToken, options.redis, options.metricsOpenWithoutToken ?? true);
  queueBoardRoutes(app, {
    prisma: options.database.prisma,
    tokens: options.tokens,
    queues: options.queues,
    secureCookie: options.secureCookies ?? false,
    cookieSeconds: options.tokenTtlSeconds ?? 8 * 3600,
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
  // The programme report as CSV, for the same viewers as the programmeReport query.
  app.get("/reports/programme.csv", async (request, response) => {
    const viewer = await resolveViewer(options.database.prisma, options.tokens, request.get("authorization") ?? null);
    const lang = negotiateLang(request.get("accept-language"), options.defaultLang);
    const query = (name: string) => (typeof request.query[name] === "string" ? (request.query[name] as string) : "");
    try {
      const context = { prisma: options.database.prisma, tokens: options.tokens, viewer, now, jobs };
      const report = await programmeReport(context, query("territoryId"), query("from"), query("to"));
      response
        .set("cache-control", "private, no-store")
        .set("content-disposition", `attachment; filename="legami-report-${report.from}-${report.to}.csv"`)
        .type("text/csv; charset=utf-8")
        .send(reportCsv(report));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const status = !viewer ? 401 : error instanceof NotFoundError ? 404 : error instanceof ForbiddenError ? 403 : 400;
      response.status(status).json({ error: error.code, message: errorMessage(error, lang) });
    }
  });
  // Bodies are read (at most maxBodyBytes) before Yoga parses them; a bigger one is refused with
  // 413 and a GraphQL-shaped error, and nothing runs.
  const gate = admission({ width: limits.mutationsAtOnce, patienceMs: limits.mutationPatienceMs });
  const langOf = (request: express.Request) => negotiateLang(request.get("accept-language"), options.defaultLang);
  app.use(yoga.graphqlEndpoint, jsonPostsOnly, express.raw({ type: () => true, limit: limits.maxBodyBytes }), admit(gate, langOf), yogaHandler(yoga, logger));
  app.use((error: { type?: string; status?: number }, request: express.Request, response: express.Response, next: express.NextFunction) => {
    // The database too busy or away (the calendar feed, the CSV report): 503 with Retry-After.
    const trouble = databaseTrouble(error);
    if (trouble && !response.headersSent) {
      const answer = troubleError(trouble, negotiateLang(request.get("accept-language"), options.defaultLang));
      response
        .status(503)
        .set("retry-after", String(answer.extensions.retryAfterSeconds))
        .json({ errors: [{ message: answer.message, extensions: { code: answer.extensions.code } }] });
      return;
    }
    if (error?.type === "entity.too.large") {
      response.status(413).json({ errors: [{ message: `Request body over ${limits.maxBodyBytes} bytes.`, extensions: { code: "PAYLOAD_TOO_LARGE" } }] });
      return;
    }
    if (error?.status && error.status >= 400 && error.status < 500) {
      response.status(error.status).json({ errors: [{ message: "Bad request.", extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    next(error);
  });
  return { express: app, yoga, jobs, metrics };
}

/**
 * Only JSON POSTs execute operations: a form or multipart POST (what another site can make a
 * browser send without asking) is refused with 415, and a GET with a query with 405; a plain GET
 * (the GraphiQL page, when it is on) and CORS preflights pass.
 */
function jsonPostsOnly(request: express.Request, response: express.Response, next: express.NextFunction) {
  const refuse = (status: number, code: string, message: string) => response.status(status).json({ errors: [{ message, extensions: { code } }] });
  if (request.method === "OPTIONS") return next();
  if (request.method === "GET")
    return "query" in request.query || "extensions" in request.query ? refuse(405, "METHOD_NOT_ALLOWED", "Send operations as JSON in a POST.") : next();
  if (request.method !== "POST") return refuse(405, "METHOD_NOT_ALLOWED", "Send operations as JSON in a POST.");
  const type = (request.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && type !== "application/graphql-response+json")
    return refuse(415, "UNSUPPORTED_MEDIA_TYPE", "Send operations as JSON (Content-Type: application/json).");
  next();
}

/** The route a path belongs to, for metrics (never the raw path: tokens and ids stay out of labels). */
function routeOf(path: string): string {
  if (path === "/graphql" || path === "/health" || path === "/ready" || path === "/metrics" || path === "/reports/programme.csv") return path;
  if (path.startsWith("/calendar/")) return "/calendar/:file";
  if (path === QUEUE_BOARD_PATH || path.startsWith(`${QUEUE_BOARD_PATH}/`)) return QUEUE_BOARD_PATH;
  return "other";
}

/** GraphQL operations counted and timed by type and name. */
function operationMetrics(metrics: Metrics): Plugin<Context> {
  const operationLabel = operationLabeller();
  return {
    onExecute({ args }) {
      const operation = (args.document as DocumentNode).definitions.find(
        (d): d is OperationDefinitionNode => d.kind === "OperationDefinition" && (!args.operationName || d.name?.value === args.operationName),
      );
      const type = operation?.operation ?? "query";
      const name = operationLabel(args.operationName ?? operation?.name?.value);
      const stop = metrics.graphqlDuration.startTimer({ type, operation: name });
      return {
        onExecuteDone({ result }) {
          stop();
          const failed = "errors" in result && Array.isArray(result.errors) && result.errors.length > 0;
          metrics.graphqlOperations.inc({ type, operation: name, outcome: failed ? "error" : "ok" });
        },
      };
    },
  };
}

/** Every operation runs as its viewer, so the audit log records who wrote what (src/db/audit.ts). */
function auditActor(): Plugin<Context> {
  const actorOf = (context: Context) => ({ userId: context.viewer?.userId ?? null, role: context.viewer?.role ?? "ANONYMOUS", requestId: context.requestId });
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const actor = actorOf(args.contextValue as Context);
      setExecuteFn((executeArgs) => runAs(actor, () => executeFn(executeArgs)));
    },
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const actor = actorOf(args.contextValue as Context);
      setSubscribeFn((subscribeArgs) => runAs(actor, () => subscribeFn(subscribeArgs)));
    },
  };
}

// The only reader of process.env: the environment is parsed once into a typed, frozen
// config, and every problem is reported at once.
import { resolve } from "node:path";
import { deflateRawSync } from "node:zlib";
import { z } from "zod";

export type DatabaseConfig = { kind: "embedded"; dataDir: string } | { kind: "postgres"; url: string; pool: PoolConfig };

/** Connections a process keeps to PostgreSQL (each API replica and each worker has its own pool). */
export interface PoolConfig {
  max: number;
  /** How long to wait for a connection before failing the query (PostgreSQL down: fail fast). */
  connectTimeoutMs: number;
  idleTimeoutMs: number;
}

export interface OidcConfig {
  jwksUrl: string;
  issuer: string;
  /** This service's client id at the provider: tokens meant for another client are refused. */
  audience: string;
}

export interface Config {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string | undefined;
  database: DatabaseConfig;
  /** HMAC secret for the tokens this service issues; in embedded mode generated once into the data directory. */
  jwtSecret: string | undefined;
  tokenTtlSeconds: number;
  oidc: OidcConfig | undefined;
  graphiql: boolean;
  loadDemoData: boolean;
  defaultLocale: "it" | "en";
  /** Redis for the job queues; without it jobs run in the API process. */
  redisUrl: string | undefined;
  /** The role the service connects as, granted its privileges by `npm run db:migrate` (PostgreSQL). */
  databaseAppRole: string | undefined;
  /** Whether the API process also works on queued jobs (with Redis). */
  runWorker: boolean;
  workerConcurrency: number;
  /** Prepare a draft matching run for next week every Monday at 08:00 (Rome) for each territory. */
  weeklyDraft: boolean;
  /** Prefix of the BullMQ keys in Redis: deployments (or tests) sharing a Redis keep apart. */
  queuePrefix: string;
  /** What one request may ask (src/http/limits.ts). */
  limits: {
    introspection: boolean;
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
    maxBodyBytes: number;
    operationTimeoutMs: number;
    maxSubscriptionsPerUser: number;
    maxSubscriptionsPerProcess: number;
    mutationsAtOnce: number;
    mutationPatienceMs: number;
  };
  /** Sign-in throttling (src/auth/throttle.ts). */
  login: { maxFailures: number; lockMinutes: number; perAddressPerMinute: number; registrationsPerAddressPerHour: number };
  /**
   * Which proxies' X-Forwarded-For is believed for the client's address (express "trust proxy":
   * false, a hop count, or addresses and subnets); by default none, the socket's address counts.
   */
  trustProxy: boolean | number | string[];
  /** pino level of the JSON logs on standard output. */
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** When set, /metrics needs `Authorization: Bearer <token>`; in production it is closed without one. */
  metricsToken: string | undefined;
  /** Origins whose pages may call the API from a browser (CORS); none by default. */
  corsOrigins: readonly string[];
  /** A worker process's port for /health, /ready and /metrics (none when unset). */
  workerPort: number | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const booleanString = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "a plain role name (lower case, digits, _)")
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  DATABASE_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(30_000),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(8 * 3600),
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_ISSUER: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  GRAPHIQL: booleanString.optional(),
  DEMO_DATA: booleanString.optional(),
  DEFAULT_LOCALE: z.enum(["it", "en"]).default("it"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// URL")
    .optional(),
  RUN_WORKER: booleanString.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
  WEEKLY_DRAFT: booleanString.default(false),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, - and _ only")
    .default("legami"),
  GRAPHQL_INTROSPECTION: booleanString.optional(),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(3).max(50).default(10),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(200).default(15),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(1_000_000_000).default(1_000_000),
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(1_000_000),
  GRAPHQL_OPERATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(1_000).default(5),
  MAX_SUBSCRIPTIONS_PER_PROCESS: z.coerce.number().int().min(1).max(100_000).default(200),
  MUTATIONS_AT_ONCE: z.coerce.number().int().min(1).max(100_000).default(4),
  MUTATION_PATIENCE_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  LOGIN_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  REGISTRATIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(false|true|\d{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*|loopback|linklocal|uniquelocal)$/,
      "false, a hop count, or comma-separated addresses/subnets (or loopback, linklocal, uniquelocal)",
    )
    .default("false"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  CORS_ORIGINS: z
    .string()
    .regex(/^https?:\/\/[^\s,/]+(,https?:\/\/[^\s,/]+)*$/, "comma-separated origins such as https://console.example.org")
    .optional(),
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

/**
 * Parses the environment. `purpose` says what the process is for: a server needs a token
 * secret, a migration run does not.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, purpose: "server" | "migrate" = "server"): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = envSchema.safeParse(cleaned);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  if (e.OIDC_JWKS_URL && !e.OIDC_ISSUER) problems.push("OIDC_ISSUER: required when OIDC_JWKS_URL is set");
  if (!e.OIDC_JWKS_URL && e.OIDC_ISSUER) problems.push("OIDC_JWKS_URL: required when OIDC_ISSUER is set");
  if (e.OIDC_JWKS_URL && !e.OIDC_AUDIENCE)
    problems.push("OIDC_AUDIENCE: required when OIDC_JWKS_URL is set (this service's client id: tokens meant for other clients must be refused)");
  if (purpose === "server" && e.DATABASE_URL && !e.JWT_SECRET) {
    problems.push("JWT_SECRET: required with DATABASE_URL (only the embedded mode generates one)");
  }
  if (e.JWT_SECRET && estimatedBits(e.JWT_SECRET) < MIN_SECRET_BITS) {
    problems.push(
      `JWT_SECRET: too predictable (about ${Math.floor(estimatedBits(e.JWT_SECRET))} bits, at least ${MIN_SECRET_BITS} needed): generate one with \`openssl rand -base64 48\``,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: Object.freeze(
      e.DATABASE_URL
        ? {
            kind: "postgres" as const,
            url: e.DATABASE_URL,
            pool: Object.freeze({ max: e.DATABASE_POOL_MAX, connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS, idleTimeoutMs: e.DATABASE_IDLE_TIMEOUT_MS }),
          }
        : { kind: "embedded" as const, dataDir: resolve(e.DATA_DIR) },
    ),
    jwtSecret: e.JWT_SECRET,
    tokenTtlSeconds: e.TOKEN_TTL_SECONDS,
    oidc:
      e.OIDC_JWKS_URL && e.OIDC_ISSUER && e.OIDC_AUDIENCE
        ? Object.freeze({ jwksUrl: e.OIDC_JWKS_URL, issuer: e.OIDC_ISSUER, audience: e.OIDC_AUDIENCE })
        : undefined,
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== "production",
    // Demo accounts have a published password: never in production unless asked for.
    loadDemoData: e.DEMO_DATA ?? e.NODE_ENV !== "production",
    defaultLocale: e.DEFAULT_LOCALE,
    redisUrl: e.REDIS_URL,
    databaseAppRole: e.DATABASE_APP_ROLE,
    runWorker: e.RUN_WORKER,
    workerConcurrency: e.WORKER_CONCURRENCY,
    weeklyDraft: e.WEEKLY_DRAFT,
    queuePrefix: e.QUEUE_PREFIX,
    limits: Object.freeze({
      introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== "production",
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxBodyBytes: e.MAX_BODY_BYTES,
      operationTimeoutMs: e.GRAPHQL_OPERATION_TIMEOUT_MS,
      maxSubscriptionsPerUser: e.MAX_SUBSCRIPTIONS_PER_USER,
      maxSubscriptionsPerProcess: e.MAX_SUBSCRIPTIONS_PER_PROCESS,
      mutationsAtOnce: e.MUTATIONS_AT_ONCE,
      mutationPatienceMs: e.MUTATION_PATIENCE_MS,
    }),
    login: Object.freeze({
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockMinutes: e.LOGIN_LOCK_MINUTES,
      perAddressPerMinute: e.LOGIN_PER_ADDRESS_PER_MINUTE,
      registrationsPerAddressPerHour: e.REGISTRATIONS_PER_ADDRESS_PER_HOUR,
    }),
    trustProxy: trustProxyOf(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    corsOrigins: Object.freeze(e.CORS_ORIGINS ? e.CORS_ORIGINS.split(",") : []),
    workerPort: e.WORKER_PORT,
  });
}

function trustProxyOf(value: string): boolean | number | string[] {
  if (value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(",");
}

/** A secret must hold this many bits, as estimated by estimatedBits. */
export const MIN_SECRET_BITS = 128;

/**
 * The information in a secret, estimated from how often each character occurs in it (Shannon)
 * and how far it compresses: an upper bound on what a guesser faces, so a low value proves a
 * weak secret ("a" x 32 holds 0 bits), while a high one is only as good as the way the secret
 * was made.
 */
export function estimatedBits(secret: string): number {
  // And no more than it compresses to: a repeated pattern compresses well ("0123456789" x 4).
  const compressedBits = 8 * deflateRawSync(Buffer.from(secret), { level: 9 }).length;
  return Math.min(compressedBits, shannonBits(secret));
}

function shannonBits(secret: string): number {
  const counts = new Map<string, number>();
  const chars = [...secret];
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) perChar -= (n / chars.length) * Math.log2(n / chars.length);
  return perChar * chars.length;
}

// Opens the database: embedded PGlite (default) or PostgreSQL through the pg driver adapter.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { DatabaseConfig } from "../config";
import { PrismaClient } from "../generated/prisma/client";
import { lockDataDirectory } from "./data-dir-lock";
import { applyMigrations } from "./migrations";
import { auditedAdapter } from "./audit";

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseConfig["kind"];
  /** Names of the migrations applied while opening (embedded mode only). */
  appliedMigrations: string[];
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Wraps a client into a Database; `afterDisconnect` releases what the client ran on. */
export function databaseHandle(
  prisma: PrismaClient,
  kind: Database["kind"],
  appliedMigrations: string[],
  afterDisconnect: () => Promise<void> = async () => {},
): Database {
  return {
    prisma,
    kind,
    appliedMigrations,
    ping: async () => {
      await prisma.$queryRawUnsafe("SELECT 1");
    },
    close: async () => {
      await prisma.$disconnect();
      await afterDisconnect();
    },
  };
}

/** Migrates a PGlite instance and opens a client on it. */
/**
 * Any other format makes Prisma capture a stack trace on every query, to point at the calling
 * line in its error messages: a tenth of the CPU of a small read. Errors keep their codes and
 * messages; the service logs and masks them anyway.
 */
const ERROR_FORMAT = "minimal" as const;

async function onPGlite(pglite: PGlite, release: () => void = () => {}): Promise<Database> {
  await pglite.waitReady;
  const appliedMigrations = await applyMigrations(new PrismaPGlite(pglite));
  const prisma = new PrismaClient({ adapter: auditedAdapter(new PrismaPGlite(pglite)), errorFormat: ERROR_FORMAT });
  return databaseHandle(prisma, "embedded", appliedMigrations, async () => {
    await pglite.close();
    release();
  });
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === "postgres") {
    const pool = {
      connectionString: config.url,
      max: config.pool.max,
      connectionTimeoutMillis: config.pool.connectTimeoutMs,
      idleTimeoutMillis: config.pool.idleTimeoutMs,
    };
    return databaseHandle(new PrismaClient({ adapter: auditedAdapter(new PrismaPg(pool)), errorFormat: ERROR_FORMAT }), "postgres", []);
  }
  const lock = lockDataDirectory(config.dataDir);
  try {
    return await onPGlite(new PGlite(`${config.dataDir}/pgdata`), lock.release);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** An embedded database in memory, migrated: for tests and scratch work. */
export function openMemoryDatabase(): Promise<Database> {
  return onPGlite(new PGlite());
}

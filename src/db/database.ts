// Opens the database: embedded PGlite (default) or PostgreSQL through the pg driver adapter.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { DatabaseConfig } from "../config";
import { PrismaClient } from "../generated/prisma/client";
import { lockDataDirectory } from "./data-dir-lock";
import { applyMigrations } from "./migrations";

export type Db = PrismaClient;
export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseConfig["kind"];
  /** Names of the migrations applied while opening (embedded mode only). */
  appliedMigrations: string[];
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === "postgres") {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: config.url }) });
    return {
      prisma,
      kind: "postgres",
      appliedMigrations: [],
      ping: async () => {
        await prisma.$queryRawUnsafe("SELECT 1");
      },
      close: () => prisma.$disconnect(),
    };
  }
  const lock = lockDataDirectory(config.dataDir);
  try {
    const pglite = config.dataDir === "memory://" ? new PGlite() : new PGlite(`${config.dataDir}/pgdata`);
    await pglite.waitReady;
    const appliedMigrations = await applyMigrations(new PrismaPGlite(pglite));
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
    return {
      prisma,
      kind: "embedded",
      appliedMigrations,
      ping: async () => {
        await prisma.$queryRawUnsafe("SELECT 1");
      },
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** An embedded database in memory, migrated: for tests and scratch work. */
export async function openMemoryDatabase(): Promise<Database> {
  const pglite = new PGlite();
  await pglite.waitReady;
  const appliedMigrations = await applyMigrations(new PrismaPGlite(pglite));
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    kind: "embedded",
    appliedMigrations,
    ping: async () => {
      await prisma.$queryRawUnsafe("SELECT 1");
    },
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

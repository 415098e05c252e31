// A fresh, migrated database for one test file: an in-memory PGlite by default, or a new
// database on the PostgreSQL server named by DATABASE_URL (dropped when the file is done).
import { auditedAdapter } from "../../src/db/audit";
import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { loadConfig } from "../../src/config";
import { databaseHandle, openMemoryDatabase, type Database } from "../../src/db/database";
import { applyMigrations } from "../../src/db/migrations";
import { PrismaClient } from "../../src/generated/prisma/client";

export const databaseKind = loadConfig(process.env, "migrate").database.kind;

export async function openTestDatabase(): Promise<Database & { url?: string }> {
  const config = loadConfig(process.env, "migrate").database;
  if (config.kind === "embedded") return openMemoryDatabase();

  const name = `legami_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: config.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(config.url);
  url.pathname = `/${name}`;
  const appliedMigrations = await applyMigrations(new PrismaPg({ connectionString: url.toString() }));
  const prisma = new PrismaClient({ adapter: auditedAdapter(new PrismaPg({ connectionString: url.toString(), max: 5 })) });
  const handle = databaseHandle(prisma, "postgres", appliedMigrations, async () => {
    const cleanup = new pg.Client({ connectionString: config.url });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  });
  return Object.assign(handle, { url: url.toString() });
}

/** The base tables of the test database's schema, by name. */
export async function tableNames(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<
    { name: string }[]
  >`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  return rows.map((r) => r.name);
}

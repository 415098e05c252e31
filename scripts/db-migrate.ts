// Applies the committed migrations: to PostgreSQL when DATABASE_URL is set, otherwise to the
// embedded data directory (which `npm start` also migrates on its own). On PostgreSQL, run it as
// the owner of the schema; with DATABASE_APP_ROLE set, the service's own role is then granted
// exactly what it needs (src/db/roles.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrations";
import { grantApplicationRole } from "../src/db/roles";

const config = loadConfig(process.env, "migrate");
let applied: string[];
if (config.database.kind === "postgres") {
  applied = await applyMigrations(new PrismaPg({ connectionString: config.database.url }));
  if (config.databaseAppRole) {
    const adapter = await new PrismaPg({ connectionString: config.database.url }).connect();
    try {
      await grantApplicationRole(adapter, config.databaseAppRole);
      console.log(`Granted the service's privileges to ${config.databaseAppRole}.`);
    } finally {
      await adapter.dispose();
    }
  }
} else {
  const database = await openDatabase(config.database);
  applied = database.appliedMigrations;
  await database.close();
}
console.log(applied.length > 0 ? `Applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}` : "The database is up to date.");

// Applies the committed migrations: to PostgreSQL when DATABASE_URL is set, otherwise to the
// embedded data directory (which `npm start` also migrates on its own).
import { PrismaPg } from "@prisma/adapter-pg";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";
import { applyMigrations } from "../src/db/migrations";

const config = loadConfig(process.env, "migrate");
let applied: string[];
if (config.database.kind === "postgres") {
  applied = await applyMigrations(new PrismaPg({ connectionString: config.database.url }));
} else {
  const database = await openDatabase(config.database);
  applied = database.appliedMigrations;
  await database.close();
}
console.log(applied.length > 0 ? `Applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}` : "The database is up to date.");

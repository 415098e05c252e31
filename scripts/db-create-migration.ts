// Creates a migration from the changes in prisma/schema.prisma:
//   npm run db:migration:create -- <name>
// The committed migrations are applied to a scratch in-memory PGlite and the difference with
// the schema is written to prisma/migrations/<timestamp>_<name>/migration.sql.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { createMigration } from "../src/db/migrations";

const name = process.argv[2];
if (!name) {
  console.error("usage: npm run db:migration:create -- <name>");
  process.exit(2);
}
const scratch = new PGlite();
const folder = await createMigration(new PrismaPGlite(scratch), name);
await scratch.close();
console.log(folder ? `Created prisma/migrations/${folder}/migration.sql` : "The schema has no change: no migration created.");

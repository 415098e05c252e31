// Configuration read by the Prisma CLI (used here for `prisma generate` only:
// migrations are applied by src/db/migrate.ts through the WASM schema engine).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});

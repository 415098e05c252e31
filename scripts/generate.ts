// Generates the Prisma client and the Pothos types from prisma/schema.prisma, unless the
// generated files already match the schema (a stamp keeps the schema's hash).
//
// The Prisma CLI wants a native schema engine that cannot be downloaded on every machine;
// `prisma generate` does not use it, so any existing file satisfies the check.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const schemaPath = join(root, "prisma", "schema.prisma");
const stampPath = join(root, "src", "generated", ".schema-hash");
const force = process.argv.includes("--force");

const hash = createHash("sha256").update(readFileSync(schemaPath)).digest("hex");
if (!force && existsSync(stampPath) && readFileSync(stampPath, "utf8") === hash) {
  process.exit(0);
}

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const prismaCli = join(root, "node_modules", "prisma", "build", "index.js");
const result = spawnSync(process.execPath, [prismaCli, "generate", "--no-hints"], { cwd: root, env, stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampPath, hash);

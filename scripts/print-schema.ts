// Prints the GraphQL schema built from the code to schema/schema.graphql.
// With --check, fails if the committed file differs from what the code builds (CI runs it).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { printSchema } from "graphql";
import { schema } from "../src/graphql/schema";

const target = join(import.meta.dirname, "..", "schema", "schema.graphql");
const printed = `${printSchema(schema)}\n`;
if (process.argv.includes("--check")) {
  const committed = readFileSync(target, "utf8");
  if (committed !== printed) {
    console.error("schema/schema.graphql is out of date: run `npm run schema:print` and commit it.");
    process.exit(1);
  }
  console.log("schema/schema.graphql matches the code.");
} else {
  writeFileSync(target, printed);
  console.log(`Wrote ${target}`);
}

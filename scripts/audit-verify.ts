// `npm run audit:verify`: walks the audit log's hash chain on DATABASE_URL (or the embedded data
// directory) and says whether it holds; exits 1 when it does not. Prints the last link's hash,
// to be recorded outside the database.
import { verifyAuditChain } from "../src/audit/audit-chain";
import { loadConfig } from "../src/config";
import { openDatabase } from "../src/db/database";

const config = loadConfig(process.env, "migrate");
const database = await openDatabase(config.database);
try {
  const report = await verifyAuditChain(database.prisma);
  if (report.problems.length === 0) {
    console.log(`The audit log holds: ${report.links} link(s), last hash ${report.head ?? "(empty log)"}.`);
  } else {
    console.log(`The audit log does NOT hold (${report.links} link(s)); first problems:`);
    for (const p of report.problems) console.log(`  ${p.kind.padEnd(13)} audit row ${p.auditId}${"seq" in p ? `, link ${p.seq}` : ""}`);
    process.exitCode = 1;
  }
} finally {
  await database.close();
}

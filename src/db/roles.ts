// The application's own database role owns nothing: the owner (who runs the migrations) grants
// it what the service needs after every migration (`npm run db:migrate` with DATABASE_APP_ROLE).
// It may read and write the domain tables, and only read the audit log and its chain: audit rows
// are written by the triggers, which run as the owner (SECURITY DEFINER). Not owning the tables,
// it cannot disable their triggers, and not being a superuser it cannot set
// session_replication_role.
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";

/** Tables the application reads but never writes. */
const READ_ONLY = ["AuditLog", "AuditSeal", "_prisma_migrations"];

const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The statements that give `role` exactly the application's privileges in `schema`. */
export function applicationGrants(role: string, schema: string): string[] {
  if (!ROLE.test(role)) throw new Error(`not a plain role name: ${role}`);
  const r = quoted(role);
  const s = quoted(schema);
  return [
    // Nobody but the owner creates objects here (PUBLIC could before PostgreSQL 15).
    `REVOKE CREATE ON SCHEMA ${s} FROM PUBLIC`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r}`,
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r}`,
    `REVOKE INSERT, UPDATE, DELETE ON ${READ_ONLY.map((t) => `${s}.${quoted(t)}`).join(", ")} FROM ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `REVOKE USAGE, SELECT, UPDATE ON SEQUENCE ${s}.${quoted("AuditLog_id_seq")} FROM ${r}`,
  ];
}

/** Grants the application role its privileges; run by the owner after the migrations. */
export async function grantApplicationRole(adapter: SqlDriverAdapter, role: string): Promise<void> {
  const result = await adapter.queryRaw({ sql: "SELECT current_schema() AS schema", args: [], argTypes: [] });
  const schema = String(result.rows[0]![0]);
  for (const sql of applicationGrants(role, schema)) await adapter.executeRaw({ sql, args: [], argTypes: [] });
}

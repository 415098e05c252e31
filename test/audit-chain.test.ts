// The audit log is written only by its triggers and chained by hash: a row changed, removed or
// slipped in by other means is found by the chain's walk (`npm run audit:verify`). On
// PostgreSQL, the service's own role (granted by src/db/roles.ts) owns nothing: it cannot write
// the log, disable its triggers or switch them off for its session, yet its writes are audited.
import { PrismaPg } from "@prisma/adapter-pg";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/audit/audit-chain";
import { grantApplicationRole } from "../src/db/roles";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** Runs statements with the triggers off, as only the owner or a superuser can. */
async function tamper(...statements: string[]) {
  await server.database.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
    for (const sql of statements) await tx.$executeRawUnsafe(sql);
  });
}

describe("the audit log's hash chain", { timeout: 120_000 }, () => {
  it("holds after the demo and real writes, each row with the hash of the one before", async () => {
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const citizen = await server.database.prisma.citizen.findFirstOrThrow({ where: { status: "ENROLLED" }, orderBy: { id: "asc" } });
    // Concurrent writing transactions are chained in commit order, without a fork.
    await Promise.all(
      [2, 3, 4, 5].map((hours) =>
        server.gql(
          `mutation($id: ID!, $h: Int!) { updateCitizenProfile(citizenId: $id, input: { weeklyHourLimit: $h }) { __typename } }`,
          { id: citizen.id, h: hours },
          { token: coordinator },
        ),
      ),
    );
    const report = await verifyAuditChain(server.database.prisma);
    expect(report.problems).toEqual([]);
    expect(report.links).toBe(await server.database.prisma.auditLog.count());
    expect(report.links).toBeGreaterThan(100);
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
    const seals = await server.database.prisma.auditSeal.findMany({ orderBy: { seq: "desc" }, take: 5 });
    for (let i = 0; i < seals.length - 1; i++) expect(seals[i]!.prevHash).toBe(seals[i + 1]!.hash);
  });

  it("finds a row changed, removed or slipped in behind the triggers' back", async () => {
    const prisma = server.database.prisma;
    const [first, second] = await prisma.auditLog.findMany({ where: { tableName: "Citizen" }, orderBy: { id: "asc" }, take: 2 });
    await tamper(`UPDATE "AuditLog" SET "actorRole" = 'ADMIN' WHERE "id" = ${first!.id}`);
    expect((await verifyAuditChain(prisma)).problems).toContainEqual(expect.objectContaining({ kind: "ROW_CHANGED", auditId: String(first!.id) }));
    await tamper(`DELETE FROM "AuditLog" WHERE "id" = ${second!.id}`);
    expect((await verifyAuditChain(prisma)).problems).toContainEqual(expect.objectContaining({ kind: "ROW_MISSING", auditId: String(second!.id) }));
    await tamper(`INSERT INTO "AuditLog" ("actorRole", "tableName", "rowId", "action", "changes") VALUES ('ADMIN', 'Citizen', 'x', 'UPDATE', '{}')`);
    expect((await verifyAuditChain(prisma)).problems.some((p) => p.kind === "ROW_UNSEALED")).toBe(true);
    // Removing a link too (to hide a removed row) breaks the next one.
    const last = await prisma.auditSeal.findFirstOrThrow({ orderBy: { seq: "desc" }, skip: 3 });
    await tamper(`DELETE FROM "AuditSeal" WHERE "seq" = ${last.seq}`, `DELETE FROM "AuditLog" WHERE "id" = ${last.auditId}`);
    expect((await verifyAuditChain(prisma)).problems).toContainEqual(expect.objectContaining({ kind: "LINK_MISSING" }));
  });
});

describe.runIf(process.env.DATABASE_URL)("the service's own database role", { timeout: 120_000 }, () => {
  it("reads and writes the domain, is audited, and cannot touch the audit log", async () => {
    const role = `legami_app_${randomBytes(4).toString("hex")}`;
    const owner = new pg.Client({ connectionString: server.databaseUrl });
    await owner.connect();
    await owner.query(`CREATE ROLE ${role} LOGIN`);
    const adapter = await new PrismaPg({ connectionString: server.databaseUrl! }).connect();
    await grantApplicationRole(adapter, role);
    await adapter.dispose();
    const url = new URL(server.databaseUrl!);
    url.username = role;
    url.password = "";
    const app = new pg.Client({ connectionString: url.toString() });
    await app.connect();
    try {
      expect((await app.query(`SELECT current_user AS u`)).rows[0].u).toBe(role);
      // The domain: read and write, and the write is audited and sealed (triggers run as the owner).
      const before = Number((await app.query(`SELECT count(*) AS n FROM "AuditLog"`)).rows[0].n);
      const lastId = Number((await app.query(`SELECT coalesce(max("id"), 0) AS id FROM "AuditLog"`)).rows[0].id);
      await app.query(`UPDATE "Skill" SET "nameEn" = "nameEn" || ' ' WHERE "id" = (SELECT "id" FROM "Skill" ORDER BY "id" LIMIT 1)`);
      expect(Number((await app.query(`SELECT count(*) AS n FROM "AuditLog"`)).rows[0].n)).toBe(before + 1);
      // The log: no writing, no switching its triggers off, no owning anything.
      const refused = [
        `INSERT INTO "AuditLog" ("actorRole", "tableName", "action", "changes") VALUES ('ADMIN', 'User', 'UPDATE', '{}')`,
        `UPDATE "AuditLog" SET "actorRole" = 'ADMIN'`,
        `DELETE FROM "AuditLog"`,
        `TRUNCATE "AuditLog"`,
        `INSERT INTO "AuditSeal" ("seq", "auditId", "hash") VALUES (999999999, 1, 'x')`,
        `DELETE FROM "AuditSeal"`,
        `ALTER TABLE "AuditLog" DISABLE TRIGGER ALL`,
        `ALTER TABLE "Citizen" DISABLE TRIGGER "Citizen_audit"`,
        `DROP TRIGGER "Citizen_audit" ON "Citizen"`,
        `SET session_replication_role = replica`,
        `CREATE TABLE "Forged" ("id" int)`,
        `SELECT setval('"AuditLog_id_seq"', 1)`,
        `CREATE OR REPLACE FUNCTION "legami_audit"() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'`,
      ];
      for (const sql of refused) {
        await expect(app.query(sql), sql).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|42P01)$/) });
      }
      expect((await verifyAuditChain(server.database.prisma)).problems.filter((p) => p.kind === "ROW_UNSEALED" && Number(p.auditId) > lastId)).toEqual([]);
      const written = await server.database.prisma.auditLog.findFirstOrThrow({ where: { tableName: "Skill", id: { gt: BigInt(lastId) } } });
      expect(await server.database.prisma.auditSeal.findUnique({ where: { auditId: written.id } })).not.toBeNull();
    } finally {
      await app.end();
      await owner.query(`REASSIGN OWNED BY ${role} TO CURRENT_USER`).catch(() => {});
      await owner.query(`DROP OWNED BY ${role}`).catch(() => {});
      await owner.query(`DROP ROLE ${role}`).catch(() => {});
      await owner.end();
    }
  });
});

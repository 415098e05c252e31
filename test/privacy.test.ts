// GDPR on the demo data: a person exports their own data (and nobody else's); an administrator
// erases a citizen and a family after a stretch of real work: afterwards no table holds their
// identifying data (searched in every table's text, the audit log included), while the programme
// report and the ledger totals are exactly what they were.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { tableNames } from "./helpers/database";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let admin: string;
let territoryId: string;
const REPORT = `query($t: ID!) { programmeReport(territoryId: $t, from: "2026-11-01", to: "2027-01-01") { ... on ProgrammeReport {
  citizensRegistered citizensEnrolled citizensActive pactsByStatus { status count } hoursTotal { plannedMinutes pendingMinutes doneMinutes }
  hoursByPact { key plannedMinutes doneMinutes } hoursByMonth { key plannedMinutes doneMinutes } familiesSupported families { familyId tasks occurrences filledOccurrences }
  seats seatsFilled offersMade offersAccepted offersDeclined replacements decidedCommitments noShows houses { name held rota { householdId duties share } } } } }`;
/** The report with its families by id (they are listed by name, and erasure changes a name). */
const comparable = (report: any) => ({ ...report, families: [...report.families].sort((a: any, b: any) => a.familyId.localeCompare(b.familyId)) });
const LEDGER = `{ hoursLedger { ... on HoursLedger { total { plannedMinutes pendingMinutes doneMinutes usedMinutes } } } }`;

/** Tables whose text contains `needle` (case-insensitive), with how many rows. */
async function tablesContaining(needle: string): Promise<Record<string, number>> {
  const prisma = server.database.prisma;
  const found: Record<string, number> = {};
  for (const name of await tableNames(prisma)) {
    const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}" t WHERE t::text ILIKE '%' || $1 || '%'`, needle);
    if (Number(row!.n) > 0) found[name] = Number(row!.n);
  }
  return found;
}

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.database.prisma;
  admin = await server.login("admin@legami.demo");
  const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  territoryId = (await prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
  const run = (await server.gql(`mutation($t: ID!) { startMatchingRun(territoryId: $t, weekStart: "2026-11-23") { ... on MatchingRun { id } } }`, { t: territoryId }, { token: coordinator })).data.startMatchingRun;
  await server.jobsIdle();
  await server.gql(`mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename } }`, { id: run.id }, { token: coordinator });
  for (const offer of await prisma.offer.findMany({ where: { runId: run.id }, orderBy: { id: "asc" }, take: 6, include: { citizen: { include: { user: true } } } })) {
    await server.gql(`mutation($id: ID!) { acceptOffer(offerId: $id) { __typename } }`, { id: offer.id }, { token: await server.login(offer.citizen.user!.email, DEMO_PASSWORD) });
  }
  await server.jobsIdle();
});

afterAll(async () => {
  await server?.close();
});

describe("privacy", { timeout: 120_000 }, () => {
  it("lets a person export their own data, and nobody else's", async () => {
    const commitment = await server.database.prisma.commitment.findFirstOrThrow({ where: { status: "ACTIVE" }, include: { citizen: { include: { user: true } } } });
    const other = await server.database.prisma.citizen.findFirstOrThrow({ where: { id: { not: commitment.citizenId } } });
    const token = await server.login(commitment.citizen.user!.email);
    const data = JSON.parse((await server.gql(`{ exportMyData }`, {}, { token })).data.exportMyData);
    expect(data.user.email).toBe(commitment.citizen.email);
    expect(data.citizen.id).toBe(commitment.citizenId);
    expect(data.citizen.commitments.map((c: any) => c.id)).toContain(commitment.id);
    expect(data.citizen.languages.length).toBeGreaterThan(0);
    expect(JSON.stringify(data)).not.toContain(other.email);
    expect(JSON.stringify(data)).not.toContain("passwordHash");
    const resident = JSON.parse((await server.gql(`{ exportMyData }`, {}, { token: await server.login("residente.diallo@legami.demo") })).data.exportMyData);
    expect(resident.household.house.name).toBe("Casa Comune Ximenes");
    expect((await server.gql(`{ exportMyData }`)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("erases a withdrawn citizen: no trace of who they were, reports and ledger unchanged", async () => {
    const prisma = server.database.prisma;
    const commitment = await prisma.commitment.findFirstOrThrow({ where: { status: "ACTIVE" }, orderBy: { id: "asc" }, include: { citizen: { include: { user: true } } } });
    const citizen = commitment.citizen;
    const ERASE = `mutation($id: ID!) { eraseCitizen(citizenId: $id, reason: "Richiesta GDPR n. 17") { __typename ... on Citizen { firstName lastName email } ... on Error { code } } }`;
    expect((await server.gql(ERASE, { id: citizen.id }, { token: admin })).data.eraseCitizen.code).toBe("ILLEGAL_TRANSITION");
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    expect((await server.gql(ERASE, { id: citizen.id }, { token: coordinator })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await server.gql(`mutation($id: ID!) { changeEnrolmentStatus(citizenId: $id, to: WITHDRAWN, reason: "Si trasferisce a Firenze") { __typename } }`, { id: citizen.id }, { token: admin });

    const report = (await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport;
    const ledger = (await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total;
    expect(report.citizensActive).toBeGreaterThan(0);
    expect(await tablesContaining(citizen.email)).not.toEqual({});

    const erased = (await server.gql(ERASE, { id: citizen.id }, { token: admin })).data.eraseCitizen;
    expect(erased).toMatchObject({ __typename: "Citizen", firstName: "[cancellato]", lastName: "[cancellato]" });
    expect(await tablesContaining(citizen.email)).toEqual({});
    if (citizen.phone) expect(await tablesContaining(citizen.phone)).toEqual({});
    expect(await tablesContaining("Firenze")).toEqual({});
    expect(comparable((await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport)).toEqual(comparable(report));
    expect((await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total).toEqual(ledger);
    expect((await server.gql(`mutation($e: String!) { login(email: $e, password: "${DEMO_PASSWORD}") { __typename } }`, { e: citizen.email })).data.login.__typename).toBe("AuthenticationError");
    // The erasure itself is in the audit log, by the administrator, without the values it removed.
    const entries = await prisma.auditLog.findMany({ where: { tableName: "Citizen", rowId: citizen.id, actorRole: "ADMIN", action: "UPDATE" } });
    expect(entries.some((e) => (e.changes as any).email?.hidden === true)).toBe(true);
  });

  it("erases a family living in a shared house: its name gone everywhere, reports and ledger unchanged", async () => {
    const prisma = server.database.prisma;
    const family = await prisma.family.findFirstOrThrow({ where: { referenceName: "El Amrani" }, include: { members: true } });
    const report = (await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport;
    const ledger = (await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total;
    expect(Object.keys(await tablesContaining("El Amrani")).length).toBeGreaterThan(1);
    const erased = (await server.gql(`mutation($id: ID!) { eraseFamily(familyId: $id, reason: "Richiesta GDPR n. 18") { __typename ... on Error { code } } }`, { id: family.id }, { token: admin })).data.eraseFamily;
    expect(erased.__typename).toBe("Family");
    expect(await tablesContaining("El Amrani")).toEqual({});
    expect(await tablesContaining(family.address!)).toEqual({});
    expect(await tablesContaining("residente.elamrani")).toEqual({});
    for (const member of family.members) expect(await prisma.familyMember.count({ where: { familyId: family.id, firstName: member.firstName } })).toBe(0);
    expect(comparable((await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport)).toEqual(comparable(report));
    expect((await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total).toEqual(ledger);
  });
});

// GDPR on the demo data: a person exports their own data (and nobody else's); an administrator
// erases a citizen and a family after a stretch of real work: afterwards no table holds their
// identifying data (searched in every table's text, the audit log included), while the programme
// report and the ledger totals are exactly what they were.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { FREE_TEXT } from "../src/privacy/privacy.service";
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
  const run = (
    await server.gql(
      `mutation($t: ID!) { startMatchingRun(territoryId: $t, weekStart: "2026-11-23") { ... on MatchingRun { id } } }`,
      { t: territoryId },
      { token: coordinator },
    )
  ).data.startMatchingRun;
  await server.jobsIdle();
  await server.gql(`mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename } }`, { id: run.id }, { token: coordinator });
  for (const offer of await prisma.offer.findMany({
    where: { runId: run.id },
    orderBy: { id: "asc" },
    take: 6,
    include: { citizen: { include: { user: true } } },
  })) {
    await server.gql(
      `mutation($id: ID!) { acceptOffer(offerId: $id) { __typename } }`,
      { id: offer.id },
      { token: await server.login(offer.citizen.user!.email, DEMO_PASSWORD) },
    );
  }
  await server.jobsIdle();
});

afterAll(async () => {
  await server?.close();
});

describe("privacy", { timeout: 120_000 }, () => {
  it("lets a person export their own data, and nobody else's", async () => {
    const commitment = await server.database.prisma.commitment.findFirstOrThrow({
      where: { status: "ACTIVE" },
      include: { citizen: { include: { user: true } } },
    });
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

  it("erases a withdrawn citizen: nothing that named them is left in any table, their token ends, reports unchanged", async () => {
    const prisma = server.database.prisma;
    const commitment = await prisma.commitment.findFirstOrThrow({
      where: { status: "ACTIVE" },
      orderBy: { id: "asc" },
      include: { citizen: { include: { user: true, insuranceCovers: true } }, occurrence: true },
    });
    const citizen = commitment.citizen;
    const fullName = `${citizen.firstName} ${citizen.lastName}`;
    const token = await server.login(citizen.user!.email, DEMO_PASSWORD);
    const ERASE = `mutation($id: ID!) { eraseCitizen(citizenId: $id, reason: "Richiesta GDPR n. 17") { __typename ... on Citizen { firstName lastName displayName email erasedAt } ... on Error { code } } }`;
    expect((await server.gql(ERASE, { id: citizen.id }, { token: admin })).data.eraseCitizen.code).toBe("ILLEGAL_TRANSITION");
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    expect((await server.gql(ERASE, { id: citizen.id }, { token: coordinator })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    // What people write about a citizen: a task they serve, another task, their pact's history,
    // a cancellation told to others; a wrong password typed with their email.
    await prisma.task.update({
      where: { id: (await prisma.taskOccurrence.findUniqueOrThrow({ where: { id: commitment.occurrenceId } })).taskId },
      data: { description: `Con ${citizen.firstName}, che conosce la famiglia` },
    });
    const other = await prisma.task.findFirstOrThrow({
      where: { occurrences: { none: { commitments: { some: { citizenId: citizen.id } } } } },
      orderBy: { id: "asc" },
    });
    await prisma.task.update({
      where: { id: other.id },
      data: { description: `Chiedere a ${citizen.lastName.toUpperCase()} ${citizen.firstName} se può, oppure a ${citizen.firstName} Bianchi` },
    });
    await server.gql(
      `mutation($id: ID!) { changeEnrolmentStatus(citizenId: $id, to: WITHDRAWN, reason: "${fullName} si trasferisce a Firenze") { __typename } }`,
      { id: citizen.id },
      { token: admin },
    );
    const pactId = (await prisma.pactCitizen.findFirstOrThrow({ where: { citizenId: citizen.id } })).pactId;
    await prisma.pactEvent.create({
      data: {
        pactId,
        fromStatus: "ACTIVE",
        toStatus: "SUSPENDED",
        reason: `Sospeso: ${citizen.lastName} in ospedale`,
        byUserId: (await prisma.user.findUniqueOrThrow({ where: { email: "admin@legami.demo" } })).id,
      },
    });
    await server.gql(`mutation($e: String!) { login(email: $e, password: "sbagliata-123") { __typename } }`, { e: citizen.email });
    expect(Object.keys(await tablesContaining(citizen.email))).toContain("LoginThrottle");

    const report = (await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport;
    const ledger = (await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total;
    expect(report.citizensActive).toBeGreaterThan(0);
    const runs = await prisma.matchingRun.findMany({ orderBy: { id: "asc" } });
    expect(JSON.stringify(runs.map((r) => r.explanation))).toContain(citizen.id);
    expect(await tablesContaining(fullName)).not.toEqual({});

    const erased = (await server.gql(ERASE, { id: citizen.id }, { token: admin })).data.eraseCitizen;
    expect(erased).toMatchObject({ __typename: "Citizen", firstName: "erased person", lastName: "", displayName: "erased person" });
    expect(erased.erasedAt).not.toBeNull();
    expect((await server.gql(ERASE, { id: citizen.id }, { token: admin })).data.eraseCitizen.code).toBe("ALREADY_ERASED");
    // Every identifier they had, searched in the text of every row of every table (the audit log too).
    for (const identifier of [
      citizen.email,
      citizen.user!.email,
      fullName,
      `${citizen.lastName} ${citizen.firstName}`,
      `${citizen.lastName} in ospedale`,
      `Con ${citizen.firstName},`,
      "Firenze",
      ...(citizen.phone ? [citizen.phone] : []),
      ...citizen.insuranceCovers.map((c) => c.policyNumber),
    ]) {
      expect(await tablesContaining(identifier), identifier).toEqual({});
    }
    expect((await prisma.citizen.findUniqueOrThrow({ where: { id: citizen.id } })).birthDate.toISOString().slice(5, 10)).toBe("01-01");
    // Someone else's text keeps what is not the erased person.
    expect((await prisma.task.findUniqueOrThrow({ where: { id: other.id } })).description).toBe(
      `Chiedere a [cancellato] se può, oppure a ${citizen.firstName} Bianchi`,
    );
    // Runs keep ids, unchanged, and show the citizen as erased.
    expect((await prisma.matchingRun.findMany({ orderBy: { id: "asc" } })).map((r) => [r.explanation, r.summary, r.solution])).toEqual(
      runs.map((r) => [r.explanation, r.summary, r.solution]),
    );
    const shown = await server.gql(
      `query($id: ID!) { matchingRun(id: $id) { ... on MatchingRun { assignments(order: BY_CITIZEN) { citizen { id displayName firstName } } unfilledSeats { message } } } }`,
      { id: runs[0]!.id },
      { token: coordinator },
    );
    const theirs = shown.data.matchingRun.assignments.filter((a: any) => a.citizen.id === citizen.id);
    expect(theirs.length).toBeGreaterThan(0);
    for (const a of theirs) expect(a.citizen).toMatchObject({ displayName: "erased person", firstName: "erased person" });
    // Their full name appears nowhere in the run as shown (their surname alone may be someone else's).
    expect(JSON.stringify(shown.data)).not.toContain(fullName);
    if ((await prisma.citizen.count({ where: { lastName: citizen.lastName } })) === 0) expect(JSON.stringify(shown.data)).not.toContain(citizen.lastName);
    // The token they held ends at once; the password no longer signs in.
    expect((await server.gql(`{ myOffers { id } }`, {}, { token })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(
      (await server.gql(`mutation($e: String!) { login(email: $e, password: "${DEMO_PASSWORD}") { __typename } }`, { e: citizen.email })).data.login.__typename,
    ).toBe("AuthenticationError");
    expect(comparable((await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport)).toEqual(comparable(report));
    expect((await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total).toEqual(ledger);
    // The erasure itself is in the audit log, by the administrator, without the values it removed.
    const entries = await prisma.auditLog.findMany({ where: { tableName: "Citizen", rowId: citizen.id, actorRole: "ADMIN", action: "UPDATE" } });
    expect(entries.some((e) => (e.changes as any).email?.hidden === true)).toBe(true);
  });

  it("erases a family living in a shared house: its names gone everywhere, nobody else's text touched", async () => {
    const prisma = server.database.prisma;
    const family = await prisma.family.findFirstOrThrow({
      where: { referenceName: "El Amrani" },
      include: { members: true, households: { include: { contactUser: true } } },
    });
    const child = family.members[0]!.firstName;
    const resident = await server.login(family.households[0]!.contactUser!.email, DEMO_PASSWORD);
    // A child's first name in a staff-written title; the family named in another family's task;
    // another family's texts that contain the names only inside other words.
    const own = await prisma.task.findFirstOrThrow({ where: { familyId: family.id }, orderBy: { id: "asc" } });
    await prisma.task.update({ where: { id: own.id }, data: { title: `Compiti con ${child}` } });
    const neighbour = await prisma.task.findFirstOrThrow({ where: { familyId: { not: family.id } }, orderBy: { id: "asc" } });
    const neighbourText = `Come per la famiglia El Amrani, con ${child}: portare ${child}ne e un "occurrences" {"names": 1}`;
    await prisma.task.update({ where: { id: neighbour.id }, data: { description: neighbourText } });
    const report = (await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport;
    const ledger = (await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total;
    const runs = await prisma.matchingRun.findMany({ orderBy: { id: "asc" } });
    expect(Object.keys(await tablesContaining("El Amrani")).length).toBeGreaterThan(1);

    const erased = (
      await server.gql(
        `mutation($id: ID!) { eraseFamily(familyId: $id, reason: "Richiesta GDPR n. 18") { __typename ... on Family { referenceName erasedAt } ... on Error { code } } }`,
        { id: family.id },
        { token: admin },
      )
    ).data.eraseFamily;
    expect(erased).toMatchObject({ __typename: "Family", referenceName: "erased family" });
    for (const identifier of ["El Amrani", family.address!, family.households[0]!.contactUser!.email, "residente.elamrani", `Compiti con ${child}`]) {
      expect(await tablesContaining(identifier), identifier).toEqual({});
    }
    for (const member of family.members) expect(await prisma.familyMember.count({ where: { familyId: family.id, firstName: member.firstName } })).toBe(0);
    expect((await prisma.task.findUniqueOrThrow({ where: { id: neighbour.id } })).description).toBe(
      `Come per la famiglia [cancellato], con ${child}: portare ${child}ne e un "occurrences" {"names": 1}`,
    );
    // Runs hold ids only: not one byte of them changed.
    expect((await prisma.matchingRun.findMany({ orderBy: { id: "asc" } })).map((r) => [r.problem, r.compiled, r.explanation, r.summary, r.solution])).toEqual(
      runs.map((r) => [r.problem, r.compiled, r.explanation, r.summary, r.solution]),
    );
    expect((await server.gql(`{ myHousehold { __typename } }`, {}, { token: resident })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(comparable((await server.gql(REPORT, { t: territoryId }, { token: admin })).data.programmeReport)).toEqual(comparable(report));
    expect((await server.gql(LEDGER, {}, { token: admin })).data.hoursLedger.total).toEqual(ledger);
  });

  it("keeps every free-text column out of the audit log's values, so erasure never needs the log", async () => {
    const prisma = server.database.prisma;
    const triggers = await prisma.$queryRawUnsafe<{ table: string; definition: string }[]>(
      `SELECT c.relname AS "table", pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%_audit'`,
    );
    const missing: string[] = [];
    for (const [model, fields] of Object.entries(FREE_TEXT)) {
      const table = model.charAt(0).toUpperCase() + model.slice(1);
      const definition = triggers.find((t) => t.table === table)?.definition ?? "";
      for (const field of fields) if (!definition.includes(`'${field}'`)) missing.push(`${table}.${field}`);
    }
    expect(missing).toEqual([]);
  });
});

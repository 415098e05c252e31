// The programme report on the demo data after a realistic stretch of work (a week matched and
// published, offers accepted and declined, hours logged, confirmed and corrected to nothing, a
// shared house's plan published and recorded): every figure is cross-checked against the ledger
// (hoursLedger) or counted again from the database; the CSV says the same; who sees what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../src/demo/seed";
import { csvField } from "../src/reports/reports.model";
import { startTestServer, TEST_NOW, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;
let territoryId: string;
const FROM = "2026-11-01";
const TO = "2027-01-01";

const REPORT = `query($t: ID!, $f: Date!, $to: Date!) { programmeReport(territoryId: $t, from: $f, to: $to) { __typename
  ... on ProgrammeReport { citizensRegistered citizensEnrolled citizensActive pactsByStatus { status count }
    hoursTotal { plannedMinutes pendingMinutes doneMinutes }
    hoursByPact { key plannedMinutes pendingMinutes doneMinutes } hoursByMonth { key plannedMinutes pendingMinutes doneMinutes }
    hoursByActivityKind { key plannedMinutes doneMinutes } hoursByMunicipality { key label plannedMinutes doneMinutes }
    familiesSupported families { familyId tasks occurrences filledOccurrences }
    seats seatsFilled fillRate medianHoursToFill offersMade offersAccepted offersDeclined offersExpired declineRate replacements replacementsAccepted
    decidedCommitments noShows noShowRate houses { name held cancelled planned rota { name duties share } } }
  ... on Error { code } } }`;
const LEDGER = `query($m: String) { hoursLedger(month: $m) { __typename ... on HoursLedger { rows { pactId month hours { plannedMinutes pendingMinutes doneMinutes } } total { plannedMinutes pendingMinutes doneMinutes } } } }`;

const tokenOf = async (citizenId: string) => {
  const citizen = await server.database.prisma.citizen.findUniqueOrThrow({ where: { id: citizenId }, include: { user: true } });
  return server.login(citizen.user!.email, DEMO_PASSWORD);
};

beforeAll(async () => {
  server = await startTestServer();
  const prisma = server.database.prisma;
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  territoryId = (await prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
  // A week matched and published; the first eight offers accepted where they still can be, one declined.
  const run = (
    await server.gql(
      `mutation($t: ID!) { startMatchingRun(territoryId: $t, weekStart: "2026-11-23") { ... on MatchingRun { id } } }`,
      { t: territoryId },
      { token: coordinator },
    )
  ).data.startMatchingRun;
  await server.jobsIdle();
  await server.gql(`mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename } }`, { id: run.id }, { token: coordinator });
  const offers = await prisma.offer.findMany({ where: { runId: run.id }, orderBy: { id: "asc" } });
  for (const offer of offers.slice(0, 8))
    await server.gql(`mutation($id: ID!) { acceptOffer(offerId: $id) { __typename } }`, { id: offer.id }, { token: await tokenOf(offer.citizenId) });
  await server.gql(
    `mutation($id: ID!) { declineOffer(offerId: $id) { __typename } }`,
    { id: offers.at(-1)!.id },
    { token: await tokenOf(offers.at(-1)!.citizenId) },
  );
  await server.jobsIdle();
  // After the week: hours logged and confirmed for two commitments, one corrected to nothing (a no-show), one left pending.
  const commitments = await prisma.commitment.findMany({ where: { status: "ACTIVE" }, include: { occurrence: true }, orderBy: { id: "asc" } });
  server.setNow(new Date("2026-11-30T12:00:00+01:00"));
  const [confirmed, noShow, pending] = commitments;
  for (const c of [confirmed!, noShow!, pending!])
    await server.gql(
      `mutation($id: ID!, $m: Int!) { logHours(commitmentId: $id, minutes: $m) { __typename } }`,
      { id: c.id, m: 60 },
      { token: await tokenOf(c.citizenId) },
    );
  await server.gql(`mutation($id: ID!) { confirmHours(commitmentId: $id) { __typename } }`, { id: confirmed!.id }, { token: coordinator });
  await server.gql(
    `mutation($id: ID!) { correctHours(commitmentId: $id, minutes: 0, note: "Non si è presentato") { __typename } }`,
    { id: noShow!.id },
    { token: coordinator },
  );
  server.setNow(TEST_NOW);
});

afterAll(async () => {
  await server?.close();
});

describe("programme report", { timeout: 120_000 }, () => {
  it("adds up with the hours ledger, in total, by month and by pact", async () => {
    const report = (await server.gql(REPORT, { t: territoryId, f: FROM, to: TO }, { token: coordinator })).data.programmeReport;
    expect(report.__typename).toBe("ProgrammeReport");
    const ledgerRows = [];
    for (const month of ["2026-11", "2026-12"]) ledgerRows.push(...(await server.gql(LEDGER, { m: month }, { token: coordinator })).data.hoursLedger.rows);
    const sum = (rows: any[]) =>
      rows.reduce(
        (s, r) => ({
          plannedMinutes: s.plannedMinutes + r.hours.plannedMinutes,
          pendingMinutes: s.pendingMinutes + r.hours.pendingMinutes,
          doneMinutes: s.doneMinutes + r.hours.doneMinutes,
        }),
        { plannedMinutes: 0, pendingMinutes: 0, doneMinutes: 0 },
      );
    expect(report.hoursTotal).toEqual(sum(ledgerRows));
    expect(report.hoursTotal.plannedMinutes).toBeGreaterThan(0);
    expect(report.hoursTotal.doneMinutes).toBe(60);
    expect(report.hoursTotal.pendingMinutes).toBe(60);
    for (const month of report.hoursByMonth) {
      const { key, ...hours } = month;
      expect(hours, key).toEqual(sum(ledgerRows.filter((r: any) => r.month === key)));
    }
    for (const pact of report.hoursByPact) {
      const { key, ...hours } = pact;
      expect(hours, key).toEqual(sum(ledgerRows.filter((r: any) => r.pactId === key)));
    }
    const total = (groups: any[]) => groups.reduce((s, g) => s + g.plannedMinutes, 0);
    expect(total(report.hoursByActivityKind)).toBe(report.hoursTotal.plannedMinutes);
    expect(total(report.hoursByMunicipality)).toBe(report.hoursTotal.plannedMinutes);
  });

  it("counts citizens, pacts, families, seats, offers and attendance as the database does", async () => {
    const prisma = server.database.prisma;
    const report = (await server.gql(REPORT, { t: territoryId, f: FROM, to: TO }, { token: coordinator })).data.programmeReport;
    const inPeriod = { localDate: { gte: new Date(`${FROM}T00:00:00Z`), lt: new Date(`${TO}T00:00:00Z`) }, task: { territoryId } };
    const active = await prisma.commitment.findMany({
      where: { status: "ACTIVE", occurrence: inPeriod },
      include: { occurrence: { include: { task: true } } },
    });
    expect(report.citizensActive).toBe(new Set(active.map((c) => c.citizenId)).size);
    expect(report.citizensActive).toBeGreaterThan(0);
    expect(report.familiesSupported).toBe(new Set(active.map((c) => c.occurrence.task.familyId)).size);
    expect(report.citizensRegistered).toBe(await prisma.citizen.count({ where: { homeMunicipality: { territoryId } } }));
    expect(report.citizensEnrolled).toBe(await prisma.citizen.count({ where: { homeMunicipality: { territoryId }, status: "ENROLLED" } }));
    expect(report.pactsByStatus.reduce((s: number, p: any) => s + p.count, 0)).toBe(await prisma.collaborationPact.count({ where: { territoryId } }));
    const occurrences = await prisma.taskOccurrence.findMany({ where: { ...inPeriod, status: { not: "CANCELLED" } }, include: { task: true } });
    expect(report.seats).toBe(occurrences.reduce((s, o) => s + o.task.headcount, 0));
    expect(report.seatsFilled).toBe(active.length);
    expect(report.fillRate).toBeCloseTo(active.length / report.seats, 4);
    expect(report.medianHoursToFill).toBeGreaterThanOrEqual(0);
    expect(report.families.reduce((s: number, f: any) => s + f.occurrences, 0)).toBe(occurrences.length);
    expect(report.offersMade).toBe(await prisma.offer.count({ where: { occurrence: inPeriod } }));
    expect(report.offersAccepted).toBe(await prisma.offer.count({ where: { occurrence: inPeriod, status: "ACCEPTED" } }));
    expect(report.offersDeclined).toBe(1);
    expect(report.declineRate).toBeCloseTo(1 / (report.offersAccepted + 1), 4);
    expect(report.replacements).toBe(await prisma.offer.count({ where: { occurrence: inPeriod, source: "REPLACEMENT" } }));
    expect(report).toMatchObject({ decidedCommitments: 2, noShows: 1, noShowRate: 0.5 });
  });

  it("counts shared-house activities held and the rota balance per household", async () => {
    const tutor = await server.login("tutor.abitare@legami.demo");
    const house = (await server.gql(`{ houses { id name } }`, {}, { token: tutor })).data.houses.find((h: any) => h.name === "Casa Comune Ximenes");
    const plan = (
      await server.gql(
        `mutation($h: ID!) { planHousePeriod(houseId: $h, from: "2026-12-01", to: "2026-12-15") { ... on HousePlan { id occurrences { id startsAt endsAt } } } }`,
        { h: house.id },
        { token: tutor },
      )
    ).data.planHousePeriod;
    await server.gql(`mutation($id: ID!) { publishHousePlan(planId: $id) { __typename } }`, { id: plan.id }, { token: tutor });
    const first = plan.occurrences[0];
    server.setNow(new Date(Date.parse(first.endsAt) + 60_000));
    await server.gql(`mutation($id: ID!) { recordHousingOccurrence(occurrenceId: $id, status: HELD) { __typename } }`, { id: first.id }, { token: tutor });
    await server.gql(
      `mutation($id: ID!) { recordHousingOccurrence(occurrenceId: $id, status: CANCELLED) { __typename } }`,
      { id: plan.occurrences[1].id },
      { token: tutor },
    );
    server.setNow(TEST_NOW);
    const report = (await server.gql(REPORT, { t: territoryId, f: FROM, to: TO }, { token: coordinator })).data.programmeReport;
    const row = report.houses.find((h: any) => h.name === "Casa Comune Ximenes");
    expect(row).toMatchObject({ held: 1, cancelled: 1, planned: plan.occurrences.length - 2 });
    const balance = (
      await server.gql(
        `query($h: ID!) { houseRotaBalance(houseId: $h, from: "${FROM}", to: "${TO}") { ... on HouseRotaBalanceSuccess { data { household { name } duties share } } } }`,
        { h: house.id },
        { token: tutor },
      )
    ).data.houseRotaBalance.data;
    expect(row.rota.reduce((s: number, r: any) => s + r.duties, 0)).toBe(balance.reduce((s: number, r: any) => s + r.duties, 0));
    for (const r of row.rota) expect(Math.abs(r.duties - r.share)).toBeLessThan(1.5);
  });

  it("serves the same figures as CSV, with formulas neutralised", async () => {
    const report = (await server.gql(REPORT, { t: territoryId, f: FROM, to: TO }, { token: coordinator })).data.programmeReport;
    const response = await fetch(`${server.url}/reports/programme.csv?territoryId=${territoryId}&from=${FROM}&to=${TO}`, {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/csv/);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="legami-report-2026-11-01-2027-01-01.csv"/);
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("section,indicator,key,value");
    const value = (section: string, indicator: string) =>
      lines
        .find((l) => l.startsWith(`${section},${indicator},,`))
        ?.split(",")
        .at(-1);
    expect(Number(value("hours", "total.plannedMinutes"))).toBe(report.hoursTotal.plannedMinutes);
    expect(Number(value("seats", "filled"))).toBe(report.seatsFilled);
    expect(Number(value("offers", "declined"))).toBe(report.offersDeclined);
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField("a,b")).toBe(`"a,b"`);
    expect(csvField(-5)).toBe("-5");
    expect((await fetch(`${server.url}/reports/programme.csv?territoryId=${territoryId}&from=${FROM}&to=${TO}`)).status).toBe(401);
    const bad = await fetch(`${server.url}/reports/programme.csv?territoryId=${territoryId}&from=${TO}&to=${FROM}`, {
      headers: { authorization: `Bearer ${coordinator}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe("INVERTED_DATES");
  });

  it("shows a coordinator their territory, an administrator any, a citizen none of it but their own hours per pact", async () => {
    const other = await server.login("coordinator@other.demo");
    expect((await server.gql(REPORT, { t: territoryId, f: FROM, to: TO }, { token: other })).data.programmeReport.code).toBe("NOT_FOUND");
    const admin = await server.login("admin@legami.demo");
    expect((await server.gql(REPORT, { t: territoryId, f: FROM, to: TO }, { token: admin })).data.programmeReport.__typename).toBe("ProgrammeReport");
    const commitment = await server.database.prisma.commitment.findFirstOrThrow({ where: { status: "ACTIVE" }, orderBy: { id: "asc" } });
    const citizen = await tokenOf(commitment.citizenId);
    expect((await server.gql(REPORT, { t: territoryId, f: FROM, to: TO }, { token: citizen })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const statement = (
      await server.gql(
        `{ myHoursStatement(year: 2026) { __typename ... on MyHoursStatementSuccess { data { pactId budgetMinutes plannedMinutes pendingMinutes doneMinutes } } } }`,
        {},
        { token: citizen },
      )
    ).data.myHoursStatement.data;
    const ledger = (await server.gql(LEDGER, {}, { token: citizen })).data.hoursLedger;
    const own = ledger.rows.filter((r: any) => r.month.startsWith("2026"));
    for (const line of statement) {
      const rows = own.filter((r: any) => r.pactId === line.pactId);
      expect(line.plannedMinutes).toBe(rows.reduce((s: number, r: any) => s + r.hours.plannedMinutes, 0));
      expect(line.doneMinutes).toBe(rows.reduce((s: number, r: any) => s + r.hours.doneMinutes, 0));
    }
    expect(statement.length).toBeGreaterThan(0);
    expect((await server.gql(`{ myHoursStatement(year: 2026) { __typename } }`, {}, { token: coordinator })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

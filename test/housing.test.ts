// Shared housing end to end, through GraphQL on a real database: a tutor plans a month for a demo
// house of four households, every hard rule holds (checked from the data read back, not with the
// planner's code), pins and moves (a refused move says why and changes nothing), re-plans,
// publishes (residents told in their inbox), exports the calendars (per house and per household,
// right across daylight saving), records what happened, and keeps rotas fair over months; a
// mediation session's task is filled by the weekly matching.
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Activity, PlannerInput } from "../src/housing/planner.model";
import { checkHardRules, local, type CheckedOccurrence } from "./helpers/housing-rules";
import { solverPool } from "../src/jobs/solver-pool";
import { startTestServer, TEST_NOW, type TestServer } from "./helpers/server";

let server: TestServer;
let tutor: string;
let house: any;

const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
/** DateTime values come back with Rome's offset: compare them as instants. */
const iso = (value: string) => new Date(value).toISOString();
const minuteOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
const windowOf = (w: any) => ({ weekday: WEEKDAYS.indexOf(w.weekday) + 1, startMinute: minuteOf(w.start), endMinute: minuteOf(w.end) });

const HOUSE = `query($id: ID!) { house(id: $id) { __typename ... on House { id name address quietHours { start end } tutors
  spaces { id name opening { weekday start end } }
  households { id name moveIn moveOut busy { windows { weekday start end } exceptions { kind from to start end } } }
  activities { id kind name space { id } durationMinutes attendance householdIds householdsPerTurn frequency everyWeeks times minSpacingHours mediationLanguage } } } }`;
const PLAN_FIELDS = `id status from to optimal
  occurrences { id startsAt endsAt pinned status activity { id kind name space { id } } duty { id name } task { id } }
  unplaced { activity { name } index ruledOut { rule count message } clashing }
  droppedPins { activity { name } start rules message }
  repeatedTurns rotaShares { activity { id } household { id } duties share }`;
const PLAN = `mutation($h: ID!, $f: Date!, $t: Date!) { planHousePeriod(houseId: $h, from: $f, to: $t) { __typename ... on HousePlan { ${PLAN_FIELDS} } ... on Error { code message } } }`;
const REPLAN = `mutation($id: ID!) { replanHousePlan(planId: $id) { __typename ... on HousePlan { ${PLAN_FIELDS} } ... on Error { code message } } }`;
const PUBLISH = `mutation($id: ID!) { publishHousePlan(planId: $id) { __typename ... on HousePlan { ${PLAN_FIELDS} publishedAt } ... on Error { code message } } }`;
const PIN = `mutation($id: ID!) { pinHousingOccurrence(occurrenceId: $id) { __typename ... on HousingOccurrence { id pinned startsAt } ... on Error { code } } }`;
const MOVE = `mutation($id: ID!, $s: DateTime!) { moveHousingOccurrence(occurrenceId: $id, start: $s) { __typename ... on HousingOccurrence { id pinned startsAt endsAt } ... on ConflictError { code message details } ... on Error { code message } } }`;
const RECORD = `mutation($id: ID!, $s: HousingRecordStatus!, $p: [ID!], $n: String) { recordHousingOccurrence(occurrenceId: $id, status: $s, presentHouseholdIds: $p, note: $n) { __typename ... on HousingOccurrence { id status note attendance { household { id } present } } ... on Error { code message } } }`;
const BALANCE = `query($h: ID!, $f: Date!, $t: Date!) { houseRotaBalance(houseId: $h, from: $f, to: $t) { __typename ... on HouseRotaBalanceSuccess { data { month activity { id name } household { id name } duties share cumulativeDuties cumulativeShare } } ... on Error { code } } }`;

/** The house as the planner's rules see it, rebuilt from what GraphQL returns. */
function rulesOf(h: any, from: string, to: string): PlannerInput {
  const activities: Activity[] = h.activities.map((a: any) => ({
    id: a.id,
    spaceId: a.space?.id ?? null,
    durationMinutes: a.durationMinutes,
    attendance: a.attendance === "LISTED" ? a.householdIds : a.attendance,
    householdsPerTurn: a.householdsPerTurn,
    frequency: a.frequency === "WEEKLY" ? { kind: "WEEKLY", everyWeeks: a.everyWeeks } : { kind: "TIMES", times: a.times },
    minSpacingHours: a.minSpacingHours,
  }));
  return {
    from,
    to,
    quietHours: { startMinute: minuteOf(h.quietHours.start), endMinute: minuteOf(h.quietHours.end) },
    spaces: h.spaces.map((s: any) => ({ id: s.id, opening: s.opening.map(windowOf) })),
    households: h.households.map((x: any) => ({
      id: x.id,
      moveIn: x.moveIn,
      moveOut: x.moveOut,
      busy: {
        windows: x.busy.windows.map(windowOf),
        exceptions: x.busy.exceptions.map((e: any) => ({
          kind: e.kind,
          fromDate: e.from,
          toDate: e.to,
          startMinute: e.start ? minuteOf(e.start) : null,
          endMinute: e.end ? minuteOf(e.end) : null,
        })),
      },
    })),
    activities,
  };
}

const checked = (plan: any): { occurrences: CheckedOccurrence[] } => ({
  occurrences: plan.occurrences.map((o: any) => ({
    activityId: o.activity.id,
    start: Date.parse(o.startsAt),
    end: Date.parse(o.endsAt),
    spaceId: o.activity.space?.id ?? null,
    duty: o.duty.map((d: any) => d.id),
  })),
});

/** The first start, `hours` away from an occurrence's, at which the independent checker accepts it. */
function firstFitting(rules: PlannerInput, plan: any, occurrence: any, hours: number[]): Date {
  const others = checked(plan).occurrences.filter((_, i) => plan.occurrences[i].id !== occurrence.id);
  const length = Date.parse(occurrence.endsAt) - Date.parse(occurrence.startsAt);
  const fits = (start: number) => {
    try {
      checkHardRules(rules, {
        occurrences: [
          ...others,
          {
            activityId: occurrence.activity.id,
            start,
            end: start + length,
            spaceId: occurrence.activity.space?.id ?? null,
            duty: occurrence.duty.map((d: any) => d.id),
          },
        ],
      });
      return true;
    } catch {
      return false;
    }
  };
  const offset = hours.map((h) => h * 3_600_000).find((d) => fits(Date.parse(occurrence.startsAt) + d));
  if (offset === undefined) throw new Error(`no time fits ${occurrence.activity.name}`);
  return new Date(Date.parse(occurrence.startsAt) + offset);
}

async function loadHouse(name: string) {
  const houses = (await server.gql(`query { houses { id name } }`, {}, { token: tutor })).data.houses;
  const id = houses.find((h: any) => h.name === name).id;
  return (await server.gql(HOUSE, { id }, { token: tutor })).data.house;
}

beforeAll(async () => {
  server = await startTestServer();
  tutor = await server.login("tutor.abitare@legami.demo");
  house = await loadHouse("Casa Comune Ximenes");
});

afterAll(async () => {
  await server?.close();
});

describe("shared housing", { timeout: 120_000 }, () => {
  const FROM = "2026-12-01";
  const TO = "2027-01-01";
  let draft: any;

  it("the demo has two shared houses of four households; residents see only their own", async () => {
    const houses = (await server.gql(`query { houses { name households { id } } }`, {}, { token: tutor })).data.houses;
    expect(houses.map((h: any) => h.name).sort()).toEqual(["Casa Comune Ximenes", "Casa Condivisa Follonica"]);
    for (const h of houses) expect(h.households).toHaveLength(4);
    const resident = await server.login("residente.elamrani@legami.demo");
    const theirs = (
      await server.gql(`query { houses { name households { name busy { windows { weekday } } } } myHousehold { name } }`, {}, { token: resident })
    ).data;
    expect(theirs.houses.map((h: any) => h.name)).toEqual(["Casa Comune Ximenes"]);
    expect(theirs.myHousehold.name).toBe("El Amrani");
    // Their own busy times, not the other households'.
    expect(theirs.houses[0].households.filter((h: any) => h.busy !== null).map((h: any) => h.name)).toEqual(["El Amrani"]);
    const other = (await loadHouse("Casa Condivisa Follonica")).id;
    expect((await server.gql(`query($id: ID!) { house(id: $id) { __typename } }`, { id: other }, { token: resident })).data.house.__typename).toBe(
      "NotFoundError",
    );
    // Residents cannot plan.
    expect((await server.gql(PLAN, { h: house.id, f: FROM, t: TO }, { token: resident })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("staff open a house; tutors add households and activities; bad input gets typed errors and writes nothing", async () => {
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const prisma = server.database.prisma;
    const scansano = await prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053023" } });
    const tutorUser = await prisma.user.findUniqueOrThrow({ where: { email: "tutor.abitare@legami.demo" } });
    const everyDay = WEEKDAYS.map((weekday) => ({ weekday, start: "08:00", end: "21:00" }));
    const CREATE = `mutation($n: String!, $m: ID!, $t: [ID!]!, $s: [CommonSpaceInput!]!) { createHouse(name: $n, municipalityId: $m, address: "Via del Poggio 3", quietHours: { start: "22:30", end: "07:00" }, spaces: $s, tutorIds: $t) { __typename ... on House { id quietHours { start end } spaces { id name } tutors } ... on Error { code } } }`;
    expect((await server.gql(CREATE, { n: "Casa Scansano", m: scansano.id, t: [tutorUser.id], s: [] }, { token: coordinator })).data.createHouse.code).toBe(
      "INVALID_INPUT",
    );
    expect(
      (
        await server.gql(
          CREATE,
          {
            n: "Casa Scansano",
            m: scansano.id,
            t: [tutorUser.id],
            s: [{ name: "Cucina", capacity: 8, opening: [{ weekday: "MONDAY", start: "21:00", end: "08:00" }] }],
          },
          { token: coordinator },
        )
      ).data.createHouse.code,
    ).toBe("INVERTED_WINDOW");
    expect(
      (
        await server.gql(
          CREATE,
          { n: "Casa Scansano", m: scansano.id, t: ["not-a-tutor"], s: [{ name: "Cucina", capacity: 8, opening: everyDay }] },
          { token: coordinator },
        )
      ).data.createHouse.code,
    ).toBe("UNKNOWN_USER");
    expect(
      (
        await server.gql(
          CREATE,
          { n: "Casa Scansano", m: scansano.id, t: [tutorUser.id], s: [{ name: "Cucina", capacity: 8, opening: everyDay }] },
          { token: tutor },
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe("FORBIDDEN");
    expect(await prisma.house.count()).toBe(2);
    const created = (
      await server.gql(
        CREATE,
        { n: "Casa Scansano", m: scansano.id, t: [tutorUser.id], s: [{ name: "Cucina", capacity: 8, opening: everyDay }] },
        { token: coordinator },
      )
    ).data.createHouse;
    expect(created).toMatchObject({ quietHours: { start: "22:30", end: "07:00" }, tutors: ["Michele Detti (tutor abitativo)"] });

    const ADD = `mutation($h: ID!, $f: ID!, $in: Date!, $out: Date) { addHousehold(houseId: $h, familyId: $f, moveIn: $in, moveOut: $out, busy: { windows: [{ weekday: MONDAY, start: "08:00", end: "16:00" }] }) { __typename ... on Household { id name moveIn moveOut busy { windows { weekday start end } } } ... on Error { code } } }`;
    const popescu = await prisma.family.findFirstOrThrow({ where: { referenceName: "Popescu" } });
    const elAmrani = await prisma.family.findFirstOrThrow({ where: { referenceName: "El Amrani" } });
    expect((await server.gql(ADD, { h: created.id, f: popescu.id, in: "2027-01-10", out: "2027-01-01" }, { token: tutor })).data.addHousehold.code).toBe(
      "INVERTED_DATES",
    );
    expect((await server.gql(ADD, { h: created.id, f: elAmrani.id, in: "2026-12-01" }, { token: tutor })).data.addHousehold.code).toBe("ALREADY_IN_A_HOUSE");
    const added = (await server.gql(ADD, { h: created.id, f: popescu.id, in: "2026-12-01" }, { token: tutor })).data.addHousehold;
    expect(added).toMatchObject({
      name: "Popescu",
      moveIn: "2026-12-01",
      moveOut: null,
      busy: { windows: [{ weekday: "MONDAY", start: "08:00", end: "16:00" }] },
    });
    expect((await server.gql(ADD, { h: created.id, f: popescu.id, in: "2027-02-01" }, { token: tutor })).data.addHousehold.code).toBe("ALREADY_IN_A_HOUSE");
    const UPDATE = `mutation($id: ID!, $out: Date) { updateHousehold(householdId: $id, moveOut: $out) { __typename ... on Household { moveOut } ... on Error { code } } }`;
    expect((await server.gql(UPDATE, { id: added.id, out: "2026-11-30" }, { token: tutor })).data.updateHousehold.code).toBe("INVERTED_DATES");
    expect((await server.gql(UPDATE, { id: added.id, out: "2027-06-30" }, { token: tutor })).data.updateHousehold).toEqual({
      __typename: "Household",
      moveOut: "2027-06-30",
    });

    const ACTIVITY = `mutation($h: ID!, $i: HousingActivityInput!) { createHousingActivity(houseId: $h, input: $i) { __typename ... on HousingActivity { id kind preferredWindow { start end } preferredWeekdays } ... on Error { code } } }`;
    const base = { kind: "SHARED_MEAL", name: "Cena", durationMinutes: 90, attendance: "ROTA", frequency: "WEEKLY" };
    expect((await server.gql(ACTIVITY, { h: created.id, i: { ...base, spaceId: house.spaces[0].id } }, { token: tutor })).data.createHousingActivity.code).toBe(
      "UNKNOWN_SPACE",
    );
    expect(
      (await server.gql(ACTIVITY, { h: created.id, i: { ...base, kind: "MEDIATION", attendance: "LISTED", householdIds: [added.id] } }, { token: tutor })).data
        .createHousingActivity.code,
    ).toBe("INVALID_INPUT");
    expect(
      (await server.gql(ACTIVITY, { h: created.id, i: { ...base, preferredWindow: { start: "21:00", end: "19:00" } } }, { token: tutor })).data
        .createHousingActivity.code,
    ).toBe("INVERTED_WINDOW");
    const meal = (
      await server.gql(
        ACTIVITY,
        { h: created.id, i: { ...base, spaceId: created.spaces[0].id, preferredWeekdays: ["SUNDAY"], preferredWindow: { start: "19:00", end: "21:00" } } },
        { token: tutor },
      )
    ).data.createHousingActivity;
    expect(meal).toMatchObject({ kind: "SHARED_MEAL", preferredWindow: { start: "19:00", end: "21:00" }, preferredWeekdays: ["SUNDAY"] });
    expect(await prisma.housingActivity.count({ where: { houseId: created.id } })).toBe(1);
    // Switched off, an activity is left out of plans.
    await server.gql(`mutation($id: ID!) { setHousingActivityActive(activityId: $id, active: false) { __typename } }`, { id: meal.id }, { token: tutor });
    const plan = (await server.gql(PLAN, { h: created.id, f: "2026-12-07", t: "2026-12-14" }, { token: tutor })).data.planHousePeriod;
    expect(plan).toMatchObject({ status: "DRAFT", occurrences: [] });
  });

  it("refuses a bad period with a typed error and writes nothing", async () => {
    const before = await server.database.prisma.housePlan.count();
    expect((await server.gql(PLAN, { h: house.id, f: "2026-11-01", t: "2026-12-01" }, { token: tutor })).data.planHousePeriod.code).toBe("PERIOD_IN_PAST");
    expect((await server.gql(PLAN, { h: house.id, f: FROM, t: "2027-06-01" }, { token: tutor })).data.planHousePeriod.code).toBe("PERIOD_TOO_LONG");
    expect((await server.gql(PLAN, { h: house.id, f: TO, t: FROM }, { token: tutor })).data.planHousePeriod.code).toBe("INVERTED_DATES");
    expect(await server.database.prisma.housePlan.count()).toBe(before);
  });

  it("plans a month: every occurrence placed, every hard rule kept, rotas within one of the fair share", async () => {
    const result = await server.gql(PLAN, { h: house.id, f: FROM, t: TO }, { token: tutor });
    draft = result.data.planHousePeriod;
    expect(draft.__typename, JSON.stringify(result)).toBe("HousePlan");
    expect(draft.status).toBe("DRAFT");
    expect(draft.unplaced).toEqual([]);
    const count = (kind: string) => draft.occurrences.filter((o: any) => o.activity.kind === kind).length;
    expect(count("HOUSE_MEETING")).toBe(3); // every two calendar weeks: the weeks of 30 Nov, 14 Dec, 28 Dec
    expect(count("SHARED_MEAL")).toBe(6);
    expect(count("CHORE")).toBe(5);
    expect(count("WELCOME")).toBe(1);
    expect(count("MEDIATION")).toBe(1);
    checkHardRules(rulesOf(house, FROM, TO), checked(draft));
    // The new household is welcomed after it moves in, and takes no turn before.
    const tesfaye = house.households.find((h: any) => h.name === "Tesfaye");
    const welcome = draft.occurrences.find((o: any) => o.activity.kind === "WELCOME");
    expect(local(Date.parse(welcome.startsAt)).date >= tesfaye.moveIn).toBe(true);
    for (const o of draft.occurrences.filter((x: any) => x.duty.some((d: any) => d.id === tesfaye.id)))
      expect(local(Date.parse(o.startsAt)).date >= tesfaye.moveIn).toBe(true);
    for (const s of draft.rotaShares) expect(Math.abs(s.duties - s.share)).toBeLessThan(1);
    const meals = draft.rotaShares.filter((s: any) => s.activity.id === draft.occurrences.find((o: any) => o.activity.kind === "SHARED_MEAL").activity.id);
    expect(meals.find((s: any) => s.household.id === tesfaye.id).share).toBeLessThan(meals.find((s: any) => s.household.id !== tesfaye.id).share);
  });

  it("pins an occurrence, refuses a move that breaks a rule with the reasons, moves within the rules, and keeps both on a re-plan", async () => {
    const meeting = draft.occurrences.find((o: any) => o.activity.kind === "HOUSE_MEETING");
    const conversation = draft.occurrences.find((o: any) => o.activity.kind === "ITALIAN_CONVERSATION");
    expect((await server.gql(PIN, { id: meeting.id }, { token: tutor })).data.pinHousingOccurrence).toMatchObject({ pinned: true, startsAt: meeting.startsAt });

    // 23:00 the same day: quiet hours, and the living room is closed.
    const late = new Date(Date.parse(conversation.startsAt) - local(Date.parse(conversation.startsAt)).minute * 60_000 + 23 * 3_600_000).toISOString();
    const refused = (await server.gql(MOVE, { id: conversation.id, s: late }, { token: tutor, lang: "en" })).data.moveHousingOccurrence;
    expect(refused.code).toBe("MOVE_NOT_ALLOWED");
    expect(refused.details).toEqual(expect.arrayContaining(["QUIET_HOURS", "OUTSIDE_OPENING_HOURS"]));
    expect(refused.message).toMatch(/quiet hours/);
    const it_ = (await server.gql(MOVE, { id: conversation.id, s: late }, { token: tutor, lang: "it" })).data.moveHousingOccurrence;
    expect(it_.message).toMatch(/ore di silenzio/);
    // Onto the pinned house meeting: same room, same households.
    const clash = (await server.gql(MOVE, { id: conversation.id, s: meeting.startsAt }, { token: tutor })).data.moveHousingOccurrence;
    expect(clash.details).toEqual(expect.arrayContaining(["SPACE_DOUBLE_BOOKED", "HOUSEHOLD_DOUBLE_BOOKED"]));
    const unchanged = await server.database.prisma.housingOccurrence.findUniqueOrThrow({ where: { id: conversation.id } });
    expect(unchanged.startsAt.toISOString()).toBe(iso(conversation.startsAt));
    expect(unchanged.pinned).toBe(false);

    // The first nearby time that the independent checker accepts must be accepted by the service too.
    const rules = rulesOf(house, FROM, TO);
    const target = firstFitting(rules, draft, conversation, [1, -1, 2, -2, 24, 25, -24, -23, 48, 49]);
    const moved = (await server.gql(MOVE, { id: conversation.id, s: target.toISOString() }, { token: tutor })).data.moveHousingOccurrence;
    expect(moved, JSON.stringify(moved)).toMatchObject({ __typename: "HousingOccurrence", pinned: true });
    expect(iso(moved.startsAt)).toBe(target.toISOString());

    const replanned = (await server.gql(REPLAN, { id: draft.id }, { token: tutor })).data.replanHousePlan;
    expect(replanned.status).toBe("DRAFT");
    expect(replanned.droppedPins).toEqual([]);
    const starts = (p: any, kind: string) => p.occurrences.filter((o: any) => o.activity.kind === kind).map((o: any) => o.startsAt);
    expect(starts(replanned, "HOUSE_MEETING")).toContain(meeting.startsAt);
    expect(starts(replanned, "ITALIAN_CONVERSATION").map(iso)).toContain(target.toISOString());
    expect(replanned.occurrences.filter((o: any) => o.pinned)).toHaveLength(2);
    checkHardRules(rules, checked(replanned));
    draft = replanned;
  });

  it("publishes: tutors and residents are told, the mediation session gets a task, and a published plan is no longer a draft", async () => {
    const published = (await server.gql(PUBLISH, { id: draft.id }, { token: tutor })).data.publishHousePlan;
    expect(published).toMatchObject({ __typename: "HousePlan", status: "PUBLISHED" });
    expect((await server.gql(REPLAN, { id: draft.id }, { token: tutor })).data.replanHousePlan.code).toBe("PLAN_NOT_DRAFT");
    const mediation = published.occurrences.find((o: any) => o.activity.kind === "MEDIATION");
    expect(mediation.task).not.toBeNull();
    const task = await server.database.prisma.task.findUniqueOrThrow({ where: { id: mediation.task.id }, include: { occurrences: true } });
    expect(task).toMatchObject({ activityKind: "CULTURAL_MEDIATION", requiredLanguages: ["fr"], headcount: 1 });
    expect(task.occurrences.map((o) => o.startsAt.toISOString())).toEqual([iso(mediation.startsAt)]);

    const resident = await server.login("residente.diallo@legami.demo");
    const inbox = (await server.gql(`query { myNotifications { kind title body } }`, {}, { token: resident, lang: "en" })).data.myNotifications;
    expect(inbox[0]).toMatchObject({ kind: "HOUSE_PLAN_PUBLISHED", title: "New plan for Casa Comune Ximenes" });
    const diallo = house.households.find((h: any) => h.name === "Diallo").id;
    const turns = published.occurrences.filter((o: any) => o.duty.some((d: any) => d.id === diallo)).length;
    expect(inbox[0].body).toMatch(new RegExp(`with ${published.occurrences.length} activities. Rota turns: ${turns}\\.`));
    const tutorInbox = (await server.gql(`query { myNotifications { kind title } }`, {}, { token: tutor, lang: "it" })).data.myNotifications;
    expect(tutorInbox[0]).toMatchObject({ kind: "HOUSE_PLAN_PUBLISHED", title: "Nuovo calendario per Casa Comune Ximenes" });
    const calendar = (
      await server.gql(
        `query($h: ID!) { houseCalendar(houseId: $h, from: "2026-12-01", to: "2027-01-01") { __typename ... on HouseCalendarSuccess { data { id } } } }`,
        { h: house.id },
        { token: resident },
      )
    ).data.houseCalendar;
    expect(calendar.data).toHaveLength(published.occurrences.length);
    draft = published;
  });

  it("fills the mediation session's task with the weekly matching", async () => {
    const coordinator = await server.login("coordinatrice.grosseto@legami.demo");
    const mediation = draft.occurrences.find((o: any) => o.activity.kind === "MEDIATION");
    const day = new Date(mediation.startsAt);
    const monday = local(day.getTime() - (local(day.getTime()).weekday - 1) * 86_400_000).date;
    const territoryId = (await server.database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } })).id;
    const started = (
      await server.gql(
        `mutation($t: ID!, $w: Date!) { startMatchingRun(territoryId: $t, weekStart: $w) { __typename ... on MatchingRun { id } ... on Error { code message } } }`,
        { t: territoryId, w: monday },
        { token: coordinator },
      )
    ).data.startMatchingRun;
    expect(started.__typename, JSON.stringify(started)).toBe("MatchingRun");
    await server.jobsIdle();
    const published = (
      await server.gql(
        `mutation($id: ID!) { publishMatchingRun(runId: $id, responseHours: 48) { __typename ... on MatchingRun { offers { id citizenId occurrenceId } } ... on Error { code message } } }`,
        { id: started.id },
        { token: coordinator },
      )
    ).data.publishMatchingRun;
    const occurrence = await server.database.prisma.taskOccurrence.findFirstOrThrow({ where: { taskId: mediation.task.id } });
    const offer = published.offers.find((o: any) => o.occurrenceId === occurrence.id);
    expect(offer, "the mediation session is offered to a mediator").toBeDefined();
    const mediator = await server.database.prisma.citizen.findUniqueOrThrow({
      where: { id: offer.citizenId },
      include: { user: true, languages: true, skills: { include: { skill: true } } },
    });
    expect(mediator.languages.map((l) => l.languageCode)).toContain("fr");
    expect(mediator.skills.map((s) => s.skill.code)).toContain("CULTURAL_MEDIATION");
    const token = await server.login(mediator.user!.email);
    const accepted = (
      await server.gql(`mutation($id: ID!) { acceptOffer(offerId: $id) { __typename ... on Error { code message } } }`, { id: offer.id }, { token })
    ).data.acceptOffer;
    expect(accepted.__typename, JSON.stringify(accepted)).toBe("AcceptOfferSuccess");
    expect((await server.database.prisma.taskOccurrence.findUniqueOrThrow({ where: { id: occurrence.id } })).status).toBe("FILLED");
  });

  it("moves a published mediation session with its task: the committed mediator is told, a new task waits for the matching", async () => {
    const mediation = draft.occurrences.find((o: any) => o.activity.kind === "MEDIATION");
    const oldTask = mediation.task.id;
    const target = firstFitting(rulesOf(house, FROM, TO), draft, mediation, [24, 48, 72, 96, 168, -24 * 7 + 24 * 14]);
    const moved = (await server.gql(MOVE, { id: mediation.id, s: target.toISOString() }, { token: tutor })).data.moveHousingOccurrence;
    expect(moved.__typename, JSON.stringify(moved)).toBe("HousingOccurrence");
    const prisma = server.database.prisma;
    expect((await prisma.task.findUniqueOrThrow({ where: { id: oldTask } })).status).toBe("CANCELLED");
    const cancelled = await prisma.commitment.findFirstOrThrow({ where: { occurrence: { taskId: oldTask } }, include: { citizen: true } });
    expect(cancelled.status).toBe("CANCELLED");
    expect(await prisma.notification.count({ where: { userId: cancelled.citizen.userId!, kind: "COMMITMENT_CANCELLED" } })).toBe(1);
    const row = await prisma.housingOccurrence.findUniqueOrThrow({ where: { id: mediation.id } });
    expect(row.taskId).not.toBe(oldTask);
    expect(row.sequence).toBe(1);
    const fresh = await prisma.taskOccurrence.findFirstOrThrow({ where: { taskId: row.taskId! } });
    expect(fresh.startsAt.toISOString()).toBe(target.toISOString());
    expect(fresh.status).toBe("OPEN");
    draft = (await server.gql(`query($id: ID!) { housePlan(id: $id) { ... on HousePlan { ${PLAN_FIELDS} } } }`, { id: draft.id }, { token: tutor })).data
      .housePlan;
  });

  it("exports the plan as iCalendar feeds, per house and per household", async () => {
    const houseFeed = (
      await server.gql(
        `mutation($h: ID!) { createHouseCalendarFeed(houseId: $h) { __typename ... on CalendarFeedLink { path } } }`,
        { h: house.id },
        { token: tutor },
      )
    ).data.createHouseCalendarFeed;
    const resident = await server.login("residente.hossain@legami.demo");
    const hossain = house.households.find((h: any) => h.name === "Hossain").id;
    const ownFeed = (
      await server.gql(
        `mutation($h: ID!) { createHouseholdCalendarFeed(householdId: $h) { __typename ... on CalendarFeedLink { path } ... on Error { code } } }`,
        { h: hossain },
        { token: resident },
      )
    ).data.createHouseholdCalendarFeed;
    const othersFeed = (
      await server.gql(
        `mutation($h: ID!) { createHouseholdCalendarFeed(householdId: $h) { __typename ... on Error { code } } }`,
        { h: house.households[0].id },
        { token: resident },
      )
    ).data.createHouseholdCalendarFeed;
    expect(othersFeed).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });

    const events = async (path: string) => {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get("content-type")).toMatch(/text\/calendar/);
      return new ICAL.Component(ICAL.parse(await response.text())).getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
    };
    const all = await events(houseFeed.path);
    expect(all.map((e) => e.uid).sort()).toEqual(draft.occurrences.map((o: any) => `housing-${o.id}@legami`).sort());
    for (const e of all) {
      const o = draft.occurrences.find((x: any) => `housing-${x.id}@legami` === e.uid);
      expect(e.startDate.toJSDate().toISOString()).toBe(iso(o.startsAt));
      expect(e.startDate.zone.tzid).toBe("Europe/Rome");
      // The mediation session moved once after publishing: calendar apps see a newer version.
      expect(e.sequence).toBe(o.activity.kind === "MEDIATION" ? 1 : 0);
    }
    // The household's feed: house-wide activities, its own turns, what it is listed for.
    const mine = await events(ownFeed.path);
    const expected = draft.occurrences.filter((o: any) => {
      const activity = house.activities.find((a: any) => a.id === o.activity.id);
      if (activity.attendance === "ROTA") return o.duty.some((d: any) => d.id === hossain);
      if (activity.attendance === "LISTED") return activity.householdIds.length === 0 || activity.householdIds.includes(hossain);
      return true;
    });
    expect(mine.map((e) => e.uid).sort()).toEqual(expected.map((o: any) => `housing-${o.id}@legami`).sort());
    expect(mine.length).toBeLessThan(all.length);

    // Each person has their own link: a resident's (or a coordinator's) new house link leaves the tutor's working.
    const residentHouse = (
      await server.gql(
        `mutation($h: ID!) { createHouseCalendarFeed(houseId: $h) { __typename ... on CalendarFeedLink { path } } }`,
        { h: house.id },
        { token: resident },
      )
    ).data.createHouseCalendarFeed;
    expect(residentHouse.path).not.toBe(houseFeed.path);
    expect((await fetch(`${server.url}${houseFeed.path}`)).status).toBe(200);
    expect((await fetch(`${server.url}${residentHouse.path}`)).status).toBe(200);
    // The tutor's own new link ends only the tutor's earlier one.
    const tutorAgain = (
      await server.gql(
        `mutation($h: ID!) { createHouseCalendarFeed(houseId: $h) { __typename ... on CalendarFeedLink { path } } }`,
        { h: house.id },
        { token: tutor },
      )
    ).data.createHouseCalendarFeed;
    expect((await fetch(`${server.url}${houseFeed.path}`)).status).toBe(404);
    expect((await fetch(`${server.url}${tutorAgain.path}`)).status).toBe(200);
    expect((await fetch(`${server.url}${residentHouse.path}`)).status).toBe(200);
    // A link ends with its person's access: a tutor taken off the house reads nothing more.
    const prisma = server.database.prisma;
    const tutorUser = await prisma.user.findUniqueOrThrow({ where: { email: "tutor.abitare@legami.demo" } });
    const assignment = await prisma.houseTutor.findFirstOrThrow({ where: { houseId: house.id, userId: tutorUser.id } });
    await prisma.houseTutor.delete({ where: { houseId_userId: { houseId: house.id, userId: tutorUser.id } } });
    try {
      expect((await fetch(`${server.url}${tutorAgain.path}`)).status).toBe(404);
    } finally {
      await prisma.houseTutor.create({ data: assignment });
    }
    expect((await fetch(`${server.url}${tutorAgain.path}`)).status).toBe(200);
  });

  it("records what happened: held with attendance once started, or cancelled; nothing before it starts", async () => {
    const meeting = draft.occurrences.find((o: any) => o.activity.kind === "HOUSE_MEETING");
    const present = house.households.slice(0, 2).map((h: any) => h.id);
    const early = (await server.gql(RECORD, { id: meeting.id, s: "HELD", p: present }, { token: tutor })).data.recordHousingOccurrence;
    expect(early.code).toBe("OCCURRENCE_NOT_STARTED");
    server.setNow(new Date(Date.parse(meeting.endsAt) + 60_000));
    const tooLong = (await server.gql(RECORD, { id: meeting.id, s: "HELD", p: present, n: "x".repeat(281) }, { token: tutor })).data.recordHousingOccurrence;
    expect(tooLong.code).toBe("INVALID_RANGE");
    const held = (await server.gql(RECORD, { id: meeting.id, s: "HELD", p: present, n: "Turni della cucina rivisti" }, { token: tutor })).data
      .recordHousingOccurrence;
    expect(held.status).toBe("HELD");
    // Every household living there that day is on the register, present or not.
    expect(
      held.attendance
        .filter((a: any) => a.present)
        .map((a: any) => a.household.id)
        .sort(),
    ).toEqual([...present].sort());
    const living = house.households.filter((h: any) => h.moveIn <= local(Date.parse(meeting.startsAt)).date);
    expect(held.attendance.length).toBe(living.length);
    const chore = draft.occurrences.find((o: any) => o.activity.kind === "CHORE" && Date.parse(o.startsAt) > Date.parse(meeting.endsAt));
    const cancelled = (await server.gql(RECORD, { id: chore.id, s: "CANCELLED", n: "Festività" }, { token: tutor })).data.recordHousingOccurrence;
    expect(cancelled).toMatchObject({ status: "CANCELLED", attendance: [] });
    server.setNow(TEST_NOW);
  });

  it("keeps rotas fair month after month (published plans, one turn cancelled), and shows the balance over time", async () => {
    const months = [
      ["2027-01-01", "2027-02-01"],
      ["2027-02-01", "2027-03-01"],
    ] as const;
    for (const [from, to] of months) {
      server.setNow(new Date(`${from}T09:00:00+01:00`));
      const plan = (await server.gql(PLAN, { h: house.id, f: from, t: to }, { token: tutor })).data.planHousePeriod;
      expect(plan.unplaced).toEqual([]);
      checkHardRules(rulesOf(house, from, to), checked(plan));
      for (const s of plan.rotaShares) expect(Math.abs(s.duties - s.share), `${from} ${s.household.id}`).toBeLessThan(1);
      expect((await server.gql(PUBLISH, { id: plan.id }, { token: tutor })).data.publishHousePlan.status).toBe("PUBLISHED");
    }
    server.setNow(TEST_NOW);
    const rows = (await server.gql(BALANCE, { h: house.id, f: "2026-12-01", t: "2027-03-01" }, { token: tutor })).data.houseRotaBalance.data;
    expect(new Set(rows.map((r: any) => r.month))).toEqual(new Set(["2026-12", "2027-01", "2027-02"]));
    // Running totals stay within one turn of the running fair share, for every household and rota, every month
    // (one cancelled December turn counts for nobody).
    for (const r of rows) expect(Math.abs(r.cumulativeDuties - r.cumulativeShare), `${r.month} ${r.activity.name} ${r.household.name}`).toBeLessThan(1);
    const december = rows.filter((r: any) => r.month === "2026-12" && r.activity.name === "Cena condivisa");
    expect(december.reduce((s: number, r: any) => s + r.duties, 0)).toBe(12); // six meals, two households each
    expect(
      (await server.gql(BALANCE, { h: house.id, f: "2026-12-01", t: "2027-03-01" }, { token: await server.login("residente.diallo@legami.demo") })).errors?.[0]
        ?.extensions?.code,
    ).toBe("FORBIDDEN");
  });

  it("keeps local times across the spring daylight-saving change in the household's calendar", async () => {
    const follonica = await loadHouse("Casa Condivisa Follonica");
    server.setNow(new Date("2027-03-10T09:00:00+01:00"));
    const plan = (await server.gql(PLAN, { h: follonica.id, f: "2027-03-15", t: "2027-04-12" }, { token: tutor })).data.planHousePeriod;
    expect(plan.unplaced).toEqual([]);
    checkHardRules(rulesOf(follonica, "2027-03-15", "2027-04-12"), checked(plan));
    await server.gql(PUBLISH, { id: plan.id }, { token: tutor });
    server.setNow(TEST_NOW);
    const lunches = plan.occurrences.filter((o: any) => o.activity.kind === "SHARED_MEAL");
    const before = lunches.filter((o: any) => o.startsAt < "2027-03-28");
    const after = lunches.filter((o: any) => o.startsAt > "2027-03-29");
    expect(before.length && after.length).toBeTruthy();
    // Inside the preferred lunch window on both sides: one hour ahead of UTC before, two after.
    for (const o of lunches) expect(local(Date.parse(o.startsAt)).minute).toBeGreaterThanOrEqual(12 * 60);
    for (const o of before) expect(Math.floor(local(Date.parse(o.startsAt)).minute / 60) - new Date(o.startsAt).getUTCHours()).toBe(1);
    for (const o of after) expect(Math.floor(local(Date.parse(o.startsAt)).minute / 60) - new Date(o.startsAt).getUTCHours()).toBe(2);
    const link = (
      await server.gql(
        `mutation($h: ID!) { createHouseCalendarFeed(houseId: $h) { __typename ... on CalendarFeedLink { path } } }`,
        { h: follonica.id },
        { token: tutor },
      )
    ).data.createHouseCalendarFeed;
    const text = await (await fetch(`${server.url}${link.path}`)).text();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
    for (const o of lunches) {
      const event = events.find((e) => e.uid === `housing-${o.id}@legami`)!;
      expect(event.startDate.hour * 60 + event.startDate.minute).toBe(local(Date.parse(o.startsAt)).minute);
      expect(event.startDate.zone.tzid).toBe("Europe/Rome");
      expect(event.startDate.toJSDate().toISOString()).toBe(iso(o.startsAt));
    }
  });
});

describe("a planner thread that stops", { timeout: 120_000 }, () => {
  // A heap too small for the thread's code: the solver thread dies before it answers, as one
  // out of memory on a very large period would.
  const starved = solverPool({ size: 1, optimise: false, maxHeapMb: 8 });
  let stopping: TestServer;
  beforeAll(async () => {
    stopping = await startTestServer({ planner: starved.planHouse });
  });
  afterAll(async () => {
    await stopping?.close();
    await starved.close();
  });

  it("answers PLANNER_STOPPED in the caller's language and writes nothing", async () => {
    const token = await stopping.login("tutor.abitare@legami.demo");
    const houses = (await stopping.gql(`query { houses { id name } }`, {}, { token })).data.houses;
    const id = houses.find((h: any) => h.name === "Casa Comune Ximenes").id;
    const before = [await stopping.database.prisma.housePlan.count(), await stopping.database.prisma.housingOccurrence.count()];
    for (const [lang, words] of [
      ["en", /planner stopped/],
      ["it", /pianificatore si è fermato/],
    ] as const) {
      const answer = (await stopping.gql(PLAN, { h: id, f: "2026-12-01", t: "2027-01-01" }, { token, lang })).data.planHousePeriod;
      expect(answer.code).toBe("PLANNER_STOPPED");
      expect(answer.message).toMatch(words);
    }
    expect([await stopping.database.prisma.housePlan.count(), await stopping.database.prisma.housingOccurrence.count()]).toEqual(before);
  });
});

// The register of active citizens, end to end through HTTP on a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server";

let server: TestServer;
let grossetoId: string;
let coordinatorToken: string;
let adminToken: string;
let tutorToken: string;
let otherCoordinatorToken: string;

const CITIZEN_FIELDS = `
  id firstName lastName email status weeklyHourLimit maxTravelMinutes
  homeMunicipality { id name }
  languages { languageCode level }
  skills { skill { code } level verified }
  enrolmentHistory { fromStatus toStatus byUserId reason at }
  enrolmentRequirementsMissing
`;

const REGISTER = `mutation($input: CitizenProfileInput!, $password: String!) {
  registerCitizen(input: $input, password: $password) {
    __typename
    ... on RegistrationReceived { email message }
    ... on Error { code message }
    ... on InputError { field }
  }
}`;

const CITIZEN = `query($id: ID!) { citizen(id: $id) { __typename ... on Citizen { ${CITIZEN_FIELDS} } ... on Error { code } } }`;

const UPDATE = `mutation($id: ID!, $input: UpdateCitizenProfileInput!) {
  updateCitizenProfile(citizenId: $id, input: $input) { __typename ... on Citizen { id firstName weeklyHourLimit email } ... on Error { code } ... on InputError { field } }
}`;

const SET_AVAILABILITY = `mutation($id: ID!, $windows: [AvailabilityWindowInput!]!, $exceptions: [AvailabilityExceptionInput!]) {
  setCitizenAvailability(citizenId: $id, windows: $windows, exceptions: $exceptions) {
    __typename
    ... on Citizen { availability { windows { weekday start end } exceptions { kind from to start end } } }
    ... on Error { code }
    ... on InputError { field }
  }
}`;

const CHANGE_STATUS = `mutation($id: ID!, $to: EnrolmentStatus!, $reason: String) {
  changeEnrolmentStatus(citizenId: $id, to: $to, reason: $reason) { __typename ... on Citizen { status } ... on Error { code message } ... on ConflictError { details } }
}`;

let emailCounter = 0;
function newCitizenInput(overrides: Record<string, unknown> = {}) {
  emailCounter += 1;
  return {
    firstName: "Noemi",
    lastName: "Tester",
    email: `noemi.tester${emailCounter}@example.org`,
    birthDate: "1988-04-12",
    homeMunicipalityId: grossetoId,
    weeklyHourLimit: 5,
    maxTravelMinutes: 30,
    preferredActivityKinds: ["HOMEWORK_HELP"],
    languages: [
      { languageCode: "it", level: "NATIVE" },
      { languageCode: "ar", level: "B1" },
    ],
    skills: [{ skillCode: "HOMEWORK_PRIMARY", level: 2 }],
    ...overrides,
  };
}

const PASSWORD = "quiet river stone 42";

/** Registers, then signs in as the new citizen (registration itself signs nobody in). */
async function register(overrides: Record<string, unknown> = {}) {
  const input = newCitizenInput(overrides);
  const result = await server.gql(REGISTER, { input, password: PASSWORD });
  expect(result.data.registerCitizen).toMatchObject({ __typename: "RegistrationReceived", email: String(input.email).toLowerCase() });
  const token = await server.login(String(input.email), PASSWORD);
  const { id } = await server.database.prisma.citizen.findFirstOrThrow({ where: { email: String(input.email).toLowerCase() } });
  const citizen = (await server.gql(CITIZEN, { id }, { token })).data.citizen;
  return { citizen, token };
}

/** Everything stored about the register, to prove a refused request changed nothing. */
async function registerSnapshot() {
  const prisma = server.database.prisma;
  return JSON.stringify(
    await Promise.all([
      prisma.user.findMany({ orderBy: { id: "asc" } }),
      prisma.citizen.findMany({
        orderBy: { id: "asc" },
        include: {
          languages: true,
          skills: true,
          availabilityWindows: { orderBy: { id: "asc" } },
          availabilityExceptions: { orderBy: { id: "asc" } },
          trainingRecords: true,
          insuranceCovers: true,
          criminalRecordChecks: true,
          enrolmentEvents: true,
        },
      }),
      prisma.skill.findMany({ orderBy: { id: "asc" } }),
    ]),
  );
}

beforeAll(async () => {
  server = await startTestServer();
  grossetoId = (await server.database.prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053011" } })).id;
  coordinatorToken = await server.login("coordinatrice.grosseto@legami.demo");
  adminToken = await server.login("admin@legami.demo");
  tutorToken = await server.login("tutor.abitare@legami.demo");
  otherCoordinatorToken = await server.login(server.other.coordinatorEmail);
});

afterAll(async () => {
  await server?.close();
});

describe("registration", () => {
  it("registers a citizen as APPLICANT, signs them in, and keeps who/when/why of the status", async () => {
    const { citizen, token } = await register();
    expect(citizen.status).toBe("APPLICANT");
    expect(citizen.languages).toEqual([
      { languageCode: "ar", level: "B1" },
      { languageCode: "it", level: "NATIVE" },
    ]);
    expect(citizen.skills).toEqual([{ skill: { code: "HOMEWORK_PRIMARY" }, level: 2, verified: false }]);
    expect(citizen.enrolmentHistory).toHaveLength(1);
    expect(citizen.enrolmentHistory[0]).toMatchObject({ fromStatus: null, toStatus: "APPLICANT", reason: "self-registration" });
    expect(citizen.enrolmentRequirementsMissing).toEqual(["training:REGULATION_BASICS", "insurance"]);

    const me = await server.gql(`{ myCitizenProfile { id email } me { role } }`, {}, { token });
    expect(me.data.myCitizenProfile.id).toBe(citizen.id);
    expect(me.data.me.role).toBe("CITIZEN");
  });

  it.each([
    ["a malformed email", { email: "not-an-email" }, "INVALID_EMAIL", ["email"]],
    ["an unknown municipality", { homeMunicipalityId: "00000000-0000-0000-0000-000000000000" }, "UNKNOWN_MUNICIPALITY", ["homeMunicipalityId"]],
    ["an unknown skill", { skills: [{ skillCode: "JUGGLING", level: 1 }] }, "UNKNOWN_SKILL", ["skills", "0", "skillCode"]],
    ["a skill level out of 1..3", { skills: [{ skillCode: "DRIVING", level: 4 }] }, "INVALID_RANGE", ["skills", "0", "level"]],
    [
      "the same skill twice",
      {
        skills: [
          { skillCode: "DRIVING", level: 1 },
          { skillCode: "DRIVING", level: 2 },
        ],
      },
      "DUPLICATE_ENTRY",
      ["skills", "1"],
    ],
    ["an unknown language code", { languages: [{ languageCode: "xx", level: "B1" }] }, "INVALID_LANGUAGE", ["languages", "0", "languageCode"]],
    ["a weekly limit of zero hours", { weeklyHourLimit: 0 }, "INVALID_RANGE", ["weeklyHourLimit"]],
    ["a birth date in the future", { birthDate: "2030-01-01" }, "INVALID_RANGE", ["birthDate"]],
    ["an empty first name", { firstName: "   " }, "INVALID_INPUT", ["firstName"]],
  ])("refuses %s with a typed error and changes nothing", async (_label, overrides, code, field) => {
    const before = await registerSnapshot();
    const result = await server.gql(REGISTER, { input: newCitizenInput(overrides), password: PASSWORD });
    expect(result.data.registerCitizen).toMatchObject({ __typename: "InputError", code, field });
    expect(await registerSnapshot()).toBe(before);
  });

  it("refuses a short or common password, changing nothing", async () => {
    const before = await registerSnapshot();
    const short = await server.gql(REGISTER, { input: newCitizenInput(), password: "short" });
    expect(short.data.registerCitizen).toMatchObject({ __typename: "InputError", code: "INVALID_PASSWORD", field: ["password"] });
    for (const common of ["1234567890", "123456789012345", "passwordpassword", "noemi tester 2026"]) {
      const answer = await server.gql(REGISTER, { input: newCitizenInput(), password: common });
      expect(answer.data.registerCitizen.code, common).toMatch(/^(INVALID_PASSWORD|PASSWORD_TOO_COMMON)$/);
    }
    expect(await registerSnapshot()).toBe(before);
  });

  it("answers an address already registered exactly as a new one, and changes nothing for it", async () => {
    const fresh = await server.gql(REGISTER, { input: newCitizenInput({ email: "brand.new.person@example.org" }), password: PASSWORD });
    const before = await registerSnapshot();
    const admin = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "admin@legami.demo" } });
    const taken = await server.gql(REGISTER, { input: newCitizenInput({ email: "Admin@Legami.demo" }), password: PASSWORD });
    expect(taken.data.registerCitizen).toEqual({ ...fresh.data.registerCitizen, email: "admin@legami.demo" });
    expect(await registerSnapshot()).toBe(before);
    expect(await server.database.prisma.user.findUniqueOrThrow({ where: { email: "admin@legami.demo" } })).toEqual(admin);
  });

  it("refuses someone under the regulation's minimum age, at registration, by staff and on a profile edit", async () => {
    const minimumAge = (await server.database.prisma.regulation.findFirstOrThrow({ orderBy: { effectiveFrom: "desc" } })).minimumAge;
    const before = await registerSnapshot();
    // Today is the test clock's day; a birthday tomorrow is still under age.
    const today = server.now().toISOString().slice(0, 10);
    const young = `${Number(today.slice(0, 4)) - minimumAge}-${today.slice(5, 7)}-${String(Number(today.slice(8, 10)) + 1).padStart(2, "0")}`;
    for (const birthDate of ["2016-05-01", "2012-01-01", young]) {
      const answer = await server.gql(REGISTER, { input: newCitizenInput({ birthDate }), password: PASSWORD }, { lang: "it" });
      expect(answer.data.registerCitizen).toMatchObject({
        __typename: "InputError",
        code: "UNDER_MINIMUM_AGE",
        field: ["birthDate"],
        message: `Per il regolamento, i cittadini attivi devono avere almeno ${minimumAge} anni.`,
      });
      const byStaff = await server.gql(
        `mutation($input: CitizenProfileInput!) { createCitizen(input: $input) { __typename ... on InputError { code } } }`,
        { input: newCitizenInput({ birthDate }) },
        { token: coordinatorToken },
      );
      expect(byStaff.data.createCitizen).toEqual({ __typename: "InputError", code: "UNDER_MINIMUM_AGE" });
    }
    expect(await registerSnapshot()).toBe(before);
    const adult = await register({ birthDate: `${Number(today.slice(0, 4)) - minimumAge}-${today.slice(5)}` });
    const edited = await server.gql(UPDATE, { id: adult.citizen.id, input: { birthDate: "2015-03-03" } }, { token: adult.token });
    expect(edited.data.updateCitizenProfile).toMatchObject({ __typename: "InputError", code: "UNDER_MINIMUM_AGE" });
  });

  it("does not enrol someone under the minimum age, whatever their records", async () => {
    const citizen = await register();
    // A row from before the rule (or typed in the database): the enrolment still checks it.
    await server.database.prisma.citizen.update({ where: { id: citizen.citizen.id }, data: { birthDate: new Date(Date.UTC(2014, 0, 1)) } });
    const missing = await server.gql(
      `query($id: ID!) { citizen(id: $id) { ... on Citizen { enrolmentRequirementsMissing } } }`,
      { id: citizen.citizen.id },
      { token: coordinatorToken },
    );
    expect(missing.data.citizen.enrolmentRequirementsMissing).toContain("minimumAge");
    const enrol = await server.gql(CHANGE_STATUS, { id: citizen.citizen.id, to: "ENROLLED" }, { token: coordinatorToken });
    expect(enrol.data.changeEnrolmentStatus).toMatchObject({ __typename: "ConflictError", code: "ENROLMENT_REQUIREMENTS_MISSING" });
    expect(enrol.data.changeEnrolmentStatus.details).toContain("minimumAge");
  });

  it("answers in Italian or English after Accept-Language", async () => {
    const input = newCitizenInput({ email: "bad" });
    const it_ = await server.gql(REGISTER, { input, password: PASSWORD }, { lang: "it-IT,it;q=0.9,en;q=0.8" });
    const en = await server.gql(REGISTER, { input, password: PASSWORD }, { lang: "en-GB" });
    expect(it_.data.registerCitizen.message).toBe("L'indirizzo email non è valido.");
    expect(en.data.registerCitizen.message).toBe("The email address is not valid.");
  });

  it("lets a coordinator register a citizen of their territory but not of another", async () => {
    const created = await server.gql(
      `mutation($input: CitizenProfileInput!) { createCitizen(input: $input) { __typename ... on Citizen { id status homeMunicipality { name } } ... on Error { code } } }`,
      { input: newCitizenInput() },
      { token: coordinatorToken },
    );
    expect(created.data.createCitizen).toMatchObject({ __typename: "Citizen", status: "APPLICANT", homeMunicipality: { name: "Grosseto" } });
    const outside = await server.gql(
      `mutation($input: CitizenProfileInput!) { createCitizen(input: $input) { __typename ... on Error { code } } }`,
      { input: newCitizenInput({ homeMunicipalityId: server.other.municipalityId }) },
      { token: coordinatorToken },
    );
    expect(outside.data.createCitizen).toMatchObject({ __typename: "InputError", code: "UNKNOWN_MUNICIPALITY" });
  });
});

describe("who sees and edits what", () => {
  it("lets a citizen read and edit their own profile only", async () => {
    const alice = await register({ firstName: "Alice" });
    const bruno = await register({ firstName: "Bruno" });

    const own = await server.gql(CITIZEN, { id: alice.citizen.id }, { token: alice.token });
    expect(own.data.citizen).toMatchObject({ __typename: "Citizen", firstName: "Alice" });
    const edited = await server.gql(UPDATE, { id: alice.citizen.id, input: { weeklyHourLimit: 7, firstName: " Alice  Maria " } }, { token: alice.token });
    expect(edited.data.updateCitizenProfile).toMatchObject({ __typename: "Citizen", weeklyHourLimit: 7, firstName: "Alice Maria" });

    const before = await registerSnapshot();
    const peek = await server.gql(CITIZEN, { id: bruno.citizen.id }, { token: alice.token });
    expect(peek.data.citizen).toEqual({ __typename: "NotFoundError", code: "NOT_FOUND" });
    const tamper = await server.gql(UPDATE, { id: bruno.citizen.id, input: { weeklyHourLimit: 40 } }, { token: alice.token });
    expect(tamper.data.updateCitizenProfile).toMatchObject({ __typename: "NotFoundError", code: "NOT_FOUND" });
    const tamperAvailability = await server.gql(SET_AVAILABILITY, { id: bruno.citizen.id, windows: [] }, { token: alice.token });
    expect(tamperAvailability.data.setCitizenAvailability).toMatchObject({ __typename: "NotFoundError" });
    expect(await registerSnapshot()).toBe(before);

    const list = await server.gql(`{ citizens(first: 5) { totalCount } }`, {}, { token: alice.token });
    expect(list.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("denies everything but the public fields to anonymous callers", async () => {
    const anonymous = await server.gql(`{ myCitizenProfile { id } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const update = await server.gql(UPDATE, { id: "x", input: { firstName: "Eve" } });
    expect(update.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const forged = await server.gql(`{ myCitizenProfile { id } }`, {}, { token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.invalid" });
    expect(forged.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const catalogue = await server.gql(`{ skills { code name } municipalities { name } }`, {}, { lang: "it" });
    expect(catalogue.data.skills.length).toBeGreaterThan(10);
    expect(catalogue.data.skills.find((s: { code: string }) => s.code === "DRIVING").name).toBe("Accompagnamento in auto");
    expect(catalogue.data.municipalities).toHaveLength(21);
  });

  it("shows a coordinator the register of their territory only, and the administrator all of it", async () => {
    const mine = await server.gql(`{ citizens(first: 1) { totalCount } }`, {}, { token: coordinatorToken });
    const expected = await server.database.prisma.citizen.count({ where: { homeMunicipality: { territory: { code: "WE-ITA" } } } });
    expect(mine.data.citizens.totalCount).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(60);

    const other = await server.gql(`{ citizens(first: 1) { totalCount } }`, {}, { token: otherCoordinatorToken });
    expect(other.data.citizens.totalCount).toBe(0);
    const someone = await server.database.prisma.citizen.findFirstOrThrow();
    const peek = await server.gql(CITIZEN, { id: someone.id }, { token: otherCoordinatorToken });
    expect(peek.data.citizen.__typename).toBe("NotFoundError");

    const all = await server.gql(`{ citizens(first: 1) { totalCount } }`, {}, { token: adminToken });
    expect(all.data.citizens.totalCount).toBe(await server.database.prisma.citizen.count());

    const tutor = await server.gql(`{ citizens(first: 1) { totalCount } }`, {}, { token: tutorToken });
    expect(tutor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("pages through the register with Relay cursors, each citizen once", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 20; page += 1) {
      const result: any = await server.gql(
        `query($after: String) { citizens(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
        { after },
        { token: coordinatorToken },
      );
      total = result.data.citizens.totalCount;
      seen.push(...result.data.citizens.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!result.data.citizens.pageInfo.hasNextPage) break;
      after = result.data.citizens.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
  });

  it("filters the register by municipality, skill, language and status", async () => {
    const prisma = server.database.prisma;
    const query = `query($filter: CitizenFilter) { citizens(first: 100, filter: $filter) { totalCount edges { node { status homeMunicipality { id } languages { languageCode } skills { skill { code } level } } } } }`;
    const follonica = await prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053009" } });

    const byMunicipality = await server.gql(query, { filter: { municipalityId: follonica.id } }, { token: coordinatorToken });
    expect(byMunicipality.data.citizens.totalCount).toBe(await prisma.citizen.count({ where: { homeMunicipalityId: follonica.id } }));
    expect(byMunicipality.data.citizens.edges.every((e: any) => e.node.homeMunicipality.id === follonica.id)).toBe(true);

    const bySkill = await server.gql(query, { filter: { skillCode: "DRIVING", minSkillLevel: 2 } }, { token: coordinatorToken });
    expect(bySkill.data.citizens.totalCount).toBe(
      await prisma.citizen.count({ where: { skills: { some: { skill: { code: "DRIVING" }, level: { gte: 2 } } } } }),
    );
    expect(bySkill.data.citizens.edges.every((e: any) => e.node.skills.some((s: any) => s.skill.code === "DRIVING" && s.level >= 2))).toBe(true);

    const byLanguage = await server.gql(query, { filter: { languageCode: "AR" } }, { token: coordinatorToken });
    expect(byLanguage.data.citizens.totalCount).toBeGreaterThan(0);
    expect(byLanguage.data.citizens.edges.every((e: any) => e.node.languages.some((l: any) => l.languageCode === "ar"))).toBe(true);

    const byStatus = await server.gql(query, { filter: { status: "SUSPENDED" } }, { token: coordinatorToken });
    expect(byStatus.data.citizens.totalCount).toBe(2);
    expect(byStatus.data.citizens.edges.every((e: any) => e.node.status === "SUSPENDED")).toBe(true);
  });
});

describe("availability through the API", () => {
  it("stores weekly windows and exceptions and answers availability across daylight saving", async () => {
    const { citizen, token } = await register();
    const set = await server.gql(
      SET_AVAILABILITY,
      {
        id: citizen.id,
        windows: [
          { weekday: "TUESDAY", start: "16:00", end: "19:00" },
          { weekday: "SUNDAY", start: "01:00", end: "04:00" },
        ],
        exceptions: [{ kind: "UNAVAILABLE", from: "2026-08-03", to: "2026-08-17" }],
      },
      { token },
    );
    expect(set.data.setCitizenAvailability.availability).toEqual({
      windows: [
        { weekday: "TUESDAY", start: "16:00", end: "19:00" },
        { weekday: "SUNDAY", start: "01:00", end: "04:00" },
      ],
      exceptions: [{ kind: "UNAVAILABLE", from: "2026-08-03", to: "2026-08-17", start: null, end: null }],
    });

    const ask = `query($id: ID!, $s: DateTime!, $e: DateTime!, $week: Date!) { citizen(id: $id) { ... on Citizen { isAvailable(start: $s, end: $e) freeIntervals(weekStart: $week) { start end } } } }`;
    const winter = await server.gql(ask, { id: citizen.id, s: "2026-11-24T16:30:00+01:00", e: "2026-11-24T18:00:00+01:00", week: "2026-11-23" }, { token });
    expect(winter.data.citizen.isAvailable).toBe(true);
    expect(winter.data.citizen.freeIntervals[0]).toEqual({ start: "2026-11-24T16:00:00.000+01:00", end: "2026-11-24T19:00:00.000+01:00" });

    const holiday = await server.gql(ask, { id: citizen.id, s: "2026-08-04T16:30:00+02:00", e: "2026-08-04T17:00:00+02:00", week: "2026-08-03" }, { token });
    expect(holiday.data.citizen.isAvailable).toBe(false);
    // The whole week lies inside the holiday, Sunday's window included.
    expect(holiday.data.citizen.freeIntervals).toEqual([]);
    const afterHoliday = await server.gql(
      ask,
      { id: citizen.id, s: "2026-08-18T16:00:00+02:00", e: "2026-08-18T19:00:00+02:00", week: "2026-08-17" },
      { token },
    );
    expect(afterHoliday.data.citizen.isAvailable).toBe(true);
    expect(afterHoliday.data.citizen.freeIntervals).toEqual([
      { start: "2026-08-18T16:00:00.000+02:00", end: "2026-08-18T19:00:00.000+02:00" },
      { start: "2026-08-23T01:00:00.000+02:00", end: "2026-08-23T04:00:00.000+02:00" },
    ]);

    // Last Sunday of March 2026: 02:00 jumps to 03:00, the 01:00-04:00 window lasts two hours.
    const spring = await server.gql(ask, { id: citizen.id, s: "2026-03-29T01:00:00+01:00", e: "2026-03-29T04:00:00+02:00", week: "2026-03-23" }, { token });
    expect(spring.data.citizen.isAvailable).toBe(true);
    expect(spring.data.citizen.freeIntervals.at(-1)).toEqual({ start: "2026-03-29T01:00:00.000+01:00", end: "2026-03-29T04:00:00.000+02:00" });

    // Last Sunday of October 2026: 03:00 falls back to 02:00, the window lasts four hours.
    const autumn = await server.gql(ask, { id: citizen.id, s: "2026-10-25T02:30:00+01:00", e: "2026-10-25T03:30:00+01:00", week: "2026-10-19" }, { token });
    expect(autumn.data.citizen.isAvailable).toBe(true);
    const last = autumn.data.citizen.freeIntervals.at(-1);
    expect(Date.parse(last.end) - Date.parse(last.start)).toBe(4 * 3_600_000);
  });

  it.each([
    ["an inverted window", { windows: [{ weekday: "MONDAY", start: "18:00", end: "16:00" }] }, "INVERTED_WINDOW"],
    [
      "overlapping windows",
      {
        windows: [
          { weekday: "MONDAY", start: "15:00", end: "18:00" },
          { weekday: "MONDAY", start: "17:00", end: "19:00" },
        ],
      },
      "OVERLAPPING_WINDOWS",
    ],
    ["an exception ending before it starts", { windows: [], exceptions: [{ kind: "UNAVAILABLE", from: "2026-08-17", to: "2026-08-03" }] }, "INVERTED_DATES"],
    ["extra availability without times", { windows: [], exceptions: [{ kind: "AVAILABLE", from: "2026-12-01", to: "2026-12-01" }] }, "TIMES_REQUIRED"],
    [
      "a time inside the spring-forward gap",
      { windows: [], exceptions: [{ kind: "AVAILABLE", from: "2026-03-29", to: "2026-03-29", start: "02:30", end: "05:00" }] },
      "NONEXISTENT_LOCAL_TIME",
    ],
  ])("refuses %s and keeps the previous availability", async (_label, variables, code) => {
    const { citizen, token } = await register();
    await server.gql(SET_AVAILABILITY, { id: citizen.id, windows: [{ weekday: "FRIDAY", start: "09:00", end: "12:00" }] }, { token });
    const before = await registerSnapshot();
    const result = await server.gql(SET_AVAILABILITY, { id: citizen.id, ...variables }, { token });
    expect(result.data.setCitizenAvailability).toMatchObject({ __typename: "InputError", code });
    expect(await registerSnapshot()).toBe(before);
  });

  it("rejects a malformed time at the GraphQL layer without touching the data", async () => {
    const { citizen, token } = await register();
    const before = await registerSnapshot();
    const result = await server.gql(SET_AVAILABILITY, { id: citizen.id, windows: [{ weekday: "MONDAY", start: "25:00", end: "26:00" }] }, { token });
    expect(result.errors?.[0]?.message).toMatch(/LocalTime/);
    expect(await registerSnapshot()).toBe(before);
  });
});

describe("enrolment", () => {
  const RECORD_TRAINING = `mutation($id: ID!, $code: String!, $on: Date!) { recordTraining(citizenId: $id, courseCode: $code, completedOn: $on) { __typename ... on TrainingRecord { expiresOn } ... on Error { code } } }`;
  const RECORD_INSURANCE = `mutation($id: ID!, $from: Date!, $to: Date!) { recordInsuranceCover(citizenId: $id, policyNumber: "RCT-1", validFrom: $from, validTo: $to) { __typename ... on InsuranceCover { id } ... on Error { code } } }`;

  it("enrols only with the required training and valid insurance, and keeps the history", async () => {
    const { citizen, token } = await register();
    const refused = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "ENROLLED" }, { token: coordinatorToken });
    expect(refused.data.changeEnrolmentStatus).toMatchObject({
      __typename: "ConflictError",
      code: "ENROLMENT_REQUIREMENTS_MISSING",
      details: ["training:REGULATION_BASICS", "insurance"],
    });

    // A citizen cannot record their own training.
    const selfRecord = await server.gql(RECORD_TRAINING, { id: citizen.id, code: "REGULATION_BASICS", on: "2026-10-01" }, { token });
    expect(selfRecord.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    expect(
      (await server.gql(RECORD_TRAINING, { id: citizen.id, code: "REGULATION_BASICS", on: "2026-10-01" }, { token: coordinatorToken })).data.recordTraining
        .__typename,
    ).toBe("TrainingRecord");
    const unknownCourse = await server.gql(RECORD_TRAINING, { id: citizen.id, code: "KNITTING", on: "2026-10-01" }, { token: coordinatorToken });
    expect(unknownCourse.data.recordTraining).toMatchObject({ __typename: "InputError", code: "UNKNOWN_TRAINING_COURSE" });
    const safeguarding = await server.gql(RECORD_TRAINING, { id: citizen.id, code: "SAFEGUARDING_MINORS", on: "2026-10-01" }, { token: coordinatorToken });
    expect(safeguarding.data.recordTraining.expiresOn).toBe("2029-10-01");

    // An expired cover does not count; a cover valid today does.
    await server.gql(RECORD_INSURANCE, { id: citizen.id, from: "2025-01-01", to: "2025-12-31" }, { token: coordinatorToken });
    const stillMissing = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "ENROLLED" }, { token: coordinatorToken });
    expect(stillMissing.data.changeEnrolmentStatus.details).toEqual(["insurance"]);
    const inverted = await server.gql(RECORD_INSURANCE, { id: citizen.id, from: "2026-12-31", to: "2026-01-01" }, { token: coordinatorToken });
    expect(inverted.data.recordInsuranceCover).toMatchObject({ __typename: "InputError", code: "INVERTED_DATES" });
    await server.gql(RECORD_INSURANCE, { id: citizen.id, from: "2026-01-01", to: "2026-12-31" }, { token: coordinatorToken });

    const enrolled = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "ENROLLED" }, { token: coordinatorToken });
    expect(enrolled.data.changeEnrolmentStatus).toEqual({ __typename: "Citizen", status: "ENROLLED" });

    const noReason = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "SUSPENDED" }, { token: coordinatorToken });
    expect(noReason.data.changeEnrolmentStatus).toMatchObject({ __typename: "InputError", code: "INVALID_INPUT" });
    const suspended = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "SUSPENDED", reason: "assenza prolungata" }, { token: coordinatorToken });
    expect(suspended.data.changeEnrolmentStatus.status).toBe("SUSPENDED");

    const illegal = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "APPLICANT" }, { token: coordinatorToken });
    expect(illegal.data.changeEnrolmentStatus).toMatchObject({ __typename: "ConflictError", code: "ILLEGAL_TRANSITION" });

    // The citizen may not re-enrol themselves, but may withdraw.
    const selfEnrol = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "ENROLLED" }, { token });
    expect(selfEnrol.data.changeEnrolmentStatus).toMatchObject({ __typename: "ForbiddenError", code: "FORBIDDEN" });
    const withdrawn = await server.gql(CHANGE_STATUS, { id: citizen.id, to: "WITHDRAWN", reason: "trasferimento" }, { token });
    expect(withdrawn.data.changeEnrolmentStatus.status).toBe("WITHDRAWN");

    const history = (await server.gql(CITIZEN, { id: citizen.id }, { token: coordinatorToken })).data.citizen.enrolmentHistory;
    expect(history.map((e: any) => [e.fromStatus, e.toStatus, e.reason])).toEqual([
      [null, "APPLICANT", "self-registration"],
      ["APPLICANT", "ENROLLED", null],
      ["ENROLLED", "SUSPENDED", "assenza prolungata"],
      ["SUSPENDED", "WITHDRAWN", "trasferimento"],
    ]);
    const coordinator = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.grosseto@legami.demo" } });
    expect(history[1].byUserId).toBe(coordinator.id);
    const citizenUser = (await server.database.prisma.citizen.findUniqueOrThrow({ where: { id: citizen.id } })).userId;
    expect(history[3].byUserId).toBe(citizenUser);
  });
});

describe("skills", () => {
  const SET_SKILLS = `mutation($id: ID!, $skills: [SkillInput!]!) { setCitizenSkills(citizenId: $id, skills: $skills) { __typename ... on Citizen { skills { skill { code } level verified } } ... on Error { code } } }`;
  const VERIFY = `mutation($id: ID!, $code: String!) { verifyCitizenSkill(citizenId: $id, skillCode: $code, verified: true) { __typename ... on Citizen { skills { skill { code } verified } } ... on Error { code } } }`;

  it("keeps staff verification for unchanged skills and resets it when the level changes", async () => {
    const { citizen, token } = await register();
    const selfVerify = await server.gql(VERIFY, { id: citizen.id, code: "HOMEWORK_PRIMARY" }, { token });
    expect(selfVerify.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await server.gql(VERIFY, { id: citizen.id, code: "HOMEWORK_PRIMARY" }, { token: coordinatorToken });

    const kept = await server.gql(
      SET_SKILLS,
      {
        id: citizen.id,
        skills: [
          { skillCode: "HOMEWORK_PRIMARY", level: 2 },
          { skillCode: "DRIVING", level: 1 },
        ],
      },
      { token },
    );
    const byCode = (r: any) => Object.fromEntries(r.data.setCitizenSkills.skills.map((s: any) => [s.skill.code, s.verified]));
    expect(byCode(kept)).toEqual({ HOMEWORK_PRIMARY: true, DRIVING: false });
    const raised = await server.gql(SET_SKILLS, { id: citizen.id, skills: [{ skillCode: "HOMEWORK_PRIMARY", level: 3 }] }, { token });
    expect(byCode(raised)).toEqual({ HOMEWORK_PRIMARY: false });
  });

  it("lets staff manage the catalogue and refuses a duplicate code or a retired skill", async () => {
    const CREATE = `mutation($code: String!) { createSkill(code: $code, nameIt: "Giardinaggio", nameEn: "Gardening", activityKinds: [SOCIAL_ACTIVITY]) { __typename ... on Skill { code } ... on Error { errorCode: code } } }`;
    const { citizen, token } = await register();
    expect((await server.gql(CREATE, { code: "GARDENING" }, { token })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await server.gql(CREATE, { code: "GARDENING" }, { token: coordinatorToken })).data.createSkill).toEqual({ __typename: "Skill", code: "GARDENING" });
    expect((await server.gql(CREATE, { code: "GARDENING" }, { token: coordinatorToken })).data.createSkill).toMatchObject({
      __typename: "ConflictError",
      errorCode: "SKILL_CODE_TAKEN",
    });
    await server.gql(`mutation { setSkillActive(code: "GARDENING", active: false) { __typename } }`, {}, { token: adminToken });
    const retired = await server.gql(SET_SKILLS, { id: citizen.id, skills: [{ skillCode: "GARDENING", level: 1 }] }, { token });
    expect(retired.data.setCitizenSkills).toMatchObject({ __typename: "InputError", code: "UNKNOWN_SKILL" });
  });
});

// Families, tasks, pacts, eligibility, commitments and the hours ledger, end to end through
// HTTP on a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, TEST_NOW, type TestServer } from "./helpers/server";

let server: TestServer;
let coordinator: string;
let admin: string;
let grossetoId: string;
let follonicaId: string;

const ERR = `... on Error { errorCode: code message } ... on InputError { field } ... on ConflictError { details }`;

async function snapshot() {
  const p = server.database.prisma;
  return JSON.stringify(
    await Promise.all([
      p.family.findMany({ orderBy: { id: "asc" }, include: { members: { orderBy: { id: "asc" } } } }),
      p.autonomyPlan.findMany({ orderBy: { id: "asc" } }),
      p.microProject.findMany({ orderBy: { id: "asc" } }),
      p.task.count(),
      p.taskOccurrence.count(),
      p.collaborationPact.findMany({ orderBy: { id: "asc" } }),
      p.pactEvent.count(),
      p.commitment.findMany({ orderBy: { id: "asc" } }),
      p.hoursEntry.count(),
    ]),
  );
}

/** A family with a plan and a micro-project in Grosseto; returns the micro-project id. */
async function familyWithProject(name = "Rahimi") {
  const family = await server.gql(
    `mutation($m: ID!, $name: String!) { createFamily(referenceName: $name, municipalityId: $m, address: "Via Roma 1, Grosseto", languages: ["fa", "en"], members: [{ firstName: "Reza", isMinor: false, birthYear: 1985 }, { firstName: "Sara", isMinor: true, birthYear: 2016 }]) { __typename ... on Family { id members { isMinor } } ${ERR} } }`,
    { m: grossetoId, name },
    { token: coordinator },
  );
  expect(family.data.createFamily.__typename).toBe("Family");
  const plan = await server.gql(
    `mutation($f: ID!) { createAutonomyPlan(familyId: $f, goals: [{ area: SCHOOL, description: "Sara a scuola con profitto" }, { area: LANGUAGE, description: "Italiano A2" }]) { __typename ... on AutonomyPlan { id goals { area } } ${ERR} } }`,
    { f: family.data.createFamily.id },
    { token: coordinator },
  );
  const project = await server.gql(
    `mutation($p: ID!) { createMicroProject(planId: $p, title: "Doposcuola", goal: "Sostegno scolastico", startDate: "2026-11-01", endDate: "2027-06-30", coDesignLab: "Laboratorio generativo 1") { __typename ... on MicroProject { id } ${ERR} } }`,
    { p: plan.data.createAutonomyPlan.id },
    { token: coordinator },
  );
  return { familyId: family.data.createFamily.id as string, projectId: project.data.createMicroProject.id as string };
}

const CREATE_TASK = `mutation($input: TaskInput!) { createTask(input: $input) { __typename ... on Task { id status occurrences { id startsAt endsAt localDate status } } ${ERR} } }`;

function homeworkTask(projectId: string, schedule: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  return {
    microProjectId: projectId,
    title: "Aiuto compiti (Rahimi)",
    activityKind: "HOMEWORK_HELP",
    requiredSkillCode: "HOMEWORK_PRIMARY",
    minSkillLevel: 2,
    requiredLanguages: ["en"],
    municipalityId: grossetoId,
    address: "Via Roma 1, Grosseto",
    headcount: 1,
    priority: 3,
    involvesMinors: true,
    continuity: true,
    schedule: {
      kind: "WEEKLY",
      startDate: "2026-11-30",
      startTime: "16:00",
      durationMinutes: 90,
      weekdays: [2],
      intervalWeeks: 1,
      untilDate: "2026-12-20",
      ...schedule,
    },
    ...overrides,
  };
}

/** A citizen registered, trained, insured, checked and enrolled: ready for a pact. Returns ids and token. */
async function readyCitizen(email: string) {
  const registered = await server.gql(
    `mutation($input: CitizenProfileInput!) { registerCitizen(input: $input, password: "quiet river stone 42") { __typename ${ERR} } }`,
    {
      input: {
        firstName: "Marta",
        lastName: "Volontaria",
        email,
        birthDate: "1980-02-02",
        homeMunicipalityId: grossetoId,
        weeklyHourLimit: 6,
        maxTravelMinutes: 30,
        languages: [
          { languageCode: "en", level: "C1" },
          { languageCode: "it", level: "NATIVE" },
        ],
        skills: [{ skillCode: "HOMEWORK_PRIMARY", level: 3 }],
      },
    },
  );
  expect(registered.data.registerCitizen.__typename).toBe("RegistrationReceived");
  const token = await server.login(email, "quiet river stone 42");
  const citizenId = (await server.database.prisma.citizen.findFirstOrThrow({ where: { email: email.toLowerCase() } })).id;
  await server.gql(
    `mutation($id: ID!) { setCitizenAvailability(citizenId: $id, windows: [{ weekday: TUESDAY, start: "15:00", end: "19:00" }]) { __typename } }`,
    { id: citizenId },
    { token },
  );
  for (const code of ["REGULATION_BASICS", "SAFEGUARDING_MINORS"]) {
    await server.gql(
      `mutation($id: ID!, $c: String!) { recordTraining(citizenId: $id, courseCode: $c, completedOn: "2026-10-01") { __typename } }`,
      { id: citizenId, c: code },
      { token: coordinator },
    );
  }
  await server.gql(
    `mutation($id: ID!) { recordCriminalRecordCheck(citizenId: $id, checkedOn: "2026-10-01", expiresOn: "2027-10-01") { __typename } }`,
    { id: citizenId },
    { token: coordinator },
  );
  await server.gql(
    `mutation($id: ID!) { recordInsuranceCover(citizenId: $id, policyNumber: "RCT-9", validFrom: "2026-01-01", validTo: "2027-12-31") { __typename } }`,
    { id: citizenId },
    { token: coordinator },
  );
  const enrolled = await server.gql(
    `mutation($id: ID!) { changeEnrolmentStatus(citizenId: $id, to: ENROLLED) { __typename ... on Citizen { status } } }`,
    { id: citizenId },
    { token: coordinator },
  );
  expect(enrolled.data.changeEnrolmentStatus.status).toBe("ENROLLED");
  return { citizenId, token };
}

function pactInput(citizenIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    title: "Patto doposcuola",
    objectives: "Sostegno scolastico ai bambini delle famiglie del progetto",
    activityKinds: ["HOMEWORK_HELP"],
    municipalityIds: [grossetoId],
    startDate: "2026-11-01",
    endDate: "2027-06-30",
    hourBudgetHours: 40,
    rolesAndCommitments: "Il cittadino segue i compiti; il coordinatore organizza",
    insurancePolicy: "RCT volontari",
    insuranceFrom: "2026-01-01",
    insuranceTo: "2027-12-31",
    formsOfSupport: "Formazione e materiali",
    monitoringAndReporting: "Registro ore mensile",
    suspensionAndTermination: "Per motivi personali o gravi inadempienze",
    citizenIds,
    ...overrides,
  };
}

const PROPOSE = `mutation($input: PactInput!) { proposePact(input: $input) { __typename ... on CollaborationPact { id status } ${ERR} } }`;
const MOVE = `mutation($id: ID!, $to: PactStatus!, $reason: String) { changePactStatus(pactId: $id, to: $to, reason: $reason) { __typename ... on CollaborationPact { id status signedById signedAt } ${ERR} } }`;

async function activePact(citizenId: string, overrides: Record<string, unknown> = {}) {
  const proposed = await server.gql(PROPOSE, { input: pactInput([citizenId], overrides) }, { token: coordinator });
  const id = proposed.data.proposePact.id as string;
  await server.gql(MOVE, { id, to: "UNDER_REVIEW" }, { token: coordinator });
  const signed = await server.gql(MOVE, { id, to: "ACTIVE" }, { token: coordinator });
  expect(signed.data.changePactStatus.status).toBe("ACTIVE");
  return id;
}

beforeAll(async () => {
  server = await startTestServer();
  coordinator = await server.login("coordinatrice.grosseto@legami.demo");
  admin = await server.login("admin@legami.demo");
  grossetoId = (await server.database.prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053011" } })).id;
  follonicaId = (await server.database.prisma.municipality.findUniqueOrThrow({ where: { istatCode: "053009" } })).id;
});

afterAll(async () => {
  await server?.close();
});

describe("families, plans, micro-projects and tasks", () => {
  it("creates a recurring task and expands it into occurrences that keep 16:00 across daylight saving", async () => {
    const { projectId } = await familyWithProject();
    const result = await server.gql(
      CREATE_TASK,
      { input: homeworkTask(projectId, { startDate: "2027-03-15", untilDate: "2027-04-10", weekdays: [2, 4], cancelledDates: ["2027-03-25"] }) },
      { token: coordinator },
    );
    const task = result.data.createTask;
    expect(task).toMatchObject({ __typename: "Task", status: "OPEN" });
    expect(task.occurrences.map((o: any) => o.startsAt)).toEqual([
      "2027-03-16T16:00:00.000+01:00",
      "2027-03-18T16:00:00.000+01:00",
      "2027-03-23T16:00:00.000+01:00",
      "2027-03-30T16:00:00.000+02:00",
      "2027-04-01T16:00:00.000+02:00",
      "2027-04-06T16:00:00.000+02:00",
      "2027-04-08T16:00:00.000+02:00",
    ]);
    expect(task.occurrences.every((o: any) => Date.parse(o.endsAt) - Date.parse(o.startsAt) === 90 * 60_000 && o.status === "OPEN")).toBe(true);
  });

  it.each([
    [
      "a recurrence that yields no occurrence",
      { schedule: { kind: "WEEKLY", startDate: "2026-12-01", startTime: "16:00", durationMinutes: 90, weekdays: [7], untilDate: "2026-12-05" } },
      "InputError",
      "RECURRENCE_EMPTY",
    ],
    ["a headcount of zero", { headcount: 0 }, "InputError", "INVALID_RANGE"],
    [
      "an until date before the start",
      { schedule: { kind: "WEEKLY", startDate: "2026-12-01", startTime: "16:00", durationMinutes: 90, weekdays: [2], untilDate: "2026-11-01" } },
      "InputError",
      "INVERTED_DATES",
    ],
    ["an unknown skill", { requiredSkillCode: "ASTROLOGY" }, "InputError", "UNKNOWN_SKILL"],
    ["a municipality of another territory", { municipalityId: "__other__" }, "InputError", "UNKNOWN_MUNICIPALITY"],
  ])("refuses a task with %s and changes nothing", async (_label, overrides, typename, code) => {
    const { projectId } = await familyWithProject();
    const input = { ...homeworkTask(projectId), ...overrides } as Record<string, unknown>;
    if (input.municipalityId === "__other__") input.municipalityId = server.other.municipalityId;
    const before = await snapshot();
    const result = await server.gql(CREATE_TASK, { input }, { token: coordinator });
    expect(result.data.createTask).toMatchObject({ __typename: typename, errorCode: code });
    expect(await snapshot()).toBe(before);
  });

  it("refuses inverted micro-project dates and a minor flag that contradicts the birth year", async () => {
    const { familyId } = await familyWithProject();
    const plan = await server.database.prisma.autonomyPlan.findFirstOrThrow({ where: { familyId } });
    const before = await snapshot();
    const inverted = await server.gql(
      `mutation($p: ID!) { createMicroProject(planId: $p, title: "X", goal: "Y", startDate: "2027-01-01", endDate: "2026-01-01") { __typename ${ERR} } }`,
      { p: plan.id },
      { token: coordinator },
    );
    expect(inverted.data.createMicroProject).toMatchObject({ __typename: "InputError", errorCode: "INVERTED_DATES" });
    const contradiction = await server.gql(
      `mutation($m: ID!) { createFamily(referenceName: "X", municipalityId: $m, languages: ["ar"], members: [{ firstName: "A", isMinor: true, birthYear: 1980 }]) { __typename ${ERR} } }`,
      { m: grossetoId },
      { token: coordinator },
    );
    expect(contradiction.data.createFamily).toMatchObject({ __typename: "InputError", errorCode: "INVALID_INPUT", field: ["members", "0", "isMinor"] });
    expect(await snapshot()).toBe(before);
  });

  it("keeps families to staff of their territory", async () => {
    const { familyId } = await familyWithProject();
    const citizen = await server.login("valentina.lorenzini@example.org");
    const denied = await server.gql(`query($id: ID!) { family(id: $id) { __typename } }`, { id: familyId }, { token: citizen });
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await server.login(server.other.coordinatorEmail);
    const hidden = await server.gql(`query($id: ID!) { family(id: $id) { __typename ... on Error { errorCode: code } } }`, { id: familyId }, { token: other });
    expect(hidden.data.family).toEqual({ __typename: "NotFoundError", errorCode: "NOT_FOUND" });
    const createDenied = await server.gql(
      `mutation($m: ID!) { createFamily(referenceName: "X", municipalityId: $m, languages: [], members: []) { __typename } }`,
      { m: grossetoId },
      { token: citizen },
    );
    expect(createDenied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("has the demo's 14 families, their plans and a month of tasks", async () => {
    const result = await server.gql(
      `{ families(first: 50) { totalCount: edges { node { referenceName plans { goals { area } microProjects { coDesignLab tasks { activityKind } } } } } } }`,
      {},
      { token: coordinator },
    );
    expect(result.errors).toBeUndefined();
    const demo = result.data.families.totalCount.filter(
      (e: any) => e.node.plans[0]?.microProjects[0]?.coDesignLab?.startsWith("Laboratorio generativo") && e.node.referenceName !== "Rahimi",
    );
    expect(demo.length).toBe(14);
    const kinds = new Set(demo.flatMap((e: any) => e.node.plans[0].microProjects[0].tasks.map((t: any) => t.activityKind)));
    expect([...kinds].sort()).toEqual([
      "ACCOMPANIMENT",
      "ADMINISTRATIVE_HELP",
      "CHILDCARE",
      "HOMEWORK_HELP",
      "JOB_SEARCH",
      "LANGUAGE_CONVERSATION",
      "TRANSPORT",
    ]);
  });
});

describe("collaboration pacts", () => {
  it("goes through proposal, review, signature, suspension, reactivation and renewal, keeping who, when and why", async () => {
    const { citizenId, token } = await readyCitizen("pact.lifecycle@example.org");
    const proposed = await server.gql(PROPOSE, { input: pactInput([citizenId]) }, { token: coordinator });
    const id = proposed.data.proposePact.id;
    expect(proposed.data.proposePact.status).toBe("PROPOSED");

    const illegal = await server.gql(MOVE, { id, to: "ACTIVE" }, { token: coordinator });
    expect(illegal.data.changePactStatus).toMatchObject({ __typename: "ConflictError", errorCode: "ILLEGAL_TRANSITION" });
    await server.gql(MOVE, { id, to: "UNDER_REVIEW" }, { token: coordinator });
    const signed = await server.gql(MOVE, { id, to: "ACTIVE" }, { token: coordinator });
    expect(signed.data.changePactStatus.signedAt).toBe("2026-11-22T10:00:00.000+01:00");
    const noReason = await server.gql(MOVE, { id, to: "SUSPENDED" }, { token: coordinator });
    expect(noReason.data.changePactStatus).toMatchObject({ __typename: "InputError", errorCode: "INVALID_INPUT" });
    await server.gql(MOVE, { id, to: "SUSPENDED", reason: "malattia" }, { token: coordinator });
    await server.gql(MOVE, { id, to: "ACTIVE" }, { token: coordinator });
    const early = await server.gql(MOVE, { id, to: "EXPIRED" }, { token: coordinator });
    expect(early.data.changePactStatus.errorCode).toBe("ILLEGAL_TRANSITION");

    const overlapping = await server.gql(
      `mutation($id: ID!) { renewPact(pactId: $id, startDate: "2027-06-01", endDate: "2027-12-31") { __typename ${ERR} } }`,
      { id },
      { token: coordinator },
    );
    expect(overlapping.data.renewPact).toMatchObject({ __typename: "ConflictError", errorCode: "PACT_OVERLAP" });
    const renewed = await server.gql(
      `mutation($id: ID!) { renewPact(pactId: $id, startDate: "2027-07-01", endDate: "2027-12-31", hourBudgetHours: 30) { __typename ... on CollaborationPact { id status hourBudgetMinutes previousPact { id renewedBy { id } } } ${ERR} } }`,
      { id },
      { token: coordinator },
    );
    expect(renewed.data.renewPact).toMatchObject({ __typename: "CollaborationPact", status: "PROPOSED", hourBudgetMinutes: 1800, previousPact: { id } });
    expect(renewed.data.renewPact.previousPact.renewedBy.id).toBe(renewed.data.renewPact.id);
    const twice = await server.gql(
      `mutation($id: ID!) { renewPact(pactId: $id, startDate: "2028-01-01", endDate: "2028-12-31") { __typename ${ERR} } }`,
      { id },
      { token: coordinator },
    );
    expect(twice.data.renewPact.errorCode).toBe("ALREADY_RENEWED");

    const history = await server.gql(
      `query($id: ID!) { pact(id: $id) { ... on CollaborationPact { history { fromStatus toStatus byUserId reason } } } }`,
      { id },
      { token },
    );
    const coordinatorUser = await server.database.prisma.user.findUniqueOrThrow({ where: { email: "coordinatrice.grosseto@legami.demo" } });
    expect(history.data.pact.history.map((e: any) => [e.fromStatus, e.toStatus, e.reason])).toEqual([
      [null, "PROPOSED", null],
      ["PROPOSED", "UNDER_REVIEW", null],
      ["UNDER_REVIEW", "ACTIVE", null],
      ["ACTIVE", "SUSPENDED", "malattia"],
      ["SUSPENDED", "ACTIVE", null],
    ]);
    expect(history.data.pact.history.every((e: any) => e.byUserId === coordinatorUser.id)).toBe(true);
    const mine = await server.gql(`{ myPacts { id status } }`, {}, { token });
    expect(mine.data.myPacts.map((p: any) => p.status).sort()).toEqual(["ACTIVE", "PROPOSED"]);
  });

  it("refuses a pact over another's dates, inverted dates, and signing with a citizen not enrolled, changing nothing", async () => {
    const { citizenId } = await readyCitizen("pact.refusals@example.org");
    await activePact(citizenId);
    const before = await snapshot();
    const overlap = await server.gql(PROPOSE, { input: pactInput([citizenId], { startDate: "2027-03-01", endDate: "2027-09-30" }) }, { token: coordinator });
    expect(overlap.data.proposePact).toMatchObject({ __typename: "ConflictError", errorCode: "PACT_OVERLAP" });
    const inverted = await server.gql(PROPOSE, { input: pactInput([citizenId], { startDate: "2028-03-01", endDate: "2028-01-01" }) }, { token: coordinator });
    expect(inverted.data.proposePact).toMatchObject({ __typename: "InputError", errorCode: "INVERTED_DATES" });
    const noBudget = await server.gql(
      PROPOSE,
      { input: pactInput([citizenId], { startDate: "2028-01-01", endDate: "2028-12-31", hourBudgetHours: 0 }) },
      { token: coordinator },
    );
    expect(noBudget.data.proposePact).toMatchObject({ __typename: "InputError", errorCode: "INVALID_RANGE" });
    expect(await snapshot()).toBe(before);

    const applicant = await server.gql(
      `mutation($input: CitizenProfileInput!) { registerCitizen(input: $input, password: "quiet river stone 42") { __typename } }`,
      {
        input: {
          firstName: "Nuovo",
          lastName: "Iscritto",
          email: "pact.applicant@example.org",
          birthDate: "1990-01-01",
          homeMunicipalityId: grossetoId,
          weeklyHourLimit: 4,
          maxTravelMinutes: 20,
        },
      },
    );
    expect(applicant.data.registerCitizen.__typename).toBe("RegistrationReceived");
    const applicantId = (await server.database.prisma.citizen.findFirstOrThrow({ where: { email: "pact.applicant@example.org" } })).id;
    const proposed = await server.gql(PROPOSE, { input: pactInput([applicantId]) }, { token: coordinator });
    await server.gql(MOVE, { id: proposed.data.proposePact.id, to: "UNDER_REVIEW" }, { token: coordinator });
    const sign = await server.gql(MOVE, { id: proposed.data.proposePact.id, to: "ACTIVE" }, { token: coordinator });
    expect(sign.data.changePactStatus).toMatchObject({ __typename: "ConflictError", errorCode: "CITIZENS_NOT_ENROLLED", details: [applicantId] });
  });
});

describe("eligibility, commitments and the hours ledger", () => {
  const ELIGIBILITY = `query($c: ID!, $o: ID!) { eligibility(citizenId: $c, occurrenceId: $o) { __typename ... on Eligibility { eligible pactId loadMinutes reasons { code message } } ${ERR} } }`;

  it("explains why not, then lets a coordinator commit the citizen, the citizen log hours, and the ledger add up", async () => {
    const { citizenId, token } = await readyCitizen("ledger.flow@example.org");
    const { projectId } = await familyWithProject("Rahimi");
    const task = (await server.gql(CREATE_TASK, { input: homeworkTask(projectId) }, { token: coordinator })).data.createTask;
    const [first, second, third] = task.occurrences;

    // No pact yet: the answer lists the reason, in the caller's language.
    const before = await server.gql(ELIGIBILITY, { c: citizenId, o: first.id }, { token: coordinator, lang: "it" });
    expect(before.data.eligibility).toMatchObject({ eligible: false, reasons: [{ code: "NO_ACTIVE_PACT", message: "nessun patto di collaborazione attivo" }] });

    const pactId = await activePact(citizenId);
    const now = await server.gql(ELIGIBILITY, { c: citizenId, o: first.id }, { token: coordinator });
    // Grosseto to Grosseto: no travel, so the load is the 90 minutes of the occurrence.
    expect(now.data.eligibility).toEqual({ __typename: "Eligibility", eligible: true, pactId, loadMinutes: 90, reasons: [] });

    // Before any commitment the citizen sees the occurrence without the family.
    const view = await server.gql(
      `query($id: ID!) { occurrenceView(id: $id) { __typename ... on OccurrenceView { activityKind municipality { name } involvesMinors requiredLanguages } } }`,
      { id: first.id },
      { token },
    );
    expect(view.data.occurrenceView).toEqual({
      __typename: "OccurrenceView",
      activityKind: "HOMEWORK_HELP",
      municipality: { name: "Grosseto" },
      involvesMinors: true,
      requiredLanguages: ["en"],
    });
    const noFamilyField = await server.gql(
      `query($id: ID!) { occurrenceView(id: $id) { ... on OccurrenceView { family { referenceName } } } }`,
      { id: first.id },
      { token },
    );
    expect(noFamilyField.errors?.[0]?.message).toMatch(/Cannot query field "family"/);
    const noTask = await server.gql(`query($id: ID!) { task(id: $id) { __typename } }`, { id: task.id }, { token });
    expect(noTask.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const ASSIGN = `mutation($o: ID!, $c: ID!) { assignCitizen(occurrenceId: $o, citizenId: $c) { __typename ... on Commitment { id plannedMinutes pactId } ${ERR} } }`;
    const commitments: string[] = [];
    for (const occurrence of [first, second, third]) {
      const assigned = await server.gql(ASSIGN, { o: occurrence.id, c: citizenId }, { token: coordinator });
      expect(assigned.data.assignCitizen).toMatchObject({ __typename: "Commitment", plannedMinutes: 90, pactId });
      commitments.push(assigned.data.assignCitizen.id);
    }
    const taskAfter = await server.gql(
      `query($id: ID!) { task(id: $id) { ... on Task { status occurrences { status } } } }`,
      { id: task.id },
      { token: coordinator },
    );
    expect(taskAfter.data.task.status).toBe("FILLED");

    // Headcount 1: nobody else; the same citizen twice is refused too.
    const other = await readyCitizen("ledger.other@example.org");
    await activePact(other.citizenId);
    const full = await server.gql(ASSIGN, { o: first.id, c: other.citizenId }, { token: coordinator });
    expect(full.data.assignCitizen).toMatchObject({ __typename: "ConflictError", errorCode: "HEADCOUNT_REACHED" });
    const again = await server.gql(ASSIGN, { o: first.id, c: citizenId }, { token: coordinator });
    expect(again.data.assignCitizen.errorCode).toBe("ALREADY_COMMITTED");

    // Once committed, the citizen sees the family's name and where to go.
    const mine = await server.gql(`{ myCommitments { id status occurrence { startsAt } family { referenceName address } } }`, {}, { token });
    expect(mine.data.myCommitments[0]).toMatchObject({ status: "ACTIVE", family: { referenceName: "Rahimi", address: "Via Roma 1, Grosseto" } });

    // Hours cannot be logged before the occurrence ends.
    const LOG = `mutation($c: ID!, $m: Int!) { logHours(commitmentId: $c, minutes: $m) { __typename ... on HoursEntry { id kind minutes } ${ERR} } }`;
    const early = await server.gql(LOG, { c: commitments[0], m: 90 }, { token });
    expect(early.data.logHours).toMatchObject({ __typename: "ConflictError", errorCode: "OCCURRENCE_NOT_ENDED" });

    // The citizen withdraws from the third date; the family disappears from that commitment.
    const withdrawn = await server.gql(
      `mutation($c: ID!) { withdrawCommitment(commitmentId: $c) { __typename ... on Commitment { status } } }`,
      { c: commitments[2] },
      { token },
    );
    expect(withdrawn.data.withdrawCommitment.status).toBe("WITHDRAWN");
    const afterWithdrawal = await server.gql(`{ myCommitments { id family { referenceName } } }`, {}, { token });
    expect(afterWithdrawal.data.myCommitments.find((c: any) => c.id === commitments[2]).family).toBeNull();

    // After the first occurrence: log 100 minutes, the coordinator confirms, then corrects to 95.
    server.setNow(new Date(Date.parse(first.endsAt) + 3_600_000));
    expect((await server.gql(LOG, { c: commitments[0], m: 100 }, { token })).data.logHours).toMatchObject({ kind: "LOGGED", minutes: 100 });
    const CONFIRM = `mutation($c: ID!) { confirmHours(commitmentId: $c) { __typename ... on HoursEntry { kind minutes } ${ERR} } }`;
    expect((await server.gql(CONFIRM, { c: commitments[0] }, { token: coordinator })).data.confirmHours).toMatchObject({ kind: "CONFIRMED", minutes: 100 });
    expect((await server.gql(CONFIRM, { c: commitments[0] }, { token: coordinator })).data.confirmHours.errorCode).toBe("NOTHING_TO_CONFIRM");
    const noNote = await server.gql(
      `mutation($c: ID!) { correctHours(commitmentId: $c, minutes: 95, note: " ") { __typename ${ERR} } }`,
      { c: commitments[0] },
      { token: coordinator },
    );
    expect(noNote.data.correctHours.errorCode).toBe("INVALID_INPUT");
    const corrected = await server.gql(
      `mutation($c: ID!) { correctHours(commitmentId: $c, minutes: 95, note: "arrivata in ritardo") { __typename ... on HoursEntry { kind minutes } } }`,
      { c: commitments[0] },
      { token: coordinator },
    );
    expect(corrected.data.correctHours).toEqual({ __typename: "HoursEntry", kind: "CORRECTED", minutes: 95 });
    // Hours decided: the first occurrence is DONE; the withdrawn one is open again.
    const statuses = await server.gql(
      `query($id: ID!) { task(id: $id) { ... on Task { status occurrences { status } } } }`,
      { id: task.id },
      { token: coordinator },
    );
    expect(statuses.data.task.occurrences.map((o: any) => o.status)).toEqual(["DONE", "FILLED", "OPEN"]);
    expect(statuses.data.task.status).toBe("PARTIALLY_FILLED");
    // A citizen cannot confirm their own hours.
    expect((await server.gql(CONFIRM, { c: commitments[0] }, { token })).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    // The ledger keeps every line and adds up.
    const lines = await server.gql(`{ myCommitments { id hours { kind minutes } } }`, {}, { token });
    expect(lines.data.myCommitments.find((c: any) => c.id === commitments[0]).hours.map((h: any) => [h.kind, h.minutes])).toEqual([
      ["LOGGED", 100],
      ["CONFIRMED", 100],
      ["CORRECTED", 95],
    ]);
    const LEDGER = `query($p: ID) { hoursLedger(pactId: $p) { __typename ... on HoursLedger { rows { month citizenId familyId hours { plannedMinutes pendingMinutes doneMinutes usedMinutes } } total { plannedMinutes doneMinutes usedMinutes } } } }`;
    const ledger = (await server.gql(LEDGER, { p: pactId }, { token: coordinator })).data.hoursLedger;
    expect(ledger.rows).toHaveLength(1);
    expect(ledger.rows[0]).toMatchObject({
      month: "2026-12",
      citizenId,
      hours: { plannedMinutes: 180, pendingMinutes: 0, doneMinutes: 95, usedMinutes: 95 + 90 },
    });
    expect(ledger.total).toEqual({ plannedMinutes: 180, doneMinutes: 95, usedMinutes: 185 });
    const pact = await server.gql(
      `query($id: ID!) { pact(id: $id) { ... on CollaborationPact { hourBudgetMinutes hours { usedMinutes remainingBudgetMinutes } } } }`,
      { id: pactId },
      { token },
    );
    expect(pact.data.pact).toEqual({ hourBudgetMinutes: 2400, hours: { usedMinutes: 185, remainingBudgetMinutes: 2400 - 185 } });
    // The citizen sees their own lines only; another citizen sees none of them.
    expect((await server.gql(LEDGER, { p: pactId }, { token })).data.hoursLedger.total.doneMinutes).toBe(95);
    expect((await server.gql(LEDGER, { p: pactId }, { token: other.token })).data.hoursLedger.rows).toEqual([]);

    // The budget binds: a pact with no room left makes the citizen ineligible, with the reason.
    await server.database.prisma.collaborationPact.update({ where: { id: pactId }, data: { hourBudgetMinutes: 185 + 60 } });
    const task2 = (
      await server.gql(CREATE_TASK, { input: homeworkTask(projectId, { startDate: "2027-01-04", untilDate: "2027-01-10" }) }, { token: coordinator })
    ).data.createTask;
    const exhausted = await server.gql(ELIGIBILITY, { c: citizenId, o: task2.occurrences[0].id }, { token: coordinator });
    expect(exhausted.data.eligibility.reasons.map((r: any) => r.code)).toEqual(["PACT_BUDGET_EXHAUSTED"]);
    const refused = await server.gql(ASSIGN, { o: task2.occurrences[0].id, c: citizenId }, { token: coordinator });
    expect(refused.data.assignCitizen).toMatchObject({ __typename: "ConflictError", errorCode: "NOT_ELIGIBLE", details: ["PACT_BUDGET_EXHAUSTED"] });
    server.setNow(TEST_NOW);
  });

  it("refuses to commit a citizen to two overlapping occurrences, travel included", async () => {
    const { citizenId } = await readyCitizen("overlap.flow@example.org");
    await activePact(citizenId, { municipalityIds: [grossetoId, follonicaId] });
    await server.database.prisma.citizen.update({ where: { id: citizenId }, data: { maxTravelMinutes: 120, weeklyHourLimit: 10 } });
    const { projectId } = await familyWithProject("Overlap");
    const inGrosseto = (
      await server.gql(
        CREATE_TASK,
        { input: homeworkTask(projectId, { startDate: "2027-02-02", untilDate: "2027-02-02", startTime: "15:00", durationMinutes: 60 }) },
        { token: coordinator },
      )
    ).data.createTask;
    // 16:15 in Follonica: the hour in Grosseto ends at 16:00 and the trip takes longer than 15 minutes.
    const inFollonica = (
      await server.gql(
        CREATE_TASK,
        {
          input: homeworkTask(
            projectId,
            { startDate: "2027-02-02", untilDate: "2027-02-02", startTime: "16:15", durationMinutes: 60 },
            { municipalityId: follonicaId },
          ),
        },
        { token: coordinator },
      )
    ).data.createTask;
    const ASSIGN = `mutation($o: ID!, $c: ID!) { assignCitizen(occurrenceId: $o, citizenId: $c) { __typename ${ERR} } }`;
    expect((await server.gql(ASSIGN, { o: inGrosseto.occurrences[0].id, c: citizenId }, { token: coordinator })).data.assignCitizen.__typename).toBe(
      "Commitment",
    );
    const clash = await server.gql(ASSIGN, { o: inFollonica.occurrences[0].id, c: citizenId }, { token: coordinator });
    expect(clash.data.assignCitizen).toMatchObject({ __typename: "ConflictError", errorCode: "OVERLAPPING_COMMITMENT" });
  });

  it("cancels a task with its future occurrences and commitments, once", async () => {
    const { citizenId } = await readyCitizen("cancel.flow@example.org");
    await activePact(citizenId);
    const { projectId } = await familyWithProject("Annullata");
    const task = (
      await server.gql(CREATE_TASK, { input: homeworkTask(projectId, { startDate: "2027-03-01", untilDate: "2027-03-14" }) }, { token: coordinator })
    ).data.createTask;
    const assigned = await server.gql(
      `mutation($o: ID!, $c: ID!) { assignCitizen(occurrenceId: $o, citizenId: $c) { __typename ... on Commitment { id } } }`,
      { o: task.occurrences[0].id, c: citizenId },
      { token: coordinator },
    );
    const CANCEL = `mutation($id: ID!) { cancelTask(taskId: $id) { __typename ... on Task { status occurrences { status } } ${ERR} } }`;
    const cancelled = await server.gql(CANCEL, { id: task.id }, { token: coordinator });
    expect(cancelled.data.cancelTask).toEqual({ __typename: "Task", status: "CANCELLED", occurrences: [{ status: "CANCELLED" }, { status: "CANCELLED" }] });
    const commitment = await server.database.prisma.commitment.findUniqueOrThrow({ where: { id: assigned.data.assignCitizen.id } });
    expect(commitment.status).toBe("CANCELLED");
    expect((await server.gql(CANCEL, { id: task.id }, { token: coordinator })).data.cancelTask.errorCode).toBe("ILLEGAL_TRANSITION");
  });

  it("publishes a new regulation version that then governs eligibility", async () => {
    const coordinatorDenied = await server.gql(
      `mutation { publishRegulation(title: "v2", effectiveFrom: "2027-01-01", minimumAge: 21, maxWeeklyHours: 8, minorsRequireCriminalRecordCheck: true, travelCountsAsHours: false, trainingRequirements: []) { __typename } }`,
      {},
      { token: coordinator },
    );
    expect(coordinatorDenied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const published = await server.gql(
      `mutation { publishRegulation(title: "Regolamento v2", effectiveFrom: "2027-01-01", minimumAge: 50, maxWeeklyHours: 8, minorsRequireCriminalRecordCheck: true, travelCountsAsHours: false, trainingRequirements: [{ forMinors: true, courseCode: "SAFEGUARDING_MINORS" }]) { __typename ... on Regulation { version } } }`,
      {},
      { token: admin },
    );
    expect(published.data.publishRegulation).toEqual({ __typename: "Regulation", version: 2 });
    const inForce = await server.gql(`{ now: regulation { version } later: regulation(on: "2027-02-01") { version minimumAge } }`, {}, { token: coordinator });
    expect(inForce.data).toEqual({ now: { version: 1 }, later: { version: 2, minimumAge: 50 } });

    const { citizenId } = await readyCitizen("regulation.v2@example.org");
    await activePact(citizenId);
    const { projectId } = await familyWithProject("Regola");
    const task = (
      await server.gql(CREATE_TASK, { input: homeworkTask(projectId, { startDate: "2027-02-01", untilDate: "2027-02-07" }) }, { token: coordinator })
    ).data.createTask;
    const answer = await server.gql(ELIGIBILITY, { c: citizenId, o: task.occurrences[0].id }, { token: coordinator });
    expect(answer.data.eligibility.reasons.map((r: any) => r.code)).toEqual(["UNDER_MINIMUM_AGE"]);
  });
});

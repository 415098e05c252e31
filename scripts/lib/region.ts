// A region for the load benchmark: `territories` territories of five municipalities, each with a
// coordinator, `citizensPerTerritory` enrolled citizens (an account, languages, skills, weekly
// availability, training, checks, insurance and a signed pact each) and families whose one-off
// tasks make `occurrencesPerTerritory` occurrences in the week starting `weekStart`. Written with
// createMany in batches (a few hundred thousand rows), deterministic for a seed.
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { hashPassword } from "../../src/auth/passwords";
import { toDbDate } from "../../src/db/dates";
import { DEMO_SKILLS, DEMO_TRAINING_COURSES, FIRST_NAMES, LAST_NAMES } from "../../src/demo/demo-data";
import type { PrismaClient } from "../../src/generated/prisma/client";
import type { ActivityKind } from "../../src/generated/prisma/enums";
import { seededRandom } from "../../src/random";
import { travelMatrix } from "../../src/territory/travel.model";
import { ZONE } from "../../src/time/local-time";

export const REGION_PASSWORD = "legami-bench-2026";

export interface RegionSize {
  territories: number;
  citizensPerTerritory: number;
  occurrencesPerTerritory: number;
}

export interface Region {
  territoryIds: string[];
  coordinatorEmails: string[];
  citizenEmails: string[];
  rows: number;
}

const NEEDS = ["HOMEWORK_PRIMARY", "CONVERSATION", "PUBLIC_OFFICES", "CV_WRITING", "CHILDCARE", "DRIVING", "DIGITAL_SKILLS", "HOUSING_SEARCH"];
/** Weekly windows (weekday, start, end in local minutes), as volunteers give them. */
const PATTERNS: (readonly [number, number, number])[][] = [
  [
    [2, 900, 1140],
    [4, 900, 1140],
  ],
  [
    [1, 540, 750],
    [3, 540, 750],
    [5, 540, 750],
  ],
  [
    [1, 1080, 1260],
    [3, 1080, 1260],
  ],
  [
    [6, 540, 780],
    [6, 900, 1140],
  ],
  [
    [2, 540, 780],
    [4, 870, 1080],
  ],
  [
    [1, 840, 1080],
    [2, 840, 1080],
    [3, 840, 1080],
    [4, 840, 1080],
    [5, 840, 1080],
  ],
];

async function insert<T>(rows: T[], write: (batch: T[]) => Promise<unknown>, size = 2000) {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
  return rows.length;
}

export async function seedRegion(prisma: PrismaClient, size: RegionSize, weekStart: string, seed = 7): Promise<Region> {
  const random = seededRandom(seed);
  const monday = DateTime.fromISO(weekStart, { zone: ZONE });
  const year = monday.year;
  const passwordHash = await hashPassword(REGION_PASSWORD);
  let rows = 0;

  const skills = DEMO_SKILLS.map((s) => ({ id: randomUUID(), ...s }));
  const courses = DEMO_TRAINING_COURSES.map((c) => ({ id: randomUUID(), ...c }));
  const course = (code: string) => courses.find((c) => c.code === code)!.id;
  rows += await insert(skills, (data) => prisma.skill.createMany({ data }));
  rows += await insert(courses, (data) => prisma.trainingCourse.createMany({ data }));
  const adminId = randomUUID();
  await prisma.user.create({ data: { id: adminId, email: "admin@legami.bench", passwordHash, role: "ADMIN", displayName: "Admin" } });
  await prisma.regulation.create({
    data: {
      version: 1,
      title: "Regolamento (bench)",
      effectiveFrom: toDbDate(`${year - 1}-01-01`),
      minimumAge: 18,
      maxWeeklyHours: 12,
      minorsRequireCriminalRecordCheck: true,
      travelCountsAsHours: true,
      createdById: adminId,
      trainingRequirements: {
        create: [
          { activityKind: null, forMinors: true, courseId: course("SAFEGUARDING_MINORS") },
          { activityKind: "TRANSPORT", forMinors: false, courseId: course("FIRST_AID") },
        ],
      },
    },
  });

  const region: Region = { territoryIds: [], coordinatorEmails: [], citizenEmails: [], rows: 0 };
  for (let t = 0; t < size.territories; t += 1) {
    const code = `REG-${String(t + 1).padStart(2, "0")}`;
    const territory = await prisma.territory.create({ data: { code, name: `Ambito ${t + 1}` } });
    region.territoryIds.push(territory.id);
    // Five towns within about 25 km of each other.
    const municipalities = Array.from({ length: 5 }, (_, m) => ({
      id: randomUUID(),
      istatCode: `9${String(t).padStart(2, "0")}${m}`,
      name: `Comune ${t + 1}.${m + 1}`,
      province: "XX",
      area: code,
      latitude: 43 + t * 0.05 + m * 0.04,
      longitude: 11 + m * 0.05,
      territoryId: territory.id,
    }));
    rows += await insert(municipalities, (data) => prisma.municipality.createMany({ data }));
    rows += await insert(travelMatrix(municipalities), (data) => prisma.travelTime.createMany({ data }));
    const coordinatorId = randomUUID();
    const coordinatorEmail = `coordinatore.${code.toLowerCase()}@legami.bench`;
    await prisma.user.create({
      data: { id: coordinatorId, email: coordinatorEmail, passwordHash, role: "COORDINATOR", territoryId: territory.id, displayName: `Coordinatore ${code}` },
    });
    region.coordinatorEmails.push(coordinatorEmail);

    const users: object[] = [];
    const citizens: object[] = [];
    const languages: object[] = [];
    const citizenSkills: object[] = [];
    const windows: object[] = [];
    const training: object[] = [];
    const checks: object[] = [];
    const insurance: object[] = [];
    const pacts: object[] = [];
    const pactCitizens: object[] = [];
    for (let c = 0; c < size.citizensPerTerritory; c += 1) {
      const userId = randomUUID();
      const citizenId = randomUUID();
      const email = `cittadino.${code.toLowerCase()}.${String(c).padStart(5, "0")}@legami.bench`;
      region.citizenEmails.push(email);
      const firstName = random.pick(FIRST_NAMES);
      const lastName = random.pick(LAST_NAMES);
      const home = random.pick(municipalities);
      users.push({ id: userId, email, passwordHash, role: "CITIZEN", displayName: `${firstName} ${lastName}` });
      citizens.push({
        id: citizenId,
        userId,
        firstName,
        lastName,
        email,
        birthDate: toDbDate(monday.minus({ years: random.int(20, 70), days: random.int(0, 364) }).toISODate()!),
        homeMunicipalityId: home.id,
        weeklyHourLimit: random.pick([3, 4, 6, 8]),
        maxTravelMinutes: random.pick([20, 30, 45]),
        preferredActivityKinds: [],
        status: "ENROLLED",
      });
      languages.push({ citizenId, languageCode: "it", level: "NATIVE" });
      const other = random.pick(["en", "fr", "ar", "es", "uk", null]);
      if (other) languages.push({ citizenId, languageCode: other, level: random.pick(["B1", "B2", "C1"]) });
      const mine = new Set<string>();
      while (mine.size < 2) mine.add(random.chance(0.8) ? random.pick(NEEDS) : random.pick(skills).code);
      const kinds = new Set<ActivityKind>();
      for (const skillCode of mine) {
        const skill = skills.find((s) => s.code === skillCode)!;
        skill.activityKinds.forEach((k) => {
          kinds.add(k);
        });
        citizenSkills.push({ citizenId, skillId: skill.id, level: random.int(1, 3), verified: true });
      }
      for (const [weekday, start, end] of random.pick(PATTERNS)) windows.push({ id: randomUUID(), citizenId, weekday, startMinute: start, endMinute: end });
      const completed = toDbDate(monday.minus({ months: random.int(1, 12) }).toISODate()!);
      training.push({ id: randomUUID(), citizenId, courseId: course("REGULATION_BASICS"), completedOn: completed });
      if (random.chance(0.7)) {
        training.push({
          id: randomUUID(),
          citizenId,
          courseId: course("SAFEGUARDING_MINORS"),
          completedOn: completed,
          expiresOn: toDbDate(monday.plus({ years: 2 }).toISODate()!),
        });
        checks.push({ id: randomUUID(), citizenId, checkedOn: completed, expiresOn: toDbDate(monday.plus({ months: 10 }).toISODate()!) });
      }
      if (random.chance(0.4))
        training.push({
          id: randomUUID(),
          citizenId,
          courseId: course("FIRST_AID"),
          completedOn: completed,
          expiresOn: toDbDate(monday.plus({ years: 1 }).toISODate()!),
        });
      insurance.push({
        id: randomUUID(),
        citizenId,
        policyNumber: `BENCH-${t}-${c}`,
        validFrom: toDbDate(`${year - 1}-01-01`),
        validTo: toDbDate(`${year + 1}-12-31`),
      });
      const pactId = randomUUID();
      pacts.push({
        id: pactId,
        territoryId: territory.id,
        title: `Patto ${firstName} ${lastName}`,
        objectives: "Sostegno alle famiglie",
        activityKinds: [...kinds],
        municipalityIds: municipalities.map((m) => m.id),
        startDate: toDbDate(`${year - 1}-01-01`),
        endDate: toDbDate(`${year + 1}-12-31`),
        hourBudgetMinutes: 150 * 60,
        rolesAndCommitments: "-",
        insurancePolicy: "RCT volontari",
        insuranceFrom: toDbDate(`${year - 1}-01-01`),
        insuranceTo: toDbDate(`${year + 1}-12-31`),
        requiredCourseIds: [],
        formsOfSupport: "-",
        monitoringAndReporting: "-",
        suspensionAndTermination: "-",
        status: "ACTIVE",
        signedById: coordinatorId,
        signedAt: monday.minus({ months: 1 }).toJSDate(),
        createdById: coordinatorId,
      });
      pactCitizens.push({ pactId, citizenId });
    }
    rows += await insert(users, (data) => prisma.user.createMany({ data: data as never }));
    rows += await insert(citizens, (data) => prisma.citizen.createMany({ data: data as never }));
    rows += await insert(languages, (data) => prisma.citizenLanguage.createMany({ data: data as never }));
    rows += await insert(citizenSkills, (data) => prisma.citizenSkill.createMany({ data: data as never }));
    rows += await insert(windows, (data) => prisma.availabilityWindow.createMany({ data: data as never }));
    rows += await insert(training, (data) => prisma.trainingRecord.createMany({ data: data as never }));
    rows += await insert(checks, (data) => prisma.criminalRecordCheck.createMany({ data: data as never }));
    rows += await insert(insurance, (data) => prisma.insuranceCover.createMany({ data: data as never }));
    rows += await insert(pacts, (data) => prisma.collaborationPact.createMany({ data: data as never }));
    rows += await insert(pactCitizens, (data) => prisma.pactCitizen.createMany({ data: data as never }));

    // Families, ten tasks each, one occurrence per task in the week.
    const families: object[] = [];
    const plans: object[] = [];
    const projects: object[] = [];
    const tasks: object[] = [];
    const occurrences: object[] = [];
    const perFamily = 10;
    for (let f = 0; f * perFamily < size.occurrencesPerTerritory; f += 1) {
      const familyId = randomUUID();
      const planId = randomUUID();
      const projectId = randomUUID();
      const town = random.pick(municipalities);
      const familyLanguage = random.pick(["ar", "fr", "en", "uk", "es"]);
      families.push({
        id: familyId,
        territoryId: territory.id,
        referenceName: `Famiglia ${t + 1}-${f + 1}`,
        municipalityId: town.id,
        languages: [familyLanguage],
        coordinatorId,
      });
      plans.push({ id: planId, familyId, status: "ACTIVE" });
      projects.push({
        id: projectId,
        planId,
        title: `Percorso ${t + 1}-${f + 1}`,
        goal: "Autonomia",
        startDate: toDbDate(monday.minus({ months: 1 }).toISODate()!),
        endDate: toDbDate(monday.plus({ months: 6 }).toISODate()!),
      });
      for (let k = 0; k < perFamily && f * perFamily + k < size.occurrencesPerTerritory; k += 1) {
        const need = random.pick(NEEDS);
        const skill = skills.find((s) => s.code === need)!;
        const kind = skill.activityKinds[0]!;
        const [weekday, start, end] = random.pick(random.pick(PATTERNS));
        const minutes = Math.min(random.pick([60, 90, 120]), end - start);
        const startMinute = start + 30 * random.int(0, Math.max(0, Math.floor((end - start - minutes) / 30)));
        const date = monday.plus({ days: weekday - 1 });
        const startsAt = date.plus({ minutes: startMinute });
        const taskId = randomUUID();
        const minors = kind === "HOMEWORK_HELP" || kind === "CHILDCARE";
        tasks.push({
          id: taskId,
          microProjectId: projectId,
          territoryId: territory.id,
          familyId,
          title: `${skill.nameIt} (${t + 1}-${f + 1})`,
          activityKind: kind,
          requiredSkillId: skill.id,
          minSkillLevel: 1,
          requiredLanguages: random.chance(0.15) ? [familyLanguage] : [],
          preferredLanguages: [familyLanguage],
          minLanguageLevel: "B1",
          municipalityId: town.id,
          durationMinutes: minutes,
          headcount: random.chance(0.2) ? 2 : 1,
          priority: random.int(1, 5),
          involvesMinors: minors,
          requiredCourseIds: [],
          scheduleKind: "ONE_OFF",
          startDate: toDbDate(date.toISODate()!),
          startMinute,
          weekdays: [],
          createdById: coordinatorId,
        });
        occurrences.push({
          id: randomUUID(),
          taskId,
          startsAt: startsAt.toJSDate(),
          endsAt: startsAt.plus({ minutes }).toJSDate(),
          localDate: toDbDate(date.toISODate()!),
        });
      }
    }
    rows += await insert(families, (data) => prisma.family.createMany({ data: data as never }));
    rows += await insert(plans, (data) => prisma.autonomyPlan.createMany({ data: data as never }));
    rows += await insert(projects, (data) => prisma.microProject.createMany({ data: data as never }));
    rows += await insert(tasks, (data) => prisma.task.createMany({ data: data as never }));
    rows += await insert(occurrences, (data) => prisma.taskOccurrence.createMany({ data: data as never }));
  }
  region.rows = rows;
  return region;
}

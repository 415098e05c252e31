// Loads the demo territory into an empty database, in one transaction: municipalities with
// travel times, catalogues, an administrator, coordinators, a tutor and about 60 citizens
// with varied skills, languages and availability; then the regulation, 14 families with plans
// and a month of tasks, and a pact per enrolled citizen (seed-families.ts); two shared houses of
// four households each, with a cultural mediator (seed-housing.ts). Deterministic for a
// given seed and date.
import { DateTime } from "luxon";
import { hashPassword } from "../auth/passwords";
import { toDbDate } from "../db/dates";
import type { PrismaClient } from "../generated/prisma/client";
import type { ActivityKind, EnrolmentStatus, LanguageLevel, Role } from "../generated/prisma/enums";
import { travelMatrix } from "../territory/travel.model";
import { seedHousing } from "./seed-housing";
import { seedFamiliesAndPacts } from "./seed-families";
import { seededRandom } from "../random";
import { ZONE } from "../time/local-time";
import { DEMO_MUNICIPALITIES, DEMO_SKILLS, DEMO_TERRITORY, DEMO_TRAINING_COURSES, FIRST_NAMES, LAST_NAMES, OTHER_LANGUAGES } from "./demo-data";

export const DEMO_PASSWORD = "legami-demo-2026";
export const DEMO_CITIZEN_COUNT = 60;
/** Skills the demo families' tasks need: citizens declare them more often, as in the field. */
const COMMON_NEEDS = ["HOMEWORK_PRIMARY", "CONVERSATION", "PUBLIC_OFFICES", "CV_WRITING", "CHILDCARE", "DRIVING", "DIGITAL_SKILLS"];

type Random = ReturnType<typeof seededRandom>;
export { seededRandom };

/** Typical weekly patterns of volunteers: after school, mornings of retirees, evenings, weekends. */
const AVAILABILITY_PATTERNS: { weekday: number; start: number; end: number }[][] = [
  [
    { weekday: 2, start: 15 * 60, end: 19 * 60 },
    { weekday: 4, start: 15 * 60, end: 19 * 60 },
  ],
  [
    { weekday: 1, start: 9 * 60, end: 12 * 60 + 30 },
    { weekday: 3, start: 9 * 60, end: 12 * 60 + 30 },
    { weekday: 5, start: 9 * 60, end: 12 * 60 + 30 },
  ],
  [
    { weekday: 1, start: 18 * 60, end: 21 * 60 },
    { weekday: 3, start: 18 * 60, end: 21 * 60 },
  ],
  [
    { weekday: 6, start: 9 * 60, end: 13 * 60 },
    { weekday: 6, start: 15 * 60, end: 19 * 60 },
  ],
  [
    { weekday: 2, start: 9 * 60, end: 13 * 60 },
    { weekday: 4, start: 14 * 60 + 30, end: 18 * 60 },
  ],
  [
    { weekday: 1, start: 14 * 60, end: 18 * 60 },
    { weekday: 2, start: 14 * 60, end: 18 * 60 },
    { weekday: 3, start: 14 * 60, end: 18 * 60 },
    { weekday: 4, start: 14 * 60, end: 18 * 60 },
    { weekday: 5, start: 14 * 60, end: 18 * 60 },
  ],
  [
    { weekday: 5, start: 16 * 60, end: 20 * 60 },
    { weekday: 7, start: 10 * 60, end: 12 * 60 },
  ],
];

const LEVELS: LanguageLevel[] = ["A2", "B1", "B2", "C1", "C2"];

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]+/g, "");
}

function citizenLanguages(random: Random, firstName: string): { languageCode: string; level: LanguageLevel }[] {
  const foreignBorn = ["Amina", "Youssef", "Olena", "Mamadou", "Fatima", "Ahmed", "Iryna", "Aisha"].includes(firstName);
  const languages: { languageCode: string; level: LanguageLevel }[] = [];
  if (foreignBorn) {
    const mother = firstName === "Olena" || firstName === "Iryna" ? "uk" : firstName === "Mamadou" ? "wo" : "ar";
    languages.push({ languageCode: mother, level: "NATIVE" }, { languageCode: "it", level: random.pick(["B1", "B2", "C1"] as const) });
    if (mother === "wo" || random.chance(0.5)) languages.push({ languageCode: "fr", level: random.pick(["B2", "C1"] as const) });
  } else {
    languages.push({ languageCode: "it", level: "NATIVE" });
    const count = random.int(0, 2);
    for (let i = 0; i < count; i += 1) {
      const other = random.weighted(OTHER_LANGUAGES, (l) => l.weight);
      if (!languages.some((l) => l.languageCode === other.code)) languages.push({ languageCode: other.code, level: random.pick(LEVELS) });
    }
  }
  return languages;
}

export async function isDatabaseEmpty(prisma: PrismaClient): Promise<boolean> {
  const [territories, users] = await Promise.all([prisma.territory.count(), prisma.user.count()]);
  return territories === 0 && users === 0;
}

/** Loads the demo when the database holds no territory and no user; whether it did (its accounts: demo/tour.ts). */
export async function loadDemoIfEmpty(prisma: PrismaClient, options: { seed?: number; now?: Date } = {}): Promise<boolean> {
  if (!(await isDatabaseEmpty(prisma))) return false;
  await loadDemo(prisma, options);
  return true;
}

export async function loadDemo(prisma: PrismaClient, { seed = 2026, now = new Date() }: { seed?: number; now?: Date } = {}): Promise<void> {
  const random = seededRandom(seed);
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf("day");
  // One hash for every demo account: they share the demo password by design.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await prisma.$transaction(
    async (tx) => {
      const territory = await tx.territory.create({ data: DEMO_TERRITORY });
      const municipalities = [];
      for (const m of DEMO_MUNICIPALITIES) {
        municipalities.push(
          await tx.municipality.create({
            data: {
              istatCode: m.istatCode,
              name: m.name,
              province: "GR",
              area: m.area,
              latitude: m.latitude,
              longitude: m.longitude,
              territoryId: territory.id,
            },
          }),
        );
      }
      await tx.travelTime.createMany({ data: travelMatrix(municipalities) });
      const skills: { id: string; code: string; activityKinds: ActivityKind[] }[] = [];
      for (const s of DEMO_SKILLS) skills.push(await tx.skill.create({ data: s }));
      const courses = [];
      for (const c of DEMO_TRAINING_COURSES) courses.push(await tx.trainingCourse.create({ data: c }));

      const staff: { email: string; role: Role; displayName: string; territoryId: string | null }[] = [
        { email: "admin@legami.demo", role: "ADMIN", displayName: "Amministrazione Legami", territoryId: null },
        { email: "coordinatrice.grosseto@legami.demo", role: "COORDINATOR", displayName: "Paola Ricci (Grossetana)", territoryId: territory.id },
        { email: "coordinatore.amiata@legami.demo", role: "COORDINATOR", displayName: "Andrea Fanciulli (Amiata)", territoryId: territory.id },
        { email: "coordinatrice.colline@legami.demo", role: "COORDINATOR", displayName: "Sonia Guidi (Colline Metallifere)", territoryId: territory.id },
        { email: "tutor.abitare@legami.demo", role: "TUTOR", displayName: "Michele Detti (tutor abitativo)", territoryId: territory.id },
      ];
      for (const person of staff) {
        await tx.user.create({ data: { ...person, passwordHash, locale: "IT" } });
      }
      const admin = await tx.user.findUniqueOrThrow({ where: { email: "admin@legami.demo" } });

      const regulationBasics = courses.find((c) => c.code === "REGULATION_BASICS")!;
      const safeguarding = courses.find((c) => c.code === "SAFEGUARDING_MINORS")!;
      const firstAid = courses.find((c) => c.code === "FIRST_AID")!;
      const usedEmails = new Set<string>();

      for (let i = 0; i < DEMO_CITIZEN_COUNT; i += 1) {
        const firstName = random.pick(FIRST_NAMES);
        const lastName = random.pick(LAST_NAMES);
        let email = `${slug(firstName)}.${slug(lastName)}@example.org`;
        for (let n = 2; usedEmails.has(email); n += 1) email = `${slug(firstName)}.${slug(lastName)}${n}@example.org`;
        usedEmails.add(email);
        const municipality = random.weighted(DEMO_MUNICIPALITIES, (m) => m.population ** 0.7);
        const homeMunicipalityId = municipalities.find((m) => m.istatCode === municipality.istatCode)!.id;
        const age = random.int(19, 74);
        const birthDate = today.minus({ years: age, days: random.int(0, 364) }).toISODate()!;
        const status: EnrolmentStatus = i < 6 ? "APPLICANT" : i < 8 ? "SUSPENDED" : "ENROLLED";
        const skillCount = random.int(1, 4);
        const chosen = new Map<string, number>();
        while (chosen.size < skillCount) chosen.set(random.weighted(skills, (s) => (COMMON_NEEDS.includes(s.code) ? 3 : 1)).id, random.int(1, 3));
        const pattern = random.pick(AVAILABILITY_PATTERNS);
        const preferred = [...new Set([...chosen.keys()].flatMap((id) => skills.find((s) => s.id === id)!.activityKinds))].slice(0, 3) as ActivityKind[];
        const completed = today.minus({ months: random.int(1, 18) }).toISODate()!;
        const checked = today.minus({ months: random.int(1, 8) }).toISODate()!;
        const enrolled = status !== "APPLICANT";
        const worksWithMinors = enrolled && random.chance(0.7);

        const user = await tx.user.create({
          data: { email, passwordHash, role: "CITIZEN", locale: random.chance(0.15) ? "EN" : "IT", displayName: `${firstName} ${lastName}` },
        });
        await tx.citizen.create({
          data: {
            userId: user.id,
            firstName,
            lastName,
            email,
            phone: `+39 3${random.int(10, 99)} ${random.int(100, 999)} ${random.int(1000, 9999)}`,
            birthDate: toDbDate(birthDate),
            homeMunicipalityId,
            weeklyHourLimit: random.pick([3, 4, 4, 5, 6, 6, 8, 10]),
            maxTravelMinutes: random.pick([20, 30, 30, 45, 45, 60]),
            preferredActivityKinds: preferred,
            status,
            languages: { create: citizenLanguages(random, firstName) },
            skills: {
              create: [...chosen].map(([skillId, level]) => ({
                skillId,
                level,
                verified: enrolled && random.chance(0.6),
                verifiedById: null,
              })),
            },
            availabilityWindows: { create: pattern.map((w) => ({ weekday: w.weekday, startMinute: w.start, endMinute: w.end })) },
            availabilityExceptions: random.chance(0.3)
              ? {
                  create: [
                    {
                      kind: "UNAVAILABLE",
                      fromDate: toDbDate(`${today.year + (today.month > 8 ? 1 : 0)}-08-03`),
                      toDate: toDbDate(`${today.year + (today.month > 8 ? 1 : 0)}-08-23`),
                      note: "ferie",
                    },
                  ],
                }
              : undefined,
            trainingRecords: enrolled
              ? {
                  create: [
                    { courseId: regulationBasics.id, completedOn: toDbDate(completed), recordedById: admin.id },
                    ...(worksWithMinors
                      ? [
                          {
                            courseId: safeguarding.id,
                            completedOn: toDbDate(completed),
                            expiresOn: toDbDate(DateTime.fromISO(completed).plus({ months: 36 }).toISODate()!),
                            recordedById: admin.id,
                          },
                        ]
                      : []),
                    ...(random.chance(0.3)
                      ? [
                          {
                            courseId: firstAid.id,
                            completedOn: toDbDate(completed),
                            expiresOn: toDbDate(DateTime.fromISO(completed).plus({ months: 24 }).toISODate()!),
                            recordedById: admin.id,
                          },
                        ]
                      : []),
                  ],
                }
              : undefined,
            criminalRecordChecks: worksWithMinors
              ? {
                  create: [
                    { checkedOn: toDbDate(checked), expiresOn: toDbDate(DateTime.fromISO(checked).plus({ months: 12 }).toISODate()!), recordedById: admin.id },
                  ],
                }
              : undefined,
            insuranceCovers: enrolled
              ? {
                  create: [
                    {
                      policyNumber: `COESO-RCT-${today.year}-${String(i + 1).padStart(4, "0")}`,
                      insurer: "Polizza RCT volontari CoeSo SdS",
                      validFrom: toDbDate(`${today.year}-01-01`),
                      validTo: toDbDate(`${today.year + 1}-12-31`),
                      recordedById: admin.id,
                    },
                  ],
                }
              : undefined,
            enrolmentEvents: {
              create: [
                { fromStatus: null, toStatus: "APPLICANT", byUserId: user.id, reason: "self-registration", at: today.minus({ months: 20 }).toJSDate() },
                ...(enrolled
                  ? [
                      {
                        fromStatus: "APPLICANT" as const,
                        toStatus: "ENROLLED" as const,
                        byUserId: admin.id,
                        reason: null,
                        at: today.minus({ months: 1 }).toJSDate(),
                      },
                    ]
                  : []),
                ...(status === "SUSPENDED"
                  ? [
                      {
                        fromStatus: "ENROLLED" as const,
                        toStatus: "SUSPENDED" as const,
                        byUserId: admin.id,
                        reason: "pausa per motivi personali",
                        at: today.minus({ days: 10 }).toJSDate(),
                      },
                    ]
                  : []),
              ],
            },
          },
        });
      }

      const coordinatorIds = (await tx.user.findMany({ where: { role: "COORDINATOR", territoryId: territory.id }, orderBy: { email: "asc" } })).map(
        (u) => u.id,
      );
      await seedFamiliesAndPacts(tx, random, { territoryId: territory.id, today, adminId: admin.id, coordinatorIds });
      await seedHousing(tx, { territoryId: territory.id, today, adminId: admin.id, passwordHash });
      // The demo's made-up addresses count as proved, so that signing in through OpenID Connect
      // can be shown linking to them (a real account proves its address by mail).
      await tx.user.updateMany({ data: { emailVerifiedAt: now } });
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

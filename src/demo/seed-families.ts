// The second half of the demo territory: the regulation, 14 families with autonomy plans,
// micro-projects from the co-design labs and a realistic month of tasks, and a signed pact for
// every enrolled citizen, so the matching has real work to do.
import type { DateTime } from "luxon";
import { toDbDate } from "../db/dates";
import type { Prisma } from "../generated/prisma/client";
import type { ActivityKind, PlanArea } from "../generated/prisma/enums";
import { expandSchedule, type Schedule } from "../time/recurrence";
import type { seededRandom } from "../random";

type Tx = Prisma.TransactionClient;
type Random = ReturnType<typeof seededRandom>;

const LABS = [
  "Laboratorio generativo 1 - Grosseto",
  "Laboratorio generativo 2 - Follonica",
  "Laboratorio generativo 3 - Amiata",
  "Laboratorio generativo 4 - Massa Marittima",
];

/** Households as the programme meets them: third-country families with minors, most in the larger towns. */
const FAMILIES: { name: string; town: string; languages: string[]; adults: string[]; minors: [string, number][]; shared: boolean }[] = [
  {
    name: "El Amrani",
    town: "053011",
    languages: ["ar", "fr"],
    adults: ["Karim", "Nadia"],
    minors: [
      ["Yasmine", 2015],
      ["Omar", 2018],
    ],
    shared: true,
  },
  { name: "Diallo", town: "053011", languages: ["fr", "wo"], adults: ["Moussa", "Awa"], minors: [["Fatou", 2016]], shared: true },
  {
    name: "Kovalenko",
    town: "053009",
    languages: ["uk", "ru"],
    adults: ["Oksana"],
    minors: [
      ["Dmytro", 2013],
      ["Sofiia", 2019],
    ],
    shared: true,
  },
  { name: "Hossain", town: "053011", languages: ["bn", "en"], adults: ["Rafiq", "Salma"], minors: [["Arif", 2017]], shared: true },
  {
    name: "Bensaid",
    town: "053015",
    languages: ["ar"],
    adults: ["Samira"],
    minors: [
      ["Ilyas", 2014],
      ["Rania", 2016],
      ["Adam", 2020],
    ],
    shared: true,
  },
  { name: "Okafor", town: "053009", languages: ["en"], adults: ["Chinedu", "Grace"], minors: [["Emeka", 2019]], shared: true },
  { name: "Tesfaye", town: "053011", languages: ["ti", "en"], adults: ["Selam"], minors: [["Abel", 2015]], shared: true },
  {
    name: "Ahmadi",
    town: "053021",
    languages: ["fa", "en"],
    adults: ["Reza", "Maryam"],
    minors: [
      ["Sara", 2012],
      ["Ali", 2017],
    ],
    shared: true,
  },
  { name: "Ndiaye", town: "053010", languages: ["wo", "fr"], adults: ["Cheikh", "Mariama"], minors: [["Aminata", 2018]], shared: true },
  {
    name: "Khan",
    town: "053011",
    languages: ["ur", "en"],
    adults: ["Imran", "Ayesha"],
    minors: [
      ["Zain", 2014],
      ["Hira", 2016],
    ],
    shared: true,
  },
  { name: "Popescu", town: "053001", languages: ["ro"], adults: ["Ioana"], minors: [["Andrei", 2015]], shared: false },
  { name: "Mensah", town: "053004", languages: ["en"], adults: ["Kwame", "Efua"], minors: [["Kofi", 2019]], shared: false },
  { name: "Haddad", town: "053006", languages: ["ar", "en"], adults: ["Yousef"], minors: [["Layla", 2013]], shared: false },
  {
    name: "Morales",
    town: "053024",
    languages: ["es"],
    adults: ["Luis", "Carmen"],
    minors: [
      ["Mateo", 2016],
      ["Lucía", 2018],
    ],
    shared: false,
  },
];

interface TaskTemplate {
  title: string;
  kind: ActivityKind;
  skill: string;
  level: number;
  minors: boolean;
  needsFamilyLanguage: boolean;
  weekdays: number[];
  start: string;
  minutes: number;
  headcount: number;
  continuity: boolean;
  remote?: boolean;
  oneOff?: boolean;
}

const TASK_TEMPLATES: TaskTemplate[] = [
  {
    title: "Aiuto compiti",
    kind: "HOMEWORK_HELP",
    skill: "HOMEWORK_PRIMARY",
    level: 1,
    minors: true,
    needsFamilyLanguage: false,
    weekdays: [2, 4],
    start: "16:00",
    minutes: 90,
    headcount: 1,
    continuity: true,
  },
  {
    title: "Conversazione in italiano",
    kind: "LANGUAGE_CONVERSATION",
    skill: "CONVERSATION",
    level: 1,
    minors: false,
    needsFamilyLanguage: false,
    weekdays: [1],
    start: "18:00",
    minutes: 90,
    headcount: 1,
    continuity: true,
  },
  {
    title: "Accompagnamento in Questura per il permesso di soggiorno",
    kind: "ACCOMPANIMENT",
    skill: "PUBLIC_OFFICES",
    level: 2,
    minors: false,
    needsFamilyLanguage: true,
    weekdays: [3],
    start: "09:30",
    minutes: 150,
    headcount: 1,
    continuity: false,
    oneOff: true,
  },
  {
    title: "Ricerca lavoro e curriculum",
    kind: "JOB_SEARCH",
    skill: "CV_WRITING",
    level: 1,
    minors: false,
    needsFamilyLanguage: false,
    weekdays: [5],
    start: "10:00",
    minutes: 120,
    headcount: 1,
    continuity: true,
  },
  {
    title: "Custodia dei bambini durante il corso di italiano",
    kind: "CHILDCARE",
    skill: "CHILDCARE",
    level: 1,
    minors: true,
    needsFamilyLanguage: false,
    weekdays: [1, 3],
    start: "09:00",
    minutes: 120,
    headcount: 2,
    continuity: false,
  },
  {
    title: "Trasporto alla visita pediatrica",
    kind: "TRANSPORT",
    skill: "DRIVING",
    level: 1,
    minors: true,
    needsFamilyLanguage: false,
    weekdays: [6],
    start: "10:00",
    minutes: 120,
    headcount: 1,
    continuity: false,
    oneOff: true,
  },
  {
    title: "Aiuto con SPID e portali online",
    kind: "ADMINISTRATIVE_HELP",
    skill: "DIGITAL_SKILLS",
    level: 1,
    minors: false,
    needsFamilyLanguage: false,
    weekdays: [4],
    start: "15:00",
    minutes: 60,
    headcount: 1,
    continuity: false,
    remote: true,
    oneOff: true,
  },
];

const GOALS: { area: PlanArea; description: string }[] = [
  { area: "HOUSING", description: "Trovare una casa in affitto autonoma entro dodici mesi" },
  { area: "WORK", description: "Un contratto di lavoro per almeno un adulto" },
  { area: "LANGUAGE", description: "Italiano livello A2 per gli adulti" },
  { area: "SCHOOL", description: "Frequenza regolare e buon rendimento scolastico dei figli" },
  { area: "DOCUMENTS", description: "Rinnovo del permesso di soggiorno" },
  { area: "SOCIAL_TIES", description: "Partecipare alla vita del quartiere" },
];

export async function seedFamiliesAndPacts(
  tx: Tx,
  random: Random,
  options: { territoryId: string; today: DateTime; adminId: string; coordinatorIds: string[] },
) {
  const { territoryId, today, adminId, coordinatorIds } = options;
  const municipalities = await tx.municipality.findMany({ where: { territoryId } });
  const byIstat = (code: string) => municipalities.find((m) => m.istatCode === code)!;
  const courses = await tx.trainingCourse.findMany();
  const course = (code: string) => courses.find((c) => c.code === code)!.id;
  const skills = await tx.skill.findMany();
  const skillId = (code: string) => skills.find((s) => s.code === code)!.id;

  await tx.regulation.create({
    data: {
      version: 1,
      title: "Regolamento per l'amministrazione condivisa dei beni comuni e l'albo dei cittadini attivi",
      effectiveFrom: toDbDate(`${today.year - 1}-01-01`),
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

  // Tasks run for four weeks from next Monday.
  const firstMonday = today.plus({ weeks: 1 }).startOf("week");
  const lastDay = firstMonday.plus({ days: 27 });
  for (const [index, f] of FAMILIES.entries()) {
    const municipality = byIstat(f.town);
    const family = await tx.family.create({
      data: {
        territoryId,
        referenceName: f.name,
        municipalityId: municipality.id,
        address: `Via ${["Roma", "Garibaldi", "Mazzini", "dei Mille", "Aurelia", "XXIV Maggio"][index % 6]} ${10 + index}, ${municipality.name}`,
        languages: f.languages,
        livesInSharedHousing: f.shared,
        coordinatorId: coordinatorIds[index % coordinatorIds.length]!,
        members: {
          create: [
            ...f.adults.map((firstName) => ({ firstName, isMinor: false, birthYear: today.year - random.int(28, 45) })),
            ...f.minors.map(([firstName, birthYear]) => ({ firstName, isMinor: true, birthYear })),
          ],
        },
      },
    });
    const plan = await tx.autonomyPlan.create({
      data: { familyId: family.id, status: "ACTIVE", goals: { create: [GOALS[index % 6]!, GOALS[(index + 2) % 6]!, GOALS[(index + 3) % 6]!] } },
    });
    const project = await tx.microProject.create({
      data: {
        planId: plan.id,
        title: `Percorso di autonomia - famiglia ${f.name}`,
        goal: "Accompagnare la famiglia verso l'autonomia abitativa, lavorativa e sociale",
        startDate: toDbDate(today.minus({ months: 2 }).toISODate()!),
        endDate: toDbDate(today.plus({ months: 10 }).toISODate()!),
        coDesignLab: LABS[index % LABS.length]!,
      },
    });
    // Each family gets the tasks that fit it: homework and childcare only with minors of school age, and so on.
    const templates = TASK_TEMPLATES.filter((_, k) => (index + k) % 3 !== 0 || k === 0);
    for (const template of templates) {
      const startMinute = Number(template.start.slice(0, 2)) * 60 + Number(template.start.slice(3));
      const firstDate = firstMonday.plus({ days: template.weekdays[0]! - 1 + (template.oneOff ? 7 * random.int(0, 2) : 0) }).toISODate()!;
      const schedule: Schedule = template.oneOff
        ? { kind: "ONE_OFF", date: firstDate, startMinute, durationMinutes: template.minutes }
        : {
            kind: "WEEKLY",
            startDate: firstMonday.toISODate()!,
            weekdays: template.weekdays,
            startMinute,
            durationMinutes: template.minutes,
            intervalWeeks: 1,
            untilDate: lastDay.toISODate()!,
            cancelledDates: [],
          };
      const occurrences = expandSchedule(schedule);
      const foreign = f.languages.find((l) => l !== "en") ?? f.languages[0]!;
      const task = await tx.task.create({
        data: {
          microProjectId: project.id,
          territoryId,
          familyId: family.id,
          title: `${template.title} (${f.name})`,
          activityKind: template.kind,
          requiredSkillId: skillId(template.skill),
          minSkillLevel: template.level,
          requiredLanguages: template.needsFamilyLanguage ? [f.languages.includes("fr") ? "fr" : f.languages.includes("en") ? "en" : foreign] : [],
          preferredLanguages: f.languages.filter((l) => !template.needsFamilyLanguage || l !== foreign),
          minLanguageLevel: "B1",
          municipalityId: template.remote ? null : municipality.id,
          remote: template.remote ?? false,
          address: template.kind === "HOMEWORK_HELP" || template.kind === "CHILDCARE" ? family.address : null,
          durationMinutes: template.minutes,
          headcount: template.headcount,
          priority: template.kind === "ACCOMPANIMENT" ? 5 : template.kind === "TRANSPORT" ? 4 : random.int(2, 4),
          involvesMinors: template.minors,
          requiredCourseIds: [],
          continuity: template.continuity,
          scheduleKind: schedule.kind,
          startDate: toDbDate(schedule.kind === "ONE_OFF" ? schedule.date : schedule.startDate),
          startMinute,
          weekdays: schedule.kind === "WEEKLY" ? schedule.weekdays : [],
          intervalWeeks: 1,
          untilDate: schedule.kind === "WEEKLY" ? toDbDate(lastDay.toISODate()!) : null,
          createdById: family.coordinatorId,
        },
      });
      await tx.taskOccurrence.createMany({
        data: occurrences.map((o) => ({ taskId: task.id, startsAt: new Date(o.start), endsAt: new Date(o.end), localDate: toDbDate(o.localDate) })),
      });
    }
  }

  // One signed pact per enrolled (or suspended) citizen, covering what their skills serve in their area.
  const citizens = await tx.citizen.findMany({
    where: { status: { in: ["ENROLLED", "SUSPENDED"] } },
    include: { skills: { include: { skill: true } }, homeMunicipality: true },
  });
  const travel = await tx.travelTime.findMany({ where: { from: { territoryId } } });
  const year = today.year;
  for (const citizen of citizens) {
    const kinds = [...new Set(citizen.skills.flatMap((s) => s.skill.activityKinds))];
    const reachable = travel.filter((t) => t.fromId === citizen.homeMunicipalityId && t.minutes <= Math.max(citizen.maxTravelMinutes, 30)).map((t) => t.toId);
    const signer = coordinatorIds[random.int(0, coordinatorIds.length - 1)]!;
    const status = citizen.status === "SUSPENDED" ? "SUSPENDED" : "ACTIVE";
    const signedAt = today.minus({ months: 1 }).toJSDate();
    await tx.collaborationPact.create({
      data: {
        territoryId,
        title: `Patto di collaborazione - ${citizen.firstName} ${citizen.lastName}`,
        objectives: "Sostegno alle famiglie del progetto WE-ITA nei percorsi di autonomia",
        activityKinds: kinds,
        municipalityIds: reachable,
        startDate: toDbDate(`${year}-01-01`),
        endDate: toDbDate(`${year + 1}-12-31`),
        hourBudgetMinutes: 150 * 60,
        rolesAndCommitments: "Il cittadino attivo svolge le attività concordate con il coordinatore; il Coeso fornisce supporto e coordinamento",
        insurancePolicy: "Polizza RCT volontari CoeSo SdS",
        insuranceFrom: toDbDate(`${year}-01-01`),
        insuranceTo: toDbDate(`${year + 1}-12-31`),
        requiredCourseIds: [],
        formsOfSupport: "Formazione, rimborso spese di viaggio, materiali",
        monitoringAndReporting: "Registro delle ore e incontro trimestrale di verifica",
        suspensionAndTermination: "Sospensione per motivi personali su richiesta; revoca per gravi inadempienze",
        status,
        signedById: signer,
        signedAt,
        createdById: signer,
        citizens: { create: { citizenId: citizen.id } },
        events: {
          create: [
            { fromStatus: null, toStatus: "PROPOSED", byUserId: signer, at: today.minus({ months: 2 }).toJSDate() },
            { fromStatus: "PROPOSED", toStatus: "UNDER_REVIEW", byUserId: signer, at: today.minus({ months: 2 }).plus({ days: 3 }).toJSDate() },
            { fromStatus: "UNDER_REVIEW", toStatus: "ACTIVE", byUserId: signer, at: signedAt },
            ...(status === "SUSPENDED"
              ? [
                  {
                    fromStatus: "ACTIVE" as const,
                    toStatus: "SUSPENDED" as const,
                    byUserId: signer,
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
}

// Use cases of the citizen register. Each write runs in one transaction: it validates
// everything first and either commits all of it or nothing.
import { coordinatesTerritory, requireViewer } from "../auth/access";
import { hashPassword } from "../auth/passwords";
import type { Viewer } from "../auth/viewer";
import { fromDbDate, localToday, toDbDate } from "../db/dates";
import { ConflictError, ForbiddenError, InputError, NotFoundError, RateLimitError } from "../errors";
import type { LoginThrottle } from "../auth/throttle";
import { mustBeOfAgeOn } from "../eligibility/eligibility.model";
import { regulationInForce } from "../regulation/regulation.service";
import type { ActivityKind, EnrolmentStatus, LanguageLevel, Locale } from "../generated/prisma/enums";
import type { ServiceContext } from "../service-context";
import { validateExceptions, validateWindows, type DatedException, type WeeklyWindow } from "../time/availability";
import {
  assertEnrolmentTransition,
  checkBirthDate,
  checkIntRange,
  checkNoDuplicates,
  checkPassword,
  missingEnrolmentRequirements,
  normaliseEmail,
  normaliseLanguageCode,
  normaliseName,
  normalisePhone,
} from "./citizens.model";
import { lockFutureWork, releaseWhatNoLongerStands } from "../ledger/release.service";
import * as repository from "./citizens.repository";
import type { Tx } from "./citizens.repository";

export interface LanguageInput {
  languageCode: string;
  level: LanguageLevel;
}

export interface SkillInput {
  skillCode: string;
  level: number;
}

export interface CitizenProfileInput {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  birthDate: string;
  homeMunicipalityId: string;
  weeklyHourLimit: number;
  maxTravelMinutes: number;
  preferredActivityKinds?: ActivityKind[] | null;
  locale?: Locale | null;
  languages?: LanguageInput[] | null;
  skills?: SkillInput[] | null;
}

export type CitizenProfilePatch = { [K in keyof Omit<CitizenProfileInput, "languages" | "skills" | "locale">]?: CitizenProfileInput[K] | null };

export const WEEKLY_HOUR_LIMIT_RANGE = [1, 60] as const;
export const MAX_TRAVEL_MINUTES_RANGE = [0, 600] as const;

// --- access ---------------------------------------------------------------------------------

/** A viewer sees a citizen when it is themselves, or the citizen lives in the coordinator's territory, or they are an administrator. */
function canSee(viewer: Viewer, scope: repository.CitizenScope): boolean {
  if (viewer.role === "ADMIN") return true;
  if (viewer.role === "COORDINATOR") return coordinatesTerritory(viewer, scope.territoryId);
  if (viewer.role === "CITIZEN") return viewer.citizenId === scope.id;
  return false;
}

/**
 * Loads and locks a citizen the viewer may act on. Citizens outside the viewer's sight are
 * reported as not found, so ids cannot be probed.
 */
async function citizenForWrite(tx: Tx, viewer: Viewer, citizenId: string, staffOnly = false): Promise<repository.CitizenScope> {
  const scope = await repository.lockCitizen(tx, citizenId);
  if (!scope || !canSee(viewer, scope)) throw new NotFoundError("Citizen", citizenId);
  if (staffOnly && viewer.role !== "ADMIN" && viewer.role !== "COORDINATOR") throw new ForbiddenError();
  return scope;
}

/** The id of a citizen the viewer may read, or a NotFoundError. */
export async function assertCitizenVisible(context: ServiceContext, citizenId: string): Promise<string> {
  const viewer = requireViewer(context);
  const scope = await repository.findCitizenScope(context.prisma, citizenId);
  if (!scope || !canSee(viewer, scope)) throw new NotFoundError("Citizen", citizenId);
  return scope.id;
}

/** The territory whose register the viewer sees: null means every territory (administrators). */
export function registerTerritory(context: ServiceContext): string | null {
  const viewer = requireViewer(context);
  if (viewer.role === "ADMIN") return null;
  if (viewer.role === "COORDINATOR" && viewer.territoryId) return viewer.territoryId;
  throw new ForbiddenError();
}

// --- validation shared by create and update -------------------------------------------------

async function checkMunicipality(tx: Tx, viewer: Viewer | null, municipalityId: string) {
  const municipality = await repository.findMunicipality(tx, municipalityId);
  if (!municipality) throw new InputError("UNKNOWN_MUNICIPALITY", ["homeMunicipalityId"], { value: municipalityId });
  if (viewer?.role === "COORDINATOR" && !coordinatesTerritory(viewer, municipality.territoryId)) {
    throw new InputError("UNKNOWN_MUNICIPALITY", ["homeMunicipalityId"], { value: municipalityId });
  }
  return municipality;
}

function normaliseLanguages(languages: LanguageInput[], path = "languages"): LanguageInput[] {
  const normalised = languages.map((l, i) => ({ languageCode: normaliseLanguageCode(l.languageCode, [path, String(i), "languageCode"]), level: l.level }));
  checkNoDuplicates(
    normalised.map((l) => l.languageCode),
    path,
  );
  return normalised;
}

async function resolveSkills(tx: Tx, skills: SkillInput[], path = "skills") {
  skills.forEach((s, i) => {
    checkIntRange(s.level, 1, 3, [path, String(i), "level"]);
  });
  checkNoDuplicates(
    skills.map((s) => s.skillCode),
    path,
  );
  const known = await repository.findSkillsByCode(
    tx,
    skills.map((s) => s.skillCode),
  );
  return skills.map((s, i) => {
    const skill = known.find((k) => k.code === s.skillCode);
    if (!skill?.active) throw new InputError("UNKNOWN_SKILL", [path, String(i), "skillCode"], { value: s.skillCode });
    return { skillId: skill.id, level: s.level };
  });
}

function normaliseProfile(input: CitizenProfileInput, today: string) {
  return {
    firstName: normaliseName(input.firstName, ["firstName"]),
    lastName: normaliseName(input.lastName, ["lastName"]),
    email: normaliseEmail(input.email),
    phone: normalisePhone(input.phone),
    birthDate: checkBirthDate(input.birthDate, today),
    homeMunicipalityId: input.homeMunicipalityId,
    weeklyHourLimit: checkIntRange(input.weeklyHourLimit, ...WEEKLY_HOUR_LIMIT_RANGE, ["weeklyHourLimit"]),
    maxTravelMinutes: checkIntRange(input.maxTravelMinutes, ...MAX_TRAVEL_MINUTES_RANGE, ["maxTravelMinutes"]),
    preferredActivityKinds: [...new Set(input.preferredActivityKinds ?? [])],
    languages: normaliseLanguages(input.languages ?? []),
  };
}

// --- creation -------------------------------------------------------------------------------

async function createCitizenRecord(
  tx: Tx,
  context: ServiceContext,
  input: CitizenProfileInput,
  account: { passwordHash: string | null; createdBy: string | null },
) {
  const today = localToday(context.now());
  const profile = normaliseProfile(input, today);
  await checkMinimumAge(tx, profile.birthDate, today);
  // Self-registration is open to any town; staff register in their own territory.
  await checkMunicipality(tx, account.createdBy ? context.viewer : null, profile.homeMunicipalityId);
  const skills = await resolveSkills(tx, input.skills ?? []);
  if (await repository.emailInUse(tx, profile.email)) throw new ConflictError("EMAIL_TAKEN");
  const user = await tx.user.create({
    data: {
      email: profile.email,
      passwordHash: account.passwordHash,
      role: "CITIZEN",
      locale: input.locale ?? "IT",
      displayName: `${profile.firstName} ${profile.lastName}`,
    },
  });
  return tx.citizen.create({
    data: {
      userId: user.id,
      firstName: profile.firstName,
      lastName: profile.lastName,
      email: profile.email,
      phone: profile.phone,
      birthDate: toDbDate(profile.birthDate),
      homeMunicipalityId: profile.homeMunicipalityId,
      weeklyHourLimit: profile.weeklyHourLimit,
      maxTravelMinutes: profile.maxTravelMinutes,
      preferredActivityKinds: profile.preferredActivityKinds,
      status: "APPLICANT",
      languages: { create: profile.languages },
      skills: { create: skills.map((s) => ({ ...s, verified: false })) },
      enrolmentEvents: {
        create: {
          fromStatus: null,
          toStatus: "APPLICANT",
          byUserId: account.createdBy ?? user.id,
          reason: account.createdBy ? "registered by staff" : "self-registration",
          at: context.now(),
        },
      },
    },
  });
}

async function inTransaction<T>(context: ServiceContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await context.prisma.$transaction(work);
  } catch (error) {
    // Two requests raced for the same email: the unique index decides, the loser gets the typed error.
    if (repository.isUniqueViolation(error)) throw new ConflictError("EMAIL_TAKEN");
    throw error;
  }
}

/** The regulation in force today sets a minimum age to register and to be enrolled (eligibility mustBeOfAgeOn). */
async function checkMinimumAge(tx: Tx, birthDate: string, today: string) {
  const minimumAge = (await regulationInForce(tx, today))?.minimumAge;
  if (minimumAge !== undefined && mustBeOfAgeOn(birthDate, today, minimumAge).length > 0)
    throw new InputError("UNDER_MINIMUM_AGE", ["birthDate"], { minimumAge });
}

/**
 * Self-service registration: creates the account and the citizen as APPLICANT; the person then
 * signs in with their email and password. The answer is the same whether or not the address was
 * registered already (nothing is created then), so registration tells nobody who is registered;
 * it is rate-limited per client address (throttle.ts).
 */
export async function registerCitizen(
  context: ServiceContext,
  input: CitizenProfileInput & { password: string },
  options: { throttle?: LoginThrottle; address?: string } = {},
) {
  if (options.throttle && !(await options.throttle.allowRegistration(options.address ?? "unknown", Date.now()))) throw new RateLimitError(3600);
  checkPassword(input.password, [input.firstName, input.lastName, input.email]);
  const passwordHash = await hashPassword(input.password);
  try {
    await inTransaction(context, (tx) => createCitizenRecord(tx, context, input, { passwordHash, createdBy: null }));
  } catch (error) {
    if (!(error instanceof ConflictError && error.code === "EMAIL_TAKEN")) throw error;
  }
  return { email: normaliseEmail(input.email) };
}

/** A coordinator or administrator registers a citizen (who signs in later through OpenID Connect or a password set by staff). */
export async function createCitizen(context: ServiceContext, input: CitizenProfileInput & { initialPassword?: string | null }) {
  const viewer = requireViewer(context);
  let passwordHash: string | null = null;
  if (input.initialPassword) {
    checkPassword(input.initialPassword, [input.firstName, input.lastName, input.email], ["initialPassword"]);
    passwordHash = await hashPassword(input.initialPassword);
  }
  return inTransaction(context, (tx) => createCitizenRecord(tx, context, input, { passwordHash, createdBy: viewer.userId }));
}

// --- updates --------------------------------------------------------------------------------

export async function updateCitizenProfile(context: ServiceContext, citizenId: string, patch: CitizenProfilePatch) {
  const viewer = requireViewer(context);
  return inTransaction(context, async (tx) => {
    const scope = await citizenForWrite(tx, viewer, citizenId);
    const data: Record<string, unknown> = {};
    if (patch.firstName != null) data.firstName = normaliseName(patch.firstName, ["firstName"]);
    if (patch.lastName != null) data.lastName = normaliseName(patch.lastName, ["lastName"]);
    if (patch.phone !== undefined) data.phone = normalisePhone(patch.phone);
    if (patch.birthDate != null) {
      const birthDate = checkBirthDate(patch.birthDate, localToday(context.now()));
      await checkMinimumAge(tx, birthDate, localToday(context.now()));
      data.birthDate = toDbDate(birthDate);
    }
    if (patch.weeklyHourLimit != null) data.weeklyHourLimit = checkIntRange(patch.weeklyHourLimit, ...WEEKLY_HOUR_LIMIT_RANGE, ["weeklyHourLimit"]);
    if (patch.maxTravelMinutes != null) data.maxTravelMinutes = checkIntRange(patch.maxTravelMinutes, ...MAX_TRAVEL_MINUTES_RANGE, ["maxTravelMinutes"]);
    if (patch.preferredActivityKinds != null) data.preferredActivityKinds = [...new Set(patch.preferredActivityKinds)];
    if (patch.homeMunicipalityId != null) {
      await checkMunicipality(tx, viewer, patch.homeMunicipalityId);
      data.homeMunicipalityId = patch.homeMunicipalityId;
    }
    if (patch.email != null) {
      const email = normaliseEmail(patch.email);
      if (await repository.emailInUse(tx, email, citizenId)) throw new ConflictError("EMAIL_TAKEN");
      data.email = email;
      if (scope.userId) await tx.user.update({ where: { id: scope.userId }, data: { email } });
    }
    const citizen = await tx.citizen.update({ where: { id: citizenId }, data });
    if (scope.userId && (data.firstName || data.lastName)) {
      await tx.user.update({ where: { id: scope.userId }, data: { displayName: `${citizen.firstName} ${citizen.lastName}` } });
    }
    return citizen;
  });
}

/** Replaces the citizen's languages. */
export async function setCitizenLanguages(context: ServiceContext, citizenId: string, languages: LanguageInput[]) {
  const viewer = requireViewer(context);
  const normalised = normaliseLanguages(languages);
  return inTransaction(context, async (tx) => {
    await citizenForWrite(tx, viewer, citizenId);
    await tx.citizenLanguage.deleteMany({ where: { citizenId } });
    await tx.citizenLanguage.createMany({ data: normalised.map((l) => ({ ...l, citizenId })) });
    return tx.citizen.findUniqueOrThrow({ where: { id: citizenId } });
  });
}

/**
 * Replaces the citizen's skills. A skill kept at the same level keeps its verification; a new
 * skill or a changed level is self-declared until staff verify it again.
 */
export async function setCitizenSkills(context: ServiceContext, citizenId: string, skills: SkillInput[]) {
  const viewer = requireViewer(context);
  return inTransaction(context, async (tx) => {
    await citizenForWrite(tx, viewer, citizenId);
    const resolved = await resolveSkills(tx, skills);
    const previous = await tx.citizenSkill.findMany({ where: { citizenId } });
    await tx.citizenSkill.deleteMany({ where: { citizenId } });
    await tx.citizenSkill.createMany({
      data: resolved.map((s) => {
        const kept = previous.find((p) => p.skillId === s.skillId && p.level === s.level && p.verified);
        return {
          citizenId,
          skillId: s.skillId,
          level: s.level,
          verified: Boolean(kept),
          verifiedById: kept?.verifiedById ?? null,
          verifiedAt: kept?.verifiedAt ?? null,
        };
      }),
    });
    return tx.citizen.findUniqueOrThrow({ where: { id: citizenId } });
  });
}

/** Staff mark a declared skill as verified (or withdraw the verification). */
export async function verifyCitizenSkill(context: ServiceContext, citizenId: string, skillCode: string, verified: boolean) {
  const viewer = requireViewer(context);
  return inTransaction(context, async (tx) => {
    await citizenForWrite(tx, viewer, citizenId, true);
    const [skill] = await repository.findSkillsByCode(tx, [skillCode]);
    const declared = skill ? await tx.citizenSkill.findUnique({ where: { citizenId_skillId: { citizenId, skillId: skill.id } } }) : null;
    if (!skill || !declared) throw new InputError("UNKNOWN_SKILL", ["skillCode"], { value: skillCode });
    await tx.citizenSkill.update({
      where: { citizenId_skillId: { citizenId, skillId: skill.id } },
      data: verified ? { verified: true, verifiedById: viewer.userId, verifiedAt: context.now() } : { verified: false, verifiedById: null, verifiedAt: null },
    });
    return tx.citizen.findUniqueOrThrow({ where: { id: citizenId } });
  });
}

/** Replaces the weekly windows and the dated exceptions together. */
export async function setCitizenAvailability(context: ServiceContext, citizenId: string, windows: WeeklyWindow[], exceptions: DatedException[]) {
  const viewer = requireViewer(context);
  validateWindows(windows);
  validateExceptions(exceptions);
  return inTransaction(context, async (tx) => {
    await citizenForWrite(tx, viewer, citizenId);
    await tx.availabilityWindow.deleteMany({ where: { citizenId } });
    await tx.availabilityException.deleteMany({ where: { citizenId } });
    await tx.availabilityWindow.createMany({ data: windows.map((w) => ({ ...w, citizenId })) });
    await tx.availabilityException.createMany({
      data: exceptions.map((x) => ({
        citizenId,
        kind: x.kind,
        fromDate: toDbDate(x.fromDate),
        toDate: toDbDate(x.toDate),
        startMinute: x.startMinute ?? null,
        endMinute: x.endMinute ?? null,
      })),
    });
    return tx.citizen.findUniqueOrThrow({ where: { id: citizenId } });
  });
}

// --- records the regulation needs (staff only) ----------------------------------------------

export async function recordTraining(
  context: ServiceContext,
  input: { citizenId: string; courseCode: string; completedOn: string; expiresOn?: string | null },
) {
  const viewer = requireViewer(context);
  const today = localToday(context.now());
  if (input.completedOn > today) throw new InputError("INVALID_RANGE", ["completedOn"]);
  if (input.expiresOn && input.expiresOn < input.completedOn) throw new InputError("INVERTED_DATES", ["expiresOn"]);
  return inTransaction(context, async (tx) => {
    await citizenForWrite(tx, viewer, input.citizenId, true);
    const course = await repository.findCourseByCode(tx, input.courseCode);
    if (!course) throw new InputError("UNKNOWN_TRAINING_COURSE", ["courseCode"], { value: input.courseCode });
    const expiresOn = input.expiresOn ?? (course.validityMonths ? addMonths(input.completedOn, course.validityMonths) : null);
    return tx.trainingRecord.create({
      data: {
        citizenId: input.citizenId,
        courseId: course.id,
        completedOn: toDbDate(input.completedOn),
        expiresOn: expiresOn ? toDbDate(expiresOn) : null,
        recordedById: viewer.userId,
      },
    });
  });
}

function addMonths(isoDate: string, months: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return fromDbDate(date);
}

export async function recordCriminalRecordCheck(context: ServiceContext, input: { citizenId: string; checkedOn: string; expiresOn: string }) {
  const viewer = requireViewer(context);
  if (input.expiresOn < input.checkedOn) throw new InputError("INVERTED_DATES", ["expiresOn"]);
  if (input.checkedOn > localToday(context.now())) throw new InputError("INVALID_RANGE", ["checkedOn"]);
  return inTransaction(context, async (tx) => {
    await citizenForWrite(tx, viewer, input.citizenId, true);
    return tx.criminalRecordCheck.create({
      data: { citizenId: input.citizenId, checkedOn: toDbDate(input.checkedOn), expiresOn: toDbDate(input.expiresOn), recordedById: viewer.userId },
    });
  });
}

export async function recordInsuranceCover(
  context: ServiceContext,
  input: { citizenId: string; policyNumber: string; insurer?: string | null; validFrom: string; validTo: string },
) {
  const viewer = requireViewer(context);
  if (input.validTo < input.validFrom) throw new InputError("INVERTED_DATES", ["validTo"]);
  const policyNumber = input.policyNumber.trim();
  if (policyNumber.length < 1 || policyNumber.length > 100) throw new InputError("INVALID_INPUT", ["policyNumber"]);
  return inTransaction(context, async (tx) => {
    await citizenForWrite(tx, viewer, input.citizenId, true);
    return tx.insuranceCover.create({
      data: {
        citizenId: input.citizenId,
        policyNumber,
        insurer: input.insurer?.trim() || null,
        validFrom: toDbDate(input.validFrom),
        validTo: toDbDate(input.validTo),
        recordedById: viewer.userId,
      },
    });
  });
}

// --- enrolment ------------------------------------------------------------------------------

/** What the citizen lacks today to be enrolled (empty when nothing). */
export async function enrolmentRequirementsMissing(context: ServiceContext, citizenId: string): Promise<string[]> {
  return missingEnrolmentRequirements(await repository.loadEnrolmentRecords(context.prisma, citizenId, localToday(context.now())), localToday(context.now()));
}

/** The same for many citizens at once, in order (a page of the register). */
export async function enrolmentRequirementsMissingMany(context: ServiceContext, citizenIds: readonly string[]): Promise<string[][]> {
  const today = localToday(context.now());
  return (await repository.loadEnrolmentRecordsMany(context.prisma, citizenIds, today)).map((records) => missingEnrolmentRequirements(records, today));
}

/**
 * Moves a citizen along APPLICANT -> ENROLLED -> SUSPENDED -> WITHDRAWN. Staff make any legal
 * move; citizens may only withdraw themselves or apply again after withdrawing. Enrolment (also
 * back from suspension) needs the required training and insurance valid today.
 */
export async function changeEnrolmentStatus(context: ServiceContext, citizenId: string, to: EnrolmentStatus, reason?: string | null) {
  const viewer = requireViewer(context);
  const now = context.now();
  const { citizen, freed } = await inTransaction(context, async (tx) => {
    // The occurrences of their future work first, then the citizen: the lock order of every accept.
    await lockFutureWork(tx, [citizenId], now);
    const scope = await citizenForWrite(tx, viewer, citizenId);
    if (viewer.role === "CITIZEN" && !(to === "WITHDRAWN" || (scope.status === "WITHDRAWN" && to === "APPLICANT"))) throw new ForbiddenError();
    assertEnrolmentTransition(scope.status, to, reason);
    if (to === "ENROLLED") {
      const missing = missingEnrolmentRequirements(await repository.loadEnrolmentRecords(tx, citizenId, localToday(context.now())), localToday(context.now()));
      if (missing.length > 0) throw new ConflictError("ENROLMENT_REQUIREMENTS_MISSING", { missing: missing.join(", ") }, missing);
    }
    await tx.enrolmentEvent.create({
      data: { citizenId, fromStatus: scope.status, toStatus: to, byUserId: viewer.userId, reason: reason?.trim() || null, at: now },
    });
    const citizen = await tx.citizen.update({ where: { id: citizenId }, data: { status: to } });
    // Leaving (suspension, withdrawal) releases their future work; its seats are searched again.
    return { citizen, freed: await releaseWhatNoLongerStands(tx, [citizenId], now) };
  });
  if (freed.length > 0) await context.jobs.handOver();
  return citizen;
}

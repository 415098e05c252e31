// The programme's indicators for a territory and a period [from, to) (by the local date of the
// occurrences), for coordinators (their territory) and administrators (any); and a citizen's own
// hours statement per pact for a year. Reads only.
import { coordinatesTerritory, requireCitizen, requireViewer } from "../auth/access";
import { familyName } from "../privacy/erased.model";
import { fromDbDate, toDbDate } from "../db/dates";
import { ForbiddenError, InputError, NotFoundError } from "../errors";
import type { PrismaClient } from "../generated/prisma/client";
import { rotaBalanceOf } from "../housing/housing.repository";
import { commitmentHours, ledgerLine, sumHours, type CommitmentHours } from "../ledger/ledger.model";
import type { ServiceContext } from "../service-context";
import { checkDateRange } from "../time/local-time";
import { localStart } from "../time/recurrence";
import { csv, groupHours, median, rate, type HoursGroup } from "./reports.model";

/** Longest period one report covers. */
const MAX_REPORT_DAYS = 3 * 366;

export interface LabelledHours extends HoursGroup {
  label: string;
}

export interface ProgrammeReport {
  territoryId: string;
  from: string;
  to: string;
  citizens: { registered: number; enrolled: number; active: number };
  pactsByStatus: { status: string; count: number }[];
  hours: { total: CommitmentHours; byPact: LabelledHours[]; byActivityKind: LabelledHours[]; byMonth: LabelledHours[]; byMunicipality: LabelledHours[] };
  families: { supported: number; perFamily: { familyId: string; name: string; tasks: number; occurrences: number; filledOccurrences: number }[] };
  seats: { seats: number; filled: number; fillRate: number | null; medianHoursToFill: number | null };
  offers: { made: number; accepted: number; declined: number; expired: number; declineRate: number | null; replacements: number; replacementsAccepted: number };
  attendance: { decided: number; noShows: number; noShowRate: number | null };
  houses: {
    houseId: string;
    name: string;
    held: number;
    cancelled: number;
    planned: number;
    rota: { householdId: string; name: string; activityId: string; duties: number; share: number; cumulativeDuties: number; cumulativeShare: number }[];
  }[];
}

/** Coordinators see their territory, administrators every one; nobody else. */
function checkTerritory(context: ServiceContext, territoryId: string) {
  const viewer = requireViewer(context);
  if (viewer.role === "ADMIN") return;
  if (coordinatesTerritory(viewer, territoryId)) return;
  if (viewer.role === "COORDINATOR") throw new NotFoundError("Territory", territoryId);
  throw new ForbiddenError();
}

export async function programmeReport(context: ServiceContext, territoryId: string, from: string, to: string): Promise<ProgrammeReport> {
  checkTerritory(context, territoryId);
  checkDateRange(from, to, MAX_REPORT_DAYS);
  const prisma = context.prisma;
  if (!(await prisma.territory.findUnique({ where: { id: territoryId } }))) throw new NotFoundError("Territory", territoryId);
  const dates = { gte: toDbDate(from), lt: toDbDate(to) };
  const end = new Date(localStart(to, 0));
  const start = new Date(localStart(from, 0));

  // --- hours, from the ledger's own rule ---------------------------------------------------------
  const commitments = await prisma.commitment.findMany({
    where: { occurrence: { localDate: dates, task: { territoryId } } },
    include: {
      hours: true,
      occurrence: { select: { id: true, localDate: true, task: { select: { id: true, activityKind: true, municipalityId: true, familyId: true } } } },
    },
  });
  const items = commitments.map((c) => ({ c, hours: commitmentHours(c, c.hours.map(ledgerLine)) }));
  const pacts = await prisma.collaborationPact.findMany({
    where: { id: { in: [...new Set(commitments.map((c) => c.pactId))] } },
    select: { id: true, title: true },
  });
  const municipalities = await prisma.municipality.findMany({ where: { territoryId }, select: { id: true, name: true } });
  const label = (groups: HoursGroup[], name: (key: string) => string): LabelledHours[] => groups.map((g) => ({ ...g, label: name(g.key) }));
  const hours = {
    total: sumHours(items.map((i) => i.hours)),
    byPact: label(
      groupHours(
        items,
        (i) => i.c.pactId,
        (i) => i.hours,
      ),
      (id) => pacts.find((p) => p.id === id)?.title ?? id,
    ),
    byActivityKind: label(
      groupHours(
        items,
        (i) => i.c.occurrence.task.activityKind,
        (i) => i.hours,
      ),
      (kind) => kind,
    ),
    byMonth: label(
      groupHours(
        items,
        (i) => fromDbDate(i.c.occurrence.localDate).slice(0, 7),
        (i) => i.hours,
      ),
      (month) => month,
    ),
    byMunicipality: label(
      groupHours(
        items,
        (i) => i.c.occurrence.task.municipalityId ?? "remote",
        (i) => i.hours,
      ),
      (id) => municipalities.find((m) => m.id === id)?.name ?? "remote",
    ),
  };
  const active = commitments.filter((c) => c.status === "ACTIVE");

  // --- citizens and pacts ------------------------------------------------------------------------
  const registered = await prisma.citizen.count({ where: { homeMunicipality: { territoryId }, createdAt: { lt: end } } });
  const enrolmentAtEnd = await prisma.enrolmentEvent.findMany({
    where: { citizen: { homeMunicipality: { territoryId } }, at: { lt: end } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { citizenId: true, toStatus: true },
  });
  const statusAtEnd = new Map<string, string>();
  for (const e of enrolmentAtEnd) statusAtEnd.set(e.citizenId, e.toStatus);
  const pactGroups = await prisma.collaborationPact.groupBy({
    by: ["status"],
    where: { territoryId, startDate: { lt: toDbDate(to) }, endDate: { gte: toDbDate(from) } },
    _count: true,
  });

  // --- families, seats, offers --------------------------------------------------------------------
  const occurrences = await prisma.taskOccurrence.findMany({
    where: { localDate: dates, task: { territoryId }, status: { not: "CANCELLED" } },
    select: { id: true, status: true, task: { select: { id: true, headcount: true, familyId: true } } },
  });
  const families = await prisma.family.findMany({
    where: { id: { in: [...new Set(occurrences.map((o) => o.task.familyId))] } },
    select: { id: true, referenceName: true, erasedAt: true },
  });
  const perFamily = families
    .map((f) => {
      const own = occurrences.filter((o) => o.task.familyId === f.id);
      return {
        familyId: f.id,
        name: familyName(f, context.lang ?? "it"),
        tasks: new Set(own.map((o) => o.task.id)).size,
        occurrences: own.length,
        filledOccurrences: own.filter((o) => o.status === "FILLED" || o.status === "DONE").length,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const activeBy = new Map<string, number>();
  for (const c of active) activeBy.set(c.occurrenceId, (activeBy.get(c.occurrenceId) ?? 0) + 1);
  const seats = occurrences.reduce((s, o) => s + o.task.headcount, 0);
  const filled = occurrences.reduce((s, o) => s + Math.min(o.task.headcount, activeBy.get(o.id) ?? 0), 0);
  const offers = await prisma.offer.findMany({
    where: { occurrence: { localDate: dates, task: { territoryId } } },
    select: { occurrenceId: true, status: true, source: true, createdAt: true },
  });
  const firstOffer = new Map<string, number>();
  for (const o of offers) firstOffer.set(o.occurrenceId, Math.min(firstOffer.get(o.occurrenceId) ?? Infinity, o.createdAt.getTime()));
  const waits = active.flatMap((c) => {
    const offered = firstOffer.get(c.occurrenceId);
    return offered !== undefined && c.createdAt.getTime() >= offered ? [(c.createdAt.getTime() - offered) / 3_600_000] : [];
  });
  const count = (status: string, source?: string) => offers.filter((o) => o.status === status && (!source || o.source === source)).length;

  // --- attendance: a decided commitment with no minutes done is a no-show ---------------------------
  const decided = items.filter((i) => i.c.status === "ACTIVE" && i.c.hours.some((h) => h.kind !== "LOGGED"));
  const noShows = decided.filter((i) => i.hours.doneMinutes === 0).length;

  // --- shared houses ------------------------------------------------------------------------------
  const houses = await prisma.house.findMany({
    where: { territoryId },
    orderBy: { name: "asc" },
    include: { households: { include: { family: { select: { referenceName: true, erasedAt: true } } } } },
  });
  const houseRows = [];
  for (const house of houses) {
    const inPeriod = await prisma.housingOccurrence.groupBy({
      by: ["status"],
      where: { plan: { houseId: house.id, status: "PUBLISHED" }, status: { not: "SUPERSEDED" }, startsAt: { gte: start, lt: end } },
      _count: true,
    });
    const rotaRows = await rotaBalanceOf(prisma, house.id, from, to);
    const rota = new Map<string, ProgrammeReport["houses"][number]["rota"][number]>();
    for (const r of rotaRows) {
      const key = `${r.activityId}|${r.householdId}`;
      const row = rota.get(key) ?? {
        householdId: r.householdId,
        name: (() => {
          const family = house.households.find((h) => h.id === r.householdId)?.family;
          return family ? familyName(family, context.lang ?? "it") : "?";
        })(),
        activityId: r.activityId,
        duties: 0,
        share: 0,
        cumulativeDuties: 0,
        cumulativeShare: 0,
      };
      row.duties += r.duties;
      row.share += r.share;
      row.cumulativeDuties = r.cumulativeDuties;
      row.cumulativeShare = r.cumulativeShare;
      rota.set(key, row);
    }
    const of = (status: string) => inPeriod.find((g) => g.status === status)?._count ?? 0;
    houseRows.push({ houseId: house.id, name: house.name, held: of("HELD"), cancelled: of("CANCELLED"), planned: of("PLANNED"), rota: [...rota.values()] });
  }

  return {
    territoryId,
    from,
    to,
    citizens: { registered, enrolled: [...statusAtEnd.values()].filter((s) => s === "ENROLLED").length, active: new Set(active.map((c) => c.citizenId)).size },
    pactsByStatus: pactGroups.map((g) => ({ status: g.status, count: g._count })).sort((a, b) => a.status.localeCompare(b.status)),
    hours,
    families: { supported: new Set(active.map((c) => c.occurrence.task.familyId)).size, perFamily },
    seats: { seats, filled, fillRate: rate(filled, seats), medianHoursToFill: median(waits) },
    offers: {
      made: offers.length,
      accepted: count("ACCEPTED"),
      declined: count("DECLINED"),
      expired: count("EXPIRED"),
      declineRate: rate(count("DECLINED"), count("ACCEPTED") + count("DECLINED")),
      replacements: offers.filter((o) => o.source === "REPLACEMENT").length,
      replacementsAccepted: count("ACCEPTED", "REPLACEMENT"),
    },
    attendance: { decided: decided.length, noShows, noShowRate: rate(noShows, decided.length) },
    houses: houseRows,
  };
}

/** The report as CSV rows: [section, indicator, key, value]. Minutes stay minutes. */
export function reportCsv(report: ProgrammeReport): string {
  const rows: [string, string, string, string | number | null][] = [
    ["period", "from", "", report.from],
    ["period", "to", "", report.to],
    ["citizens", "registered", "", report.citizens.registered],
    ["citizens", "enrolled", "", report.citizens.enrolled],
    ["citizens", "active", "", report.citizens.active],
    ...report.pactsByStatus.map((p): [string, string, string, number] => ["pacts", "byStatus", p.status, p.count]),
  ];
  const hourRows = (indicator: string, groups: LabelledHours[]) =>
    groups.flatMap((g): [string, string, string, number][] => [
      ["hours", `${indicator}.plannedMinutes`, g.label, g.plannedMinutes],
      ["hours", `${indicator}.pendingMinutes`, g.label, g.pendingMinutes],
      ["hours", `${indicator}.doneMinutes`, g.label, g.doneMinutes],
    ]);
  rows.push(
    ["hours", "total.plannedMinutes", "", report.hours.total.plannedMinutes],
    ["hours", "total.pendingMinutes", "", report.hours.total.pendingMinutes],
    ["hours", "total.doneMinutes", "", report.hours.total.doneMinutes],
  );
  rows.push(
    ...hourRows("byPact", report.hours.byPact),
    ...hourRows("byActivityKind", report.hours.byActivityKind),
    ...hourRows("byMonth", report.hours.byMonth),
    ...hourRows("byMunicipality", report.hours.byMunicipality),
  );
  rows.push(["families", "supported", "", report.families.supported]);
  for (const f of report.families.perFamily)
    rows.push(
      ["families", "tasks", f.name, f.tasks],
      ["families", "occurrences", f.name, f.occurrences],
      ["families", "filledOccurrences", f.name, f.filledOccurrences],
    );
  rows.push(
    ["seats", "seats", "", report.seats.seats],
    ["seats", "filled", "", report.seats.filled],
    ["seats", "fillRate", "", report.seats.fillRate],
    ["seats", "medianHoursToFill", "", report.seats.medianHoursToFill],
  );
  for (const [key, value] of Object.entries(report.offers)) rows.push(["offers", key, "", value]);
  for (const [key, value] of Object.entries(report.attendance)) rows.push(["attendance", key, "", value]);
  for (const h of report.houses) {
    rows.push(["houses", "held", h.name, h.held], ["houses", "cancelled", h.name, h.cancelled], ["houses", "planned", h.name, h.planned]);
    for (const r of h.rota)
      rows.push(
        ["houses", "rota.duties", `${h.name} / ${r.name} / ${r.activityId}`, r.duties],
        ["houses", "rota.share", `${h.name} / ${r.name} / ${r.activityId}`, Math.round(r.share * 100) / 100],
      );
  }
  return csv(rows);
}

export interface HoursStatementLine extends CommitmentHours {
  pactId: string;
  title: string;
  budgetMinutes: number;
}

/** A citizen's own hours per pact over a calendar year (for the regulation's yearly report). */
export async function myHoursStatement(context: ServiceContext, year: number): Promise<HoursStatementLine[]> {
  const { citizenId } = requireCitizen(context);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new InputError("INVALID_RANGE", ["year"], { min: 2000, max: 2100 });
  return hoursStatement(context.prisma, citizenId, year);
}

export async function hoursStatement(prisma: PrismaClient, citizenId: string, year: number): Promise<HoursStatementLine[]> {
  const commitments = await prisma.commitment.findMany({
    where: { citizenId, occurrence: { localDate: { gte: toDbDate(`${year}-01-01`), lt: toDbDate(`${year + 1}-01-01`) } } },
    include: { hours: true, pact: { select: { title: true, hourBudgetMinutes: true } } },
  });
  const byPact = groupHours(
    commitments,
    (c) => c.pactId,
    (c) => commitmentHours(c, c.hours.map(ledgerLine)),
  );
  return byPact.map((g) => {
    const pact = commitments.find((c) => c.pactId === g.key)!.pact;
    return { ...g, pactId: g.key, title: pact.title, budgetMinutes: pact.hourBudgetMinutes };
  });
}

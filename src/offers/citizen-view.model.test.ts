import { describe, expect, it } from "vitest";
import { citizenOccurrence, occurrenceParams } from "./citizen-view.model";

// A row as Prisma returns it with `include: { task: true }`: staff-only fields included.
const row = {
  id: "o1",
  startsAt: new Date("2026-12-03T15:00:00Z"),
  endsAt: new Date("2026-12-03T16:30:00Z"),
  status: "OPEN",
  localDate: new Date("2026-12-03T00:00:00Z"),
  task: {
    id: "t1",
    title: "Compiti per Karim Haddad",
    description: "Citofono Haddad, terzo piano",
    address: "Via Roma 3",
    microProjectId: "m1",
    activityKind: "HOMEWORK_HELP",
    remote: false,
    municipalityId: "grosseto",
    municipality: { name: "Grosseto" },
    involvesMinors: true,
    requiredLanguages: ["it"],
    preferredLanguages: ["ar"],
    minSkillLevel: 1,
    requiredSkillId: "s1",
    headcount: 1,
  },
};

describe("citizenOccurrence", () => {
  it("keeps only what a citizen may read before accepting: no title, description, address or project", () => {
    const view = citizenOccurrence(row);
    expect(Object.keys(view).sort()).toEqual([
      "activityKind",
      "endsAt",
      "headcount",
      "id",
      "involvesMinors",
      "minSkillLevel",
      "municipality",
      "municipalityId",
      "preferredLanguages",
      "remote",
      "requiredLanguages",
      "requiredSkill",
      "requiredSkillId",
      "startsAt",
      "status",
    ]);
    expect(JSON.stringify(view)).not.toMatch(/Haddad|Karim|Via Roma|m1/);
  });

  it("drops the town of a remote task", () => {
    const view = citizenOccurrence({ ...row, task: { ...row.task, remote: true } });
    expect([view.municipalityId, view.municipality]).toEqual([null, null]);
  });
});

describe("occurrenceParams", () => {
  it("names the kind of activity, when and where: never the task's title", () => {
    expect(occurrenceParams(row)).toEqual({ activity: "HOMEWORK_HELP", when: "2026-12-03T15:00:00.000Z", place: "Grosseto" });
    expect(occurrenceParams({ ...row, task: { ...row.task, remote: true } }).place).toBe("remote");
  });
});

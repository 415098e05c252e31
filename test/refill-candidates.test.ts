// A refill reads only the citizens who could take the task (matching.repository candidatesFor):
// a narrowing, not a rule. On the demo week, every occurrence's eligible pairs, their scores and
// loads are the same as with every citizen of the territory read; only the reasons counted for
// the citizens left out differ, which is why a seat nobody can take is explained from a full read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/database";
import { loadDemo } from "../src/demo/seed";
import { compileWeek } from "../src/matching/compile.model";
import { candidatesFor, loadWeek } from "../src/matching/matching.repository";
import { openTestDatabase } from "./helpers/database";
import { TEST_NOW } from "./helpers/server";

const WEEK = "2026-11-23";

describe("a refill's candidates", () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
    await loadDemo(database.prisma, { now: TEST_NOW });
  }, 120_000);
  afterAll(() => database.close());

  it("are exactly the eligible pairs a read of every citizen gives, occurrence by occurrence", async () => {
    const territory = await database.prisma.territory.findUniqueOrThrow({ where: { code: "WE-ITA" } });
    const full = await loadWeek(database.prisma, territory.id, WEEK);
    const occurrences = full.input.occurrences;
    expect(occurrences.length).toBeGreaterThan(5);
    // Citizens the narrowing did not read, over all occurrences (it must leave some out to be tested).
    let narrowedAway = 0;
    for (const occurrence of occurrences) {
      const task = await database.prisma.task.findUniqueOrThrow({ where: { id: occurrence.taskId } });
      const compile = async (narrow: boolean) => {
        const week = await loadWeek(database.prisma, territory.id, WEEK, {
          occurrenceIds: [occurrence.id],
          citizens: narrow ? candidatesFor(task) : undefined,
        });
        return { read: week.input.citizens.length, ...compileWeek({ ...week.input, previousProposal: new Set(), pinned: [], excluded: [] }) };
      };
      const [narrowed, everyone] = await Promise.all([compile(true), compile(false)]);
      const pairs = (c: typeof narrowed) =>
        c.problem.pairs.map((p) => ({ ...p, capacity: c.problem.citizens.find((z) => z.id === p.citizen)!.capacityMinutes }));
      expect(pairs(narrowed)).toEqual(pairs(everyone));
      narrowedAway += everyone.read - narrowed.read;
      // The citizens left out are refused by the first two rules in a full read.
      const left = Object.values(everyone.excludedReasons.get(occurrence.id) ?? {}).reduce((a, b) => a + (b ?? 0), 0);
      expect(left).toBeGreaterThanOrEqual(Object.values(narrowed.excludedReasons.get(occurrence.id) ?? {}).reduce((a, b) => a + (b ?? 0), 0));
    }
    expect(narrowedAway).toBeGreaterThan(0);
  });
});

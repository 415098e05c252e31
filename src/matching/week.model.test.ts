// A run's compile step: the week's data made the compiler's input, the decisions applied, and an
// input version that names the problem without the stability term.
import { describe, expect, it } from "vitest";
import { sampleWeek } from "../../test/helpers/week";
import { compileRunWeek, weekInput, type RunDecisions } from "./week.model";

const none: RunDecisions = { pinned: [], excluded: [], previousProposal: new Set() };

describe("a run's week", () => {
  it("compiles the week's data with each citizen's pacts, committed minutes and travel", () => {
    const week = sampleWeek();
    const { input } = weekInput(week);
    const early = week.occurrences[0]!;
    expect(input.contextOf("anna", early).weekCommittedMinutes).toBe(60);
    expect(input.contextOf("bruno", early).weekCommittedMinutes).toBe(0);
    expect(input.contextOf("carla", early).pacts.map((p) => p.id)).toEqual(["pact-carla"]);
    expect(input.contextOf("anna", early).travelMinutes("grosseto", "follonica")).toBe(40);
    expect(input.contextOf("anna", early).travelMinutes("grosseto", "grosseto")).toBe(0);
    const result = compileRunWeek(sampleWeek(), none);
    expect(result?.compiled.problem.occurrences.map((o) => o.id)).toEqual(["early", "follonica", "late"]);
    expect(result?.compiled.problem.pairs.length).toBeGreaterThan(0);
  });

  it("is not compiled when no regulation governs the week", () => {
    expect(weekInput(sampleWeek({ regulation: null })).found).toBe(false);
    expect(compileRunWeek(sampleWeek({ regulation: null }), none)).toBeNull();
  });

  it("gives the same input version with or without a previous proposal, and another once a decision changes", () => {
    const first = compileRunWeek(sampleWeek(), none)!;
    const rerun = compileRunWeek(sampleWeek(), { ...none, previousProposal: new Set(["anna|early"]) })!;
    expect(rerun.compiled.problem).not.toEqual(first.compiled.problem);
    expect(rerun.inputVersion).toBe(first.inputVersion);
    const excluded = compileRunWeek(sampleWeek(), { ...none, excluded: [{ citizen: "anna", occurrence: "early" }] })!;
    expect(excluded.inputVersion).not.toBe(first.inputVersion);
    const moreCommitted = compileRunWeek(sampleWeek({ committedMinutes: new Map([["anna", 9 * 60]]) }), none)!;
    expect(moreCommitted.inputVersion).not.toBe(first.inputVersion);
  });
});

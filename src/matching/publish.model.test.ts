// Publishing a proposal into a week that moved since the run read it.
import { describe, expect, it } from "vitest";
import { planPublication } from "./publish.model";

const pair = (citizen: string, occurrence: string, score = 1000) => ({ citizen, occurrence, score });

const all = () => true;

describe("planPublication", () => {
  it("offers every proposed pair while the week is as the run read it", () => {
    const plan = planPublication(
      [pair("anna", "a"), pair("bruno", "a"), pair("carla", "b")],
      new Map([
        ["a", 2],
        ["b", 1],
      ]),
      new Set(),
      all,
    );
    expect(plan.offers).toHaveLength(3);
    expect(plan).toMatchObject({ alreadyAsked: 0, noSeatLeft: 0 });
  });

  it("never offers a seat more often than it is free now: the best-scored pairs keep the seats left", () => {
    const plan = planPublication(
      [pair("anna", "a", 1010), pair("bruno", "a", 1090), pair("carla", "a", 1050), pair("dario", "b")],
      new Map([
        ["a", 2],
        ["b", 0],
      ]),
      new Set(),
      all,
    );
    expect(plan.offers).toEqual([
      { citizen: "bruno", occurrence: "a" },
      { citizen: "carla", occurrence: "a" },
    ]);
    expect(plan).toMatchObject({ alreadyAsked: 0, noSeatLeft: 2 });
    // An occurrence nobody counted (gone since) has no seat either.
    expect(planPublication([pair("anna", "gone")], new Map(), new Set(), all).noSeatLeft).toBe(1);
  });

  it("never asks a citizen twice for one occurrence, and a skipped pair leaves its seat to the next", () => {
    const plan = planPublication([pair("anna", "a", 1090), pair("bruno", "a", 1010)], new Map([["a", 1]]), new Set(["anna|a"]), all);
    expect(plan.offers).toEqual([{ citizen: "bruno", occurrence: "a" }]);
    expect(plan).toMatchObject({ alreadyAsked: 1, noSeatLeft: 0 });
  });

  it("never offers a pair that no longer holds now, and its seat goes to the next", () => {
    const plan = planPublication(
      [pair("anna", "a", 1090), pair("bruno", "a", 1010), pair("carla", "b")],
      new Map([
        ["a", 1],
        ["b", 1],
      ]),
      new Set(),
      (p) => p.citizen !== "anna" && p.citizen !== "carla",
    );
    expect(plan.offers).toEqual([{ citizen: "bruno", occurrence: "a" }]);
    expect(plan).toMatchObject({ alreadyAsked: 0, noSeatLeft: 0 });
    expect(plan.noLongerEligible).toEqual([
      { citizen: "anna", occurrence: "a" },
      { citizen: "carla", occurrence: "b" },
    ]);
  });
});

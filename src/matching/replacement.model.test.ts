import { describe, expect, it } from "vitest";
import { rankReplacements } from "./replacement.model";

const citizens = [
  { id: "anna", capacityMinutes: 120 },
  { id: "bruno", capacityMinutes: 120 },
  { id: "carla", capacityMinutes: 30 },
  { id: "dario", capacityMinutes: 120 },
];
const pair = (citizen: string, score: number, occurrence = "seat", loadMinutes = 60) => ({ citizen, occurrence, score, loadMinutes });

describe("rankReplacements", () => {
  it("ranks the seat's eligible pairs by score, ties by citizen id", () => {
    const problem = { citizens, pairs: [pair("bruno", 5), pair("anna", 5), pair("dario", 9)] };
    expect(rankReplacements(problem, "seat", new Set())).toEqual(["dario", "anna", "bruno"]);
  });

  it("skips citizens already asked, pairs of other occurrences, and loads over the hours left", () => {
    const problem = { citizens, pairs: [pair("anna", 9), pair("bruno", 8, "other"), pair("carla", 7), pair("dario", 6)] };
    expect(rankReplacements(problem, "seat", new Set(["anna"]))).toEqual(["dario"]);
  });

  it("offers nobody a citizen the week does not know", () => {
    expect(rankReplacements({ citizens: [], pairs: [pair("zoe", 9)] }, "seat", new Set())).toEqual([]);
  });
});

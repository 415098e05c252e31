// The Lagrangian bound on seeded weeks: never below the proven optimum, at the LP's seat prices
// no worse than the LP bound, and tighter after its steps; its fixing keeps the optimum. (Each
// citizen's problem against brute force is in properties.test.ts.)
import { describe, expect, it } from "vitest";
import { HighsMatchingModel } from "./highs-backend";
import { generateInstance } from "./instances";
import { CitizenSearch, evaluatePrices, fixByLagrangian, lagrangianBound } from "./lagrangian";
import { decompose } from "./model";
import { solveMatching } from "./solve";

describe("Lagrangian bound", () => {
  it("lies between the optimum and the LP bound, and its fixing keeps the optimum", async () => {
    for (const seed of [1, 2, 3]) {
      const problem = { ...generateInstance("M", seed), options: { decompose: false } };
      const optimal = await solveMatching({ ...problem, options: { backend: "highs", decompose: false } });
      expect(optimal.status).toBe("OPTIMAL");
      const [component] = decompose(problem);
      const model = await HighsMatchingModel.build(component!);
      const lp = model.lp({ work: 1e6, seconds: 30 });
      model.dispose();
      const search = new CitizenSearch(component!);
      const atLp = evaluatePrices(search, lp.seatPrices).value;
      expect(atLp).toBeGreaterThanOrEqual(optimal.objective - 1e-6);
      expect(atLp).toBeLessThanOrEqual(lp.bound + 1e-6);
      const stepped = lagrangianBound(component!, { prices: lp.seatPrices, incumbent: optimal.objective, maxSteps: 100 }, search);
      expect(stepped.bound).toBeGreaterThanOrEqual(optimal.objective - 1e-6);
      expect(stepped.bound).toBeLessThanOrEqual(atLp + 1e-9);
      // From zero prices too, after however many steps: still a valid bound.
      expect(lagrangianBound(component!, { incumbent: optimal.objective, maxSteps: 5 }).bound).toBeGreaterThanOrEqual(optimal.objective - 1e-6);
      // Fixing at a threshold just below the optimum leaves the optimal assignment possible.
      const { fix } = fixByLagrangian(search, stepped.prices, optimal.objective - 0.5);
      const chosen = new Set(optimal.assignments.map((a) => `${a.citizen}|${a.occurrence}`));
      component!.pairs.forEach((p, i) => {
        const on = chosen.has(`${component!.citizenIds[p.citizen]}|${component!.occurrenceIds[p.occurrence]}`);
        if (fix[i] !== -1) expect(fix[i]).toBe(on ? 1 : 0);
      });
      expect(fix.some((v) => v !== -1)).toBe(true);
    }
  });
});

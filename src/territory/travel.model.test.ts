import { describe, expect, it } from "vitest";
import { DEMO_MUNICIPALITIES } from "../demo/demo-data";
import { estimateTravelMinutes, greatCircleKm, travelMatrix } from "./travel.model";

const places = DEMO_MUNICIPALITIES.map((m) => ({ id: m.name, latitude: m.latitude, longitude: m.longitude }));
const byName = (name: string) => places.find((p) => p.id === name)!;

describe("travel times", () => {
  it("are zero within a town and symmetric between towns", () => {
    const matrix = travelMatrix(places);
    expect(matrix).toHaveLength(400);
    for (const { fromId, toId, minutes } of matrix) {
      if (fromId === toId) expect(minutes).toBe(0);
      else expect(matrix.find((r) => r.fromId === toId && r.toId === fromId)!.minutes).toBe(minutes);
    }
  });

  it("are realistic for known routes of the district", () => {
    // Grosseto-Follonica is about 45 km by road (about 40 minutes); Grosseto-Arcidosso about 55 km over the hills.
    expect(greatCircleKm(byName("Grosseto"), byName("Follonica"))).toBeGreaterThan(33);
    expect(estimateTravelMinutes(byName("Grosseto"), byName("Follonica"))).toBeGreaterThanOrEqual(35);
    expect(estimateTravelMinutes(byName("Grosseto"), byName("Follonica"))).toBeLessThanOrEqual(60);
    expect(estimateTravelMinutes(byName("Grosseto"), byName("Arcidosso"))).toBeGreaterThanOrEqual(40);
    expect(estimateTravelMinutes(byName("Arcidosso"), byName("Castel del Piano"))).toBeLessThan(15);
    // The farthest pair of the district (Monterotondo Marittimo - Castell'Azzara) is well over an hour.
    expect(estimateTravelMinutes(byName("Monterotondo Marittimo"), byName("Castell'Azzara"))).toBeGreaterThan(60);
  });

  it("respect the triangle inequality up to the fixed trip time", () => {
    for (const a of places)
      for (const b of places)
        for (const c of places) {
          if (a === b || b === c || a === c) continue;
          expect(estimateTravelMinutes(a, c)).toBeLessThanOrEqual(estimateTravelMinutes(a, b) + estimateTravelMinutes(b, c) + 1);
        }
  });
});

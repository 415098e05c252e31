import { describe, expect, it } from "vitest";
import { coordinatesTerritory } from "./access";

describe("coordinatesTerritory", () => {
  it("is true for a coordinator in their own territory only", () => {
    expect(coordinatesTerritory({ role: "COORDINATOR", territoryId: "t1" }, "t1")).toBe(true);
    expect(coordinatesTerritory({ role: "COORDINATOR", territoryId: "t1" }, "t2")).toBe(false);
    expect(coordinatesTerritory({ role: "COORDINATOR", territoryId: null }, null)).toBe(false);
    expect(coordinatesTerritory({ role: "ADMIN", territoryId: "t1" }, "t1")).toBe(false);
    expect(coordinatesTerritory({ role: "TUTOR", territoryId: "t1" }, "t1")).toBe(false);
  });
});
